import { ErrorCode, enablePlainValidationMessages } from '@lever/shared'
import type { Context } from 'hono'
import type { z } from 'zod'
import { ApiError } from './ApiError.ts'

enablePlainValidationMessages()

function validationError(error: z.ZodError): ApiError {
  const details = error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
  const first = details[0]
  // The message is for people (forms show it as it is); the details name each issue's path.
  const message = first?.message ?? 'Invalid request'
  return new ApiError(400, ErrorCode.ValidationFailed, message, details)
}

/**
 * Reads and validates a JSON body. A body not sent as `application/json` gives a 415 (so a plain
 * HTML form from another site can never be read as JSON); one that is not JSON or does not fit
 * gives a 400.
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') {
    throw new ApiError(
      415,
      ErrorCode.UnsupportedMediaType,
      'Send the request body as JSON (Content-Type: application/json)',
    )
  }
  let body: unknown
  try {
    body = await c.req.json()
  } catch {
    throw ApiError.badRequest('The request body must be JSON')
  }
  const result = schema.safeParse(body)
  if (!result.success) throw validationError(result.error)
  return result.data
}

/** Validates route parameters or a query against a schema; a mismatch gives a 400. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (!result.success) throw validationError(result.error)
  return result.data
}
