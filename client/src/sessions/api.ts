import {
  type Attendee,
  attendanceResponseSchema,
  type CohortSession,
  cohortSessionSchema,
  type DraftInfo,
  draftInfoSchema,
  type FollowUp,
  followUpResponseSchema,
  type SendToPlanRequest,
  type SessionDetail,
  sendToPlanResponseSchema,
  sessionDetailResponseSchema,
  sessionListResponseSchema,
} from '@lever/shared'
import { apiRequest, noContent, type Parsed } from '../api/http.ts'

/** Typed calls to the sessions and drafts API (`/api/sessions`, `/api/drafts`), checked with the shared schemas. */

/** A breakout group as the server mirrored it from the session document, with its members' names. */
export type GroupInfo = SessionDetail['groups'][number]

export type SendResult = Parsed<typeof sendToPlanResponseSchema>

const path = (id: string) => `/sessions/${encodeURIComponent(id)}`

export async function listSessions(signal?: AbortSignal): Promise<CohortSession[]> {
  return (await apiRequest('/sessions', sessionListResponseSchema, { signal })).sessions
}

export function getSession(id: string, signal?: AbortSignal): Promise<SessionDetail> {
  return apiRequest(path(id), sessionDetailResponseSchema, { signal })
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

/** Who joined the session, with their breakout groups (facilitators only). */
export async function getAttendance(id: string, signal?: AbortSignal): Promise<Attendee[]> {
  return (await apiRequest(`${path(id)}/attendance`, attendanceResponseSchema, { signal })).attendance
}

/** Who joined, and what moved from the drafts into each plan (facilitators only). */
export function getFollowUp(id: string, signal?: AbortSignal): Promise<FollowUp> {
  return apiRequest(`${path(id)}/follow-up`, followUpResponseSchema, { signal })
}

export function getDraft(draftId: string, signal?: AbortSignal): Promise<DraftInfo> {
  return apiRequest(`/drafts/${encodeURIComponent(draftId)}`, draftInfoSchema, { signal })
}

export function sendToPlan(draftId: string, request: SendToPlanRequest): Promise<SendResult> {
  return apiRequest(`/drafts/${encodeURIComponent(draftId)}/send`, sendToPlanResponseSchema, {
    method: 'POST',
    body: request,
  })
}
