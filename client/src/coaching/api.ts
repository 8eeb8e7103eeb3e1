import {
  type CoachingAllowances,
  type CoachingSession,
  type CoachingSessionInput,
  type CoachingSummary,
  coachingAllowancesSchema,
  coachingSessionListSchema,
  coachingSessionSchema,
  coachingSummarySchema,
} from '@lever/shared'
import { apiRequest, noContent } from '../api/http.ts'

/** Typed calls for the coaching log. */

export async function listCoachingSessions(jurisdictionId?: string, signal?: AbortSignal): Promise<CoachingSession[]> {
  const query = jurisdictionId ? `?jurisdictionId=${encodeURIComponent(jurisdictionId)}` : ''
  return (await apiRequest(`/coaching/sessions${query}`, coachingSessionListSchema, { signal })).sessions
}

export async function logCoachingSession(body: CoachingSessionInput): Promise<CoachingSession> {
  return apiRequest('/coaching/sessions', coachingSessionSchema, { method: 'POST', body })
}

export async function deleteCoachingSession(id: string): Promise<void> {
  await apiRequest(`/coaching/sessions/${encodeURIComponent(id)}`, noContent, { method: 'DELETE' })
}

export async function coachingSummary(signal?: AbortSignal): Promise<CoachingSummary> {
  return apiRequest('/coaching/summary', coachingSummarySchema, { signal })
}

export async function coachingAllowances(signal?: AbortSignal): Promise<CoachingAllowances> {
  return apiRequest('/coaching/allowances', coachingAllowancesSchema, { signal })
}

export async function setCoachingAllowances(body: {
  currentPhase?: 'phase1' | 'phase2'
  phases?: Array<{ phase: 'phase1' | 'phase2'; allowanceMinutes: number }>
}): Promise<CoachingAllowances> {
  return apiRequest('/coaching/allowances', coachingAllowancesSchema, { method: 'PUT', body })
}

export async function updateCoachingSession(
  id: string,
  body: { date?: string; minutes?: number; notes?: string; followUps?: string[] },
): Promise<CoachingSession> {
  return apiRequest(`/coaching/sessions/${encodeURIComponent(id)}`, coachingSessionSchema, { method: 'PATCH', body })
}
