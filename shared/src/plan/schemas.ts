import { z } from 'zod'
import {
  DISAGGREGATIONS,
  EVIDENCE_TIERS,
  FUNDING_SOURCES,
  INITIATIVE_STATUSES,
  idsOf,
  JOB_QUALITY_COMPONENTS,
  LABOR_PRACTICES,
  METRIC_FREQUENCIES,
  METRIC_TYPES,
  PLAN_SECTIONS,
  PLAN_STATUSES,
  SLFRF_CATEGORIES,
} from './catalog.ts'

/** A calendar date, `YYYY-MM-DD`, that exists. */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2024-12-31')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s
  }, 'Not a real date')

/** A dollar amount: not negative, at most a trillion, whole cents. */
export const amountSchema = z
  .number()
  .finite()
  .min(0, 'Amounts cannot be negative')
  .max(1e12, 'That amount is too large')
  .refine((n) => Math.round(n * 100) === n * 100, 'Use whole cents')

export const planTitleSchema = z
  .string()
  .trim()
  .min(1, 'A plan needs a title')
  .max(200, 'Keep titles under 200 characters')

/** The longest title of a plan or an initiative. */
export const TITLE_MAX = 200

/** An initiative's title: capped like plan titles (an empty one reads "Untitled initiative"). */
export const initiativeTitleSchema = z.string().max(TITLE_MAX, 'Keep titles under 200 characters')

/** The earliest date a plan can have been reviewed (the program began after it). */
export const EARLIEST_REVIEW = '2020-01-01'

/** Today's date where the code runs, `YYYY-MM-DD` in the local calendar (what a date input shows). */
export function localToday(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/**
 * "Last reviewed": a real date, not before 2020 and not after `today` (a review that has not
 * happened yet cannot be recorded). `today` is `YYYY-MM-DD`.
 */
export function lastReviewedSchema(today: string = localToday()) {
  return isoDateSchema
    .refine((d) => d >= EARLIEST_REVIEW, 'A review before 2020 predates the program; check the year')
    .refine((d) => d <= today, 'A review cannot be in the future')
}

export const planStatusSchema = z.enum(idsOf(PLAN_STATUSES))
export const initiativeStatusSchema = z.enum(idsOf(INITIATIVE_STATUSES))
export const componentIdSchema = z.enum(idsOf(JOB_QUALITY_COMPONENTS))
export const sectionIdSchema = z.enum(idsOf(PLAN_SECTIONS))
export const evidenceTierSchema = z.enum(idsOf(EVIDENCE_TIERS))
export const fundingSourceSchema = z.enum(idsOf(FUNDING_SOURCES))
export const slfrfCategorySchema = z.enum(idsOf(SLFRF_CATEGORIES))
export const metricTypeSchema = z.enum(idsOf(METRIC_TYPES))
export const metricFrequencySchema = z.enum(idsOf(METRIC_FREQUENCIES))
export const disaggregationSchema = z.enum(idsOf(DISAGGREGATIONS))
export const laborPracticeSchema = z.enum(idsOf(LABOR_PRACTICES))
export const leverIdSchema = z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, 'Lever ids are letters and digits')

/** Where an initiative or a passage came from, when it was not written in the plan itself. */
export const provenanceSchema = z.object({
  kind: z.literal('breakout'),
  sessionId: z.string(),
  /** The session's title when the content was sent (older records may lack it). */
  sessionTitle: z.string().optional(),
  draftId: z.string(),
  groupName: z.string(),
  by: z.string(),
  at: z.string(),
})
export type Provenance = z.infer<typeof provenanceSchema>

/** Where a copied initiative came from: another team's plan ("Copy to my plan"). */
export const borrowedFromSchema = z.object({
  planId: z.string(),
  planTitle: z.string(),
  jurisdictionId: z.string(),
  jurisdictionName: z.string(),
  initiativeId: z.string(),
  by: z.string(),
  at: z.string(),
})
export type BorrowedFrom = z.infer<typeof borrowedFromSchema>

