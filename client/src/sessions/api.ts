import {
  type CohortSession,
  cohortSessionSchema,
  type DraftInfo,
  draftInfoSchema,
  type SendToPlanRequest,
  transferSchema,
  type User,
  userSchema,
} from '@lever/shared'
import { apiRequest, type ResponseSchema } from '../api/http.ts'

/** Typed calls to the sessions and drafts API (`/api/sessions`, `/api/drafts`). */

// ---- response checks (shared has request schemas; these are the response shapes) ----

type Out<S> = S extends ResponseSchema<infer T> ? T : never

function check<T>(test: (value: unknown) => value is T): ResponseSchema<T> {
  return { safeParse: (value) => (test(value) ? { success: true, data: value } : { success: false }) }
}

const str = check((v): v is string => typeof v === 'string')
const num = check((v): v is number => typeof v === 'number')
const nullableStr = check((v): v is string | null => v === null || typeof v === 'string')

function arrayOf<T>(item: ResponseSchema<T>): ResponseSchema<T[]> {
  return {
    safeParse(value) {
      if (!Array.isArray(value)) return { success: false }
      const out: T[] = []
      for (const v of value) {
        const parsed = item.safeParse(v)
        if (!parsed.success) return { success: false }
        out.push(parsed.data)
      }
      return { success: true, data: out }
    },
  }
}

function object<S extends Record<string, ResponseSchema<unknown>>>(
  shape: S,
): ResponseSchema<{ [K in keyof S]: Out<S[K]> }> {
  return {
    safeParse(value) {
      if (typeof value !== 'object' || value === null) return { success: false }
      const out: Record<string, unknown> = {}
      for (const [key, schema] of Object.entries(shape)) {
        const parsed = schema.safeParse((value as Record<string, unknown>)[key])
        if (!parsed.success) return { success: false }
        out[key] = parsed.data
      }
      return { success: true, data: out as { [K in keyof S]: Out<S[K]> } }
    },
  }
}

const noContent: ResponseSchema<null> = { safeParse: () => ({ success: true, data: null }) }

const memberSchema = object({ id: str, name: str, jurisdictionId: nullableStr })
export type Member = Out<typeof memberSchema>

const groupInfoSchema = object({ id: str, name: str, prompt: str, draftId: str, members: arrayOf(memberSchema) })
/** A breakout group as the server mirrored it from the session document, with its members' names. */
export type GroupInfo = Out<typeof groupInfoSchema>

const sessionDetailSchema = object({
  session: cohortSessionSchema,
  groups: arrayOf(groupInfoSchema),
  myGroupId: nullableStr,
})
export type SessionDetail = Out<typeof sessionDetailSchema>

const followUpSchema = object({
  session: cohortSessionSchema,
  attendance: arrayOf(object({ id: str, name: str, jurisdictionId: nullableStr, joinedAt: str, groups: arrayOf(str) })),
  jurisdictions: arrayOf(
    object({
      jurisdictionId: str,
      name: str,
      attended: num,
      transfers: arrayOf(transferSchema),
    }),
  ),
})
export type FollowUp = Out<typeof followUpSchema>

const sendResultSchema = object({ initiativeIds: arrayOf(str), blocks: num })
export type SendResult = Out<typeof sendResultSchema>

// ---- calls ----

const path = (id: string) => `/sessions/${encodeURIComponent(id)}`

export async function listSessions(signal?: AbortSignal): Promise<CohortSession[]> {
  return (await apiRequest('/sessions', object({ sessions: arrayOf(cohortSessionSchema) }), { signal })).sessions
}

export function getSession(id: string, signal?: AbortSignal): Promise<SessionDetail> {
  return apiRequest(path(id), sessionDetailSchema, { signal })
}

/** Fields of a session as the facilitator's form sends them (checked with the shared schemas first). */
export type SessionFields = Omit<CohortSession, 'id' | 'status' | 'breakoutsOpen' | 'docName' | 'startedAt' | 'endedAt'>

export function createSession(fields: SessionFields): Promise<CohortSession> {
  return apiRequest('/sessions', cohortSessionSchema, { method: 'POST', body: fields })
}

export function updateSession(id: string, fields: Partial<SessionFields>): Promise<CohortSession> {
  return apiRequest(path(id), cohortSessionSchema, { method: 'PATCH', body: fields })
}

export function startSession(id: string): Promise<CohortSession> {
  return apiRequest(`${path(id)}/start`, cohortSessionSchema, { method: 'POST' })
}

export function endSession(id: string): Promise<CohortSession> {
  return apiRequest(`${path(id)}/end`, cohortSessionSchema, { method: 'POST' })
}

/** Records that the signed-in person joined the live session (attendance). */
export async function joinSession(id: string): Promise<void> {
  await apiRequest(`${path(id)}/join`, noContent, { method: 'POST' })
}

export function getFollowUp(id: string, signal?: AbortSignal): Promise<FollowUp> {
  return apiRequest(`${path(id)}/follow-up`, followUpSchema, { signal })
}

export function getDraft(draftId: string, signal?: AbortSignal): Promise<DraftInfo> {
  return apiRequest(`/drafts/${encodeURIComponent(draftId)}`, draftInfoSchema, { signal })
}

export function sendToPlan(draftId: string, request: SendToPlanRequest): Promise<SendResult> {
  return apiRequest(`/drafts/${encodeURIComponent(draftId)}/send`, sendResultSchema, {
    method: 'POST',
    body: request,
  })
}

/** Everyone (facilitators only): the people a facilitator places in groups. */
export async function listUsers(signal?: AbortSignal): Promise<User[]> {
  return (await apiRequest('/users', object({ users: arrayOf(userSchema) }), { signal })).users
}
