import {
  type InboxItemResponse,
  inboxResponseSchema,
  type PeopleDirectoryResponse,
  peopleDirectoryResponseSchema,
  planPeopleResponseSchema,
  type ThreadVisibility,
  threadVisibilityResponseSchema,
} from '@lever/shared'
import { apiRequest, noContent, type Parsed } from './http.ts'

/** Comment-related calls: who can be @mentioned on a plan, and the inbox (shapes from @lever/shared). */

/** Someone who can see a plan, whom a comment may @mention. */
export type PlanPerson = Parsed<typeof planPeopleResponseSchema>['people'][number]

/** One thread as the inbox lists it. */
export type InboxItem = InboxItemResponse

export type InboxFilter = 'all' | 'mentions' | 'unread'

/** People who can see the plan: whom a comment may @mention. */
export async function planPeople(planId: string, signal?: AbortSignal): Promise<PlanPerson[]> {
  return (await apiRequest(`/plans/${encodeURIComponent(planId)}/people`, planPeopleResponseSchema, { signal })).people
}

/** Everyone's id and name as the server knows them: the names comments show for their authors. */
export async function peopleDirectory(signal?: AbortSignal): Promise<PeopleDirectoryResponse['people']> {
  return (await apiRequest('/people/directory', peopleDirectoryResponseSchema, { signal })).people
}

/** Threads that mention me or are open on plans I am responsible for, newest activity first. */
export async function fetchInbox(
  filter: InboxFilter,
  signal?: AbortSignal,
): Promise<Parsed<typeof inboxResponseSchema>> {
  return apiRequest(`/inbox?filter=${filter}`, inboxResponseSchema, { signal })
}

/** Marks a thread as read (now) for the signed-in person. */
export async function markThreadRead(planId: string, threadId: string): Promise<void> {
  await apiRequest('/inbox/read', noContent, { method: 'POST', body: { planId, threadId } })
}

/** Moves a thread to another visibility (the server copies it into that thread document). */
export async function setThreadVisibility(
  planId: string,
  threadId: string,
  visibility: ThreadVisibility,
): Promise<{ visibility: ThreadVisibility; moved: boolean }> {
  return apiRequest(
    `/plans/${encodeURIComponent(planId)}/threads/${encodeURIComponent(threadId)}/visibility`,
    threadVisibilityResponseSchema,
    { method: 'POST', body: { visibility } },
  )
}