/** The template an initiative was added from, and the template's version then. */
export const fromTemplateSchema = z.object({
  templateId: z.string(),
  title: z.string(),
  version: z.number().int(),
  by: z.string(),
  at: z.string(),
})
export type FromTemplate = z.infer<typeof fromTemplateSchema>
/** A library entry cited in an initiative's evidence, as the entry was when it was cited. */
export const evidenceCitationSchema = z.object({
  id: z.string(),
  entryId: z.string(),
  title: z.string(),
  rating: z.object({ scheme: z.string(), value: z.string() }).nullable(),
  /** The entry's revision when cited: a newer current revision means "updated since cited". */
  revision: z.number().int(),
  sourceName: z.string(),
  sourceUrl: z.string(),
  by: z.string(),
  byName: z.string(),
  at: z.string(),
})
export type EvidenceCitation = z.infer<typeof evidenceCitationSchema>

// ---- The plain shape of a whole plan (what planSnapshot() returns) ----

export const fundingLineSnapshotSchema = z.object({
  id: z.string(),
  source: fundingSourceSchema.nullable(),
  program: z.string(),
  category: slfrfCategorySchema.nullable(),
  budgeted: amountSchema.nullable(),
  obligated: amountSchema.nullable(),
  spent: amountSchema.nullable(),
  /** When this line's money is (or will be) obligated. */
  obligatedBy: isoDateSchema.nullable(),
  /** When this line's money is (or will be) spent. */
  spentBy: isoDateSchema.nullable(),
})
export type FundingLineSnapshot = z.infer<typeof fundingLineSnapshotSchema>

export const metricSnapshotSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: metricTypeSchema.nullable(),
  baseline: z.string(),
  target: z.string(),
  targetDate: isoDateSchema.nullable(),
  dataSource: z.string(),
  frequency: metricFrequencySchema.nullable(),
  disaggregation: z.array(disaggregationSchema),
})
export type MetricSnapshot = z.infer<typeof metricSnapshotSchema>

export const milestoneSnapshotSchema = z.object({
  id: z.string(),
  title: z.string(),
  dueDate: isoDateSchema.nullable(),
  done: z.boolean(),
})
export type MilestoneSnapshot = z.infer<typeof milestoneSnapshotSchema>

export const initiativeSnapshotSchema = z.object({
  id: z.string(),
  lever: z.string(),
  title: z.string(),
  description: z.string(),
  owner: z.string(),
  partners: z.string(),
  status: initiativeStatusSchema,
  startDate: isoDateSchema.nullable(),
  dueDate: isoDateSchema.nullable(),
  components: z.array(componentIdSchema),
  funding: z.array(fundingLineSnapshotSchema),
  evidence: z.object({
    tier: evidenceTierSchema.nullable(),
    citation: z.string(),
    evaluationDesign: z.string(),
    /** Library entries cited, as they were when cited (oldest first). */
    citations: z.array(evidenceCitationSchema),
  }),
  metrics: z.array(metricSnapshotSchema),
  milestones: z.array(milestoneSnapshotSchema),
  risks: z.string(),
  laborPractices: z.array(laborPracticeSchema),
  provenance: provenanceSchema.nullable(),
})
export type InitiativeSnapshot = z.infer<typeof initiativeSnapshotSchema>

export const planSnapshotSchema = z.object({
  schemaVersion: z.number().int(),
  title: z.string(),
  jurisdictionId: z.string(),
  status: planStatusSchema,
  sharedWithCohort: z.boolean(),
  lastReviewed: isoDateSchema.nullable(),
  targetComponents: z.array(componentIdSchema),
  sections: z.record(z.string(), z.string()),
  levers: z.array(z.object({ id: z.string(), label: z.string(), description: z.string() })),
  initiatives: z.array(initiativeSnapshotSchema),
})
export type PlanSnapshot = z.infer<typeof planSnapshotSchema>
