import { z } from 'zod'
import { planAccessSchema } from './auth.ts'
import { planTitleSchema } from './plan/schemas.ts'

/** Shapes of the HTTP API under /api, shared by the server (which validates) and the client. */

export const jurisdictionKindSchema = z.enum(['state', 'city', 'county'])

export const jurisdictionSchema = z.object({
  /** The slug, e.g. `boulder-co`. */
  id: z.string(),
  name: z.string(),
  kind: jurisdictionKindSchema,
  state: z.string(),
  agency: z.string(),
  planCount: z.number().int(),
})
export type Jurisdiction = z.infer<typeof jurisdictionSchema>

export const planSummarySchema = z.object({
  id: z.string(),
  jurisdictionId: z.string(),
  title: z.string(),
  /** Name of the plan's collaboration document: connect to `/collab/<docName>`. */
  docName: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Whether the team shares the plan with the whole cohort (read-only for peers). */
  sharedWithCohort: z.boolean(),
  /** What the caller may do with it: read-write, comment-only or read-only. */
  access: planAccessSchema,
  /** The template the plan started from, and the template's version then (absent when none). */
  template: z.object({ id: z.string(), title: z.string(), version: z.number().int() }).optional(),
})
export type PlanSummary = z.infer<typeof planSummarySchema>

export const createPlanRequestSchema = z.object({ title: planTitleSchema }).strict()
export type CreatePlanRequest = z.infer<typeof createPlanRequestSchema>

export const jurisdictionListResponseSchema = z.object({ jurisdictions: z.array(jurisdictionSchema) })
export const jurisdictionResponseSchema = z.object({ jurisdiction: jurisdictionSchema })
export const planListResponseSchema = z.object({ plans: z.array(planSummarySchema) })
