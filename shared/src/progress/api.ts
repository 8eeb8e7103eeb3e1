import { z } from 'zod'
import { INITIATIVE_STATUSES, JOB_QUALITY_COMPONENTS } from '../plan/catalog.ts'
import { planStatusSchema } from '../plan/schemas.ts'
import { reportingCalendarSchema, reportingPeriodSchema } from './reporting.ts'

/** Shapes of the progress API: the cohort overview, a plan's dashboard, the reporting calendar. */

const count = z.number().int().min(0)
const statusCountsSchema = z.object(
  Object.fromEntries(INITIATIVE_STATUSES.map((s) => [s.id, count])) as Record<
    (typeof INITIATIVE_STATUSES)[number]['id'],
    typeof count
  >,
)
const componentCountsSchema = z.object(
  Object.fromEntries(JOB_QUALITY_COMPONENTS.map((c) => [c.id, count])) as Record<
    (typeof JOB_QUALITY_COMPONENTS)[number]['id'],
    typeof count
  >,
)
const fundingTotalsSchema = z.object({ budgeted: z.number(), obligated: z.number(), spent: z.number() })
const checkInCountsSchema = z.object({ due: count, done: count })

export const overviewPlanSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: planStatusSchema,
  initiatives: statusCountsSchema,
  funding: fundingTotalsSchema,
  components: componentCountsSchema,
  warnings: count,
  checkIns: checkInCountsSchema,
  /** The plan's last change (ISO time). */
  updatedAt: z.string(),
})
export type OverviewPlan = z.infer<typeof overviewPlanSchema>

export const overviewJurisdictionSchema = z.object({
  id: z.string(),
  name: z.string(),
  plans: z.array(overviewPlanSchema),
})
export type OverviewJurisdiction = z.infer<typeof overviewJurisdictionSchema>

/** `GET /api/cohort/overview`. */
export const cohortOverviewResponseSchema = z.object({ jurisdictions: z.array(overviewJurisdictionSchema) })
export type CohortOverviewResponse = z.infer<typeof cohortOverviewResponseSchema>

const openMilestoneSchema = z.object({
  initiativeId: z.string(),
  initiativeTitle: z.string(),
  milestoneId: z.string(),
  title: z.string(),
  dueDate: z.string(),
})

/** `GET /api/plans/:id/dashboard`: the overview's figures for one plan plus series. */
export const planDashboardResponseSchema = z.object({
  plan: overviewPlanSchema,
  period: z.string(),
  statusByLever: z.array(z.object({ leverId: z.string(), label: z.string(), counts: statusCountsSchema })),
  fundingBySource: z.array(fundingTotalsSchema.extend({ source: z.string(), label: z.string() })),
  slfrfOverTime: z.array(z.object({ period: z.string(), date: z.string(), obligated: z.number(), spent: z.number() })),
  slfrfBudget: z.number(),
  deadlines: z.object({ obligateBy: z.string(), spendBy: z.string() }),
  metrics: z.array(
    z.object({
      initiativeId: z.string(),
      initiativeTitle: z.string(),
      metricId: z.string(),
      name: z.string(),
      baseline: z.number().nullable(),
      target: z.number().nullable(),
      targetDate: z.string().nullable(),
      actuals: z.array(z.object({ period: z.string(), date: z.string(), value: z.number() })),
    }),
  ),
  coverage: z.object({
    levers: z.array(z.object({ id: z.string(), label: z.string() })),
    components: z.array(z.object({ id: z.string(), label: z.string() })),
    counts: z.record(z.string(), z.record(z.string(), z.number())),
    byComponent: z.record(z.string(), z.number()),
    byLever: z.record(z.string(), z.number()),
  }),
  overdueMilestones: z.array(openMilestoneSchema),
})
export type PlanDashboardResponse = z.infer<typeof planDashboardResponseSchema>

/** `GET /api/cohort/calendar`. */
export const reportingCalendarResponseSchema = z.object({
  calendar: reportingCalendarSchema,
  today: z.string(),
  current: reportingPeriodSchema,
  /** The current period and the ones before it, newest first. */
  periods: z.array(reportingPeriodSchema),
  /** Periods a facilitator reopened. */
  reopened: z.array(z.string()),
})
export type ReportingCalendarResponse = z.infer<typeof reportingCalendarResponseSchema>

/** `GET /api/cohort/check-ins/due`: the caller's plans and their check-ins for the current period. */
export const checkInsDueResponseSchema = z.object({
  period: reportingPeriodSchema,
  plans: z.array(z.object({ id: z.string(), title: z.string(), jurisdictionId: z.string(), due: count, done: count })),
})
export type CheckInsDueResponse = z.infer<typeof checkInsDueResponseSchema>
