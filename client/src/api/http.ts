import type { ApiErrorBody } from '@lever/shared'

/** An API call that failed: the server's error code and message, or a network failure. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }

  /** Field errors of a validation failure, by path (e.g. `title`). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    if (!Array.isArray(this.details)) return out
    for (const d of this.details as Array<{ path?: unknown; message?: unknown }>) {
      if (typeof d.path === 'string' && typeof d.message === 'string' && !(d.path in out)) out[d.path] = d.message
    }
    return out
  }
}

let onUnauthenticated: (() => void) | null = null

/** Called when a request comes back 401 (the session ended): the app shows the sign-in page. */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler
}

function isErrorBody(body: unknown): body is ApiErrorBody {
  const error = (body as ApiErrorBody | null)?.error
  return typeof error === 'object' && error !== null && typeof error.message === 'string'
}

/** What apiRequest needs of a schema (a zod schema from @lever/shared fits). */
export interface ResponseSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false }
}

/** The data a schema accepts (what `z.infer` says, without the client depending on zod itself). */
export type Parsed<S extends { parse(value: unknown): unknown }> = ReturnType<S['parse']>

/** For calls answered with 204 No Content: there is nothing to check. */
export const noContent: ResponseSchema<null> = { safeParse: () => ({ success: true, data: null }) }

/** Fetches `/api<path>`, checks the response against `schema`, and throws ApiRequestError otherwise. */
export async function apiRequest<T>(
  path: string,
  schema: ResponseSchema<T>,
  init: {
    method?: string
    body?: unknown
    signal?: AbortSignal
    /** Asked before anyone knows who is signed in: a 401 is an answer, not a session that ended. */
    beforeSignIn?: boolean
  } = {},
): Promise<T> {
  let res: Response
  try {
    res = await fetch(`/api${path}`, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
      credentials: 'same-origin',
    })
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error
    throw new ApiRequestError(0, 'network', 'Lever’s server cannot be reached. Check your connection and try again.')
  }
  let body: unknown = null
  try {
    body = await res.json()
  } catch {
    body = null
  }
  if (!res.ok) {
    if (res.status === 401 && !init.beforeSignIn && path !== '/me' && !path.startsWith('/auth/')) onUnauthenticated?.()
    if (isErrorBody(body))
      throw new ApiRequestError(res.status, body.error.code, body.error.message, body.error.details)
    throw new ApiRequestError(res.status, 'http', `The server answered ${res.status}. Try again in a moment.`)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    throw new ApiRequestError(res.status, 'bad_response', 'The server sent an answer this page does not understand.')
  }
  return parsed.data
}
