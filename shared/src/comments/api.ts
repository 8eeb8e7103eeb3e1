import { z } from 'zod'
import { planAccessSchema, roleSchema } from '../auth.ts'

/** One thread in a person's inbox (`GET /api/inbox`). */
export const inboxItemSchema = z.object({
  planId: z.string(),
  planTitle: z.string(),
  jurisdictionId: z.string(),
  threadId: z.string(),
  /** Who may read the thread: the team and coaches, or everyone who can read the plan. */
  visibility: z.enum(['team', 'all']).optional(),
  status: z.enum(['open', 'resolved']),
  authorId: z.string(),
  authorName: z.string(),
  anchorLabel: z.string(),
  quote: z.string(),
  orphaned: z.boolean(),
  commentCount: z.number().int(),
  createdAt: z.string(),
  lastCommentAt: z.string(),
  lastCommentBy: z.string(),
  lastCommentByName: z.string(),
  excerpt: z.string(),
  mentionsMe: z.boolean(),
  unread: z.boolean(),
})
export type InboxItemResponse = z.infer<typeof inboxItemSchema>

export const inboxResponseSchema = z.object({ items: z.array(inboxItemSchema), unread: z.number().int() })

/** People who can see a plan, who may be @mentioned (`GET /api/plans/:id/people`). */
export const planPeopleResponseSchema = z.object({
  people: z.array(
    z.object({ id: z.string(), name: z.string(), role: roleSchema, color: z.string(), access: planAccessSchema }),
  ),
})

/**
 * Everyone's id and name, for any signed-in person (`GET /api/people/directory`): comments show
 * their authors' names from here, not the name stored in the document.
 */
export const peopleDirectoryResponseSchema = z.object({
  people: z.array(z.object({ id: z.string(), name: z.string() })),
})
export type PeopleDirectoryResponse = z.infer<typeof peopleDirectoryResponseSchema>

/** A thread moved to another visibility (`POST /api/plans/:id/threads/:threadId/visibility`). */
export const threadVisibilityResponseSchema = z.object({ visibility: z.enum(['team', 'all']), moved: z.boolean() })
