import { type AccessMode, type Role, roleSchema } from '@lever/shared'
import { apiRequest, type ResponseSchema } from './http.ts'

/**
 * Comment-related calls: who can be @mentioned on a plan, and the inbox. These responses have
 * no schema in @lever/shared yet, so they are checked here field by field.
 */

export interface PlanPerson {
  id: string
  name: string
  role: Role
  color: string
  access: AccessMode
}

/** One thread as the inbox lists it (the server's InboxItem). */
export interface InboxItem {
  planId: string
  threadId: string
  status: 'open' | 'resolved'
  authorId: string
  authorName: string
  anchorLabel: string
  quote: string
  orphaned: boolean
  commentCount: number
  createdAt: string
  lastCommentAt: string
  lastCommentBy: string
  excerpt: string
  planTitle: string
  jurisdictionId: string
  mentionsMe: boolean
  unread: boolean
}

export type InboxFilter = 'all' | 'mentions' | 'unread'

type Checks = Record<string, 'string' | 'number' | 'boolean'>

function hasShape(value: unknown, checks: Checks): boolean {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return Object.entries(checks).every(([key, type]) => typeof record[key] === type)
}

/** A response `{ [key]: T[] }` whose items have the given fields. */
function listSchema<T>(key: string, checks: Checks, extra?: (item: T) => boolean): ResponseSchema<T[]> {
  return {
    safeParse(value) {
      const list = (value as Record<string, unknown> | null)?.[key]
      if (!Array.isArray(list) || !list.every((item) => hasShape(item, checks) && (extra?.(item as T) ?? true))) {
        return { success: false }
      }
      return { success: true, data: list as T[] }
    },
  }
}

const personSchema = listSchema<PlanPerson>(
  'people',
  { id: 'string', name: 'string', role: 'string', color: 'string', access: 'string' },
  (p) => roleSchema.safeParse(p.role).success,
)

/** People who can see the plan: whom a comment may @mention. */
export async function planPeople(planId: string, signal?: AbortSignal): Promise<PlanPerson[]> {
  return apiRequest(`/plans/${encodeURIComponent(planId)}/people`, personSchema, { signal })
}

const inboxItems = listSchema<InboxItem>('items', {
  planId: 'string',
  threadId: 'string',
  status: 'string',
  authorName: 'string',
  anchorLabel: 'string',
  quote: 'string',
  orphaned: 'boolean',
  commentCount: 'number',
  lastCommentAt: 'string',
  excerpt: 'string',
  planTitle: 'string',
  mentionsMe: 'boolean',
  unread: 'boolean',
})

const inboxSchema: ResponseSchema<{ items: InboxItem[]; unread: number }> = {
  safeParse(value) {
    const items = inboxItems.safeParse(value)
    const unread = (value as { unread?: unknown } | null)?.unread
    if (!items.success || typeof unread !== 'number') return { success: false }
    return { success: true, data: { items: items.data, unread } }
  },
}

/** Threads that mention me or are open on plans I am responsible for, newest activity first. */
export async function fetchInbox(
  filter: InboxFilter,
  signal?: AbortSignal,
): Promise<{ items: InboxItem[]; unread: number }> {
  return apiRequest(`/inbox?filter=${filter}`, inboxSchema, { signal })
}

const noContent: ResponseSchema<null> = { safeParse: () => ({ success: true, data: null }) }

/** Marks a thread as read (now) for the signed-in person. */
export async function markThreadRead(planId: string, threadId: string): Promise<void> {
  await apiRequest('/inbox/read', noContent, { method: 'POST', body: { planId, threadId } })
}
