import { z } from 'zod'
import { jurisdictionSchema, planSummarySchema } from './api.ts'

/**
 * `GET /api/home`: what a person lands on, by role. A team member gets their plans and "what needs
 * me"; a coach their jurisdictions (with plans and what needs them); a facilitator the cohort.
 * `needs` is a list of tagged items so other features can add kinds (e.g. check-ins due) without
 * changing the page's shape: the client shows every kind it knows and ignores the others.
 */
export const needItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('mention'),
    planId: z.string(),
    planTitle: z.string(),
    threadId: z.string(),
    /** What the thread is about ("Theory of change", an initiative's title). */
    about: z.string(),
    by: z.string(),
    excerpt: z.string(),
    at: z.string(),
    unread: z.boolean(),
  }),
  z.object({
    kind: z.literal('reply'),
    planId: z.string(),
    planTitle: z.string(),
    threadId: z.string(),
    about: z.string(),
    by: z.string(),
    excerpt: z.string(),
    at: z.string(),
    unread: z.boolean(),
  }),
  z.object({
    kind: z.literal('milestone'),
    planId: z.string(),
    planTitle: z.string(),
    initiativeId: z.string(),
    initiativeTitle: z.string(),
    milestoneId: z.string(),
    title: z.string(),
    /** `YYYY-MM-DD`. */
    dueDate: z.string(),
    overdue: z.boolean(),
  }),
])
export type NeedItem = z.infer<typeof needItemSchema>

export const homeResponseSchema = z.object({
  role: z.enum(['member', 'coach', 'facilitator']),
  /** Member: their jurisdiction; coach: those they coach; facilitator: none (the cohort page lists them). */
  jurisdictions: z.array(jurisdictionSchema),
  /** Plans of those jurisdictions the person may open. */
  plans: z.array(planSummarySchema),
  /** Most urgent first: overdue milestones, mentions, threads waiting for an answer, milestones due soon. */
  needs: z.array(z.unknown()).transform((items) =>
    items.flatMap((item) => {
      const parsed = needItemSchema.safeParse(item)
      return parsed.success ? [parsed.data] : []
    }),
  ),
  /** How far ahead "milestones due" looks, in days. */
  horizonDays: z.number().int(),
})
export type HomeResponse = z.infer<typeof homeResponseSchema>
