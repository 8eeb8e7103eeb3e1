import { z } from 'zod'
import { leverIdSchema, planTitleSchema } from './plan/schemas.ts'

/**
 * Templates: documents laid out as plans (`template:<id>`), written by facilitators and read by
 * everyone signed in. A plan template is a whole plan's layout to start a plan from; an
 * initiative template holds one initiative to add into a lever of a plan.
 */
export const TEMPLATE_KINDS = [
  { id: 'plan', label: 'Plan template' },
  { id: 'initiative', label: 'Initiative template' },
] as const
export const templateKindSchema = z.enum(['plan', 'initiative'])
export type TemplateKind = z.infer<typeof templateKindSchema>

export const templateIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a template id')
export const templateDescriptionSchema = z.string().trim().max(1000, 'Keep the description under 1,000 characters')

export const templateSummarySchema = z.object({
  id: z.string(),
  kind: templateKindSchema,
  title: z.string(),
  description: z.string(),
  /** Goes up with every saved change of the template's document. */
  version: z.number().int(),
  /** Connect to `/collab/<docName>` to read or (facilitators) edit it. */
  docName: z.string(),
  /** What the caller may do with the document: facilitators edit, everyone else reads. */
  access: z.enum(['read-write', 'read-only']),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type TemplateSummary = z.infer<typeof templateSummarySchema>
export const templateListResponseSchema = z.object({ templates: z.array(templateSummarySchema) })

export const createTemplateRequestSchema = z
  .object({ kind: templateKindSchema, title: planTitleSchema, description: templateDescriptionSchema.default('') })
  .strict()
export type CreateTemplateRequest = z.input<typeof createTemplateRequestSchema>

export const updateTemplateRequestSchema = z.object({ description: templateDescriptionSchema }).strict()

/** `POST /api/templates/:id/instantiate`: a new plan for a jurisdiction, started from a plan template. */
export const instantiateTemplateRequestSchema = z
  .object({ jurisdictionId: z.string().min(1).max(64), title: planTitleSchema })
  .strict()
export type InstantiateTemplateRequest = z.infer<typeof instantiateTemplateRequestSchema>

/** `POST /api/plans/:id/initiatives/from-template`: an initiative template added into a lever. */
export const addFromTemplateRequestSchema = z.object({ templateId: templateIdSchema, lever: leverIdSchema }).strict()
export type AddFromTemplateRequest = z.infer<typeof addFromTemplateRequestSchema>

/** `POST /api/plans/:id/borrow`: an initiative of a peer's plan copied into this plan. */
export const borrowRequestSchema = z
  .object({
    fromPlanId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id'),
    initiativeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an initiative id'),
    lever: leverIdSchema,
  })
  .strict()
export type BorrowRequest = z.infer<typeof borrowRequestSchema>

/** `GET /api/plans/:id/borrows`: per initiative of the plan, how many other teams copied it. */
export const borrowCountsResponseSchema = z.object({
  initiatives: z.record(z.string(), z.object({ teams: z.number().int(), copies: z.number().int() })),
})
export type BorrowCounts = z.infer<typeof borrowCountsResponseSchema>['initiatives']
