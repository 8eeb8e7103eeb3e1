import {
  type ComponentId,
  type CoverageMatrix,
  coverageMatrix,
  FUNDING_SOURCES,
  type FundingTotals,
  INITIATIVE_STATUSES,
  type InitiativeStatus,
  type PlanSnapshot,
  type PlanStatus,
  planWarnings,
  SLFRF_DEADLINES,
} from '../plan/index.ts'
import type { CheckInSnapshot } from './CheckInsModel.ts'
import { periodDueDate } from './reporting.ts'

/**
 * Figures of one plan for dashboards and the cohort overview. Pure functions of the plan's
 * snapshot and its check-ins, so the plan page (live) and the server's projection compute the
 * same numbers.
 */

export type StatusCounts = Record<InitiativeStatus, number>
export interface CheckInCounts {
  /** Initiatives expected to check in for the period: every one not done, and any that did. */
  due: number
  /** Initiatives whose check-in for the period has a status. */
  done: number
}

/** The figures of one plan the cohort overview shows (the API's shape, without id and time). */
export interface PlanFigures {
  title: string
  status: PlanStatus
  initiatives: StatusCounts
  funding: FundingTotals
  components: Record<ComponentId, number>
  warnings: number
  checkIns: CheckInCounts
}

export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(INITIATIVE_STATUSES.map((s) => [s.id, 0])) as StatusCounts
}

export function statusCounts(initiatives: PlanSnapshot['initiatives']): StatusCounts {
  const counts = emptyStatusCounts()
  for (const i of initiatives) counts[i.status] += 1
  return counts
}

/** Dollars are summed in cents so totals do not drift. */
const addCents = (total: number, amount: number | null) => total + Math.round((amount ?? 0) * 100)

export function fundingTotals(
  lines: Array<{ budgeted: number | null; obligated: number | null; spent: number | null }>,
): FundingTotals {
  let b = 0
  let o = 0
  let s = 0
  for (const f of lines) {
    b = addCents(b, f.budgeted)
    o = addCents(o, f.obligated)
    s = addCents(s, f.spent)
  }
  return { budgeted: b / 100, obligated: o / 100, spent: s / 100 }
}

/** Check-ins due and done for one period. */
export function checkInCounts(plan: PlanSnapshot, checkIns: readonly CheckInSnapshot[], period: string): CheckInCounts {
  const reported = new Set(checkIns.filter((c) => c.period === period && c.status !== null).map((c) => c.initiativeId))
  let due = 0
  let done = 0
  for (const i of plan.initiatives) {
    const did = reported.has(i.id)
    if (did || i.status !== 'done') due += 1
    if (did) done += 1
  }
  return { due, done }
}

/** Check-in counts for every period that has check-ins (others: `checkInCounts` with none). */
export function checkInCountsByPeriod(
  plan: PlanSnapshot,
  checkIns: readonly CheckInSnapshot[],
): Record<string, CheckInCounts> {
  const periods = [...new Set(checkIns.map((c) => c.period))].sort()
  return Object.fromEntries(periods.map((p) => [p, checkInCounts(plan, checkIns, p)]))
}

export function planFigures(
  plan: PlanSnapshot,
  checkIns: readonly CheckInSnapshot[],
  { period, today }: { period: string; today: string },
): PlanFigures {
  return {
    title: plan.title,
    status: plan.status,
    initiatives: statusCounts(plan.initiatives),
    funding: fundingTotals(plan.initiatives.flatMap((i) => i.funding)),
    components: coverageMatrix(plan).byComponent as Record<ComponentId, number>,
    warnings: planWarnings(plan, today).length,
    checkIns: checkInCounts(plan, checkIns, period),
  }
}

/** The first number in a free-text baseline or target (`$15.50/hour` → 15.5), or null. */
export function leadingNumber(text: string): number | null {
  const match = /-?\d[\d,]*(?:\.\d+)?/.exec(text)
  if (!match) return null
  const value = Number(match[0].replace(/,/g, ''))
  return Number.isFinite(value) ? value : null
}

export interface MetricSeries {
  initiativeId: string
  initiativeTitle: string
  metricId: string
  name: string
  baseline: number | null
  target: number | null
  targetDate: string | null
  /** Actuals reported in check-ins, oldest first. */
  actuals: Array<{ period: string; date: string; value: number }>
}

export interface SourceFunding extends FundingTotals {
  source: string
  label: string
}

export interface OpenMilestone {
  initiativeId: string
  initiativeTitle: string
  milestoneId: string
  title: string
  dueDate: string
}

/** The figures of the plan dashboard (besides PlanFigures). */
export interface DashboardFigures {
  period: string
  figures: PlanFigures
  statusByLever: Array<{ leverId: string; label: string; counts: StatusCounts }>
  fundingBySource: SourceFunding[]
  /** SLFRF obligated and spent as of each period with a check-in (latest known per line). */
  slfrfOverTime: Array<{ period: string; date: string; obligated: number; spent: number }>
  slfrfBudget: number
  deadlines: { obligateBy: string; spendBy: string }
  metrics: MetricSeries[]
  coverage: CoverageMatrix
  /** Milestones not done whose due date has passed, oldest first. */
  overdueMilestones: OpenMilestone[]
}

const titleOf = (i: { title: string }) => i.title.trim() || 'Untitled initiative'

/** Milestones not done that have a due date. */
export function openMilestones(plan: PlanSnapshot): OpenMilestone[] {
  return plan.initiatives
    .flatMap((i) =>
      i.milestones
        .filter((m) => !m.done && m.dueDate !== null)
        .map((m) => ({
          initiativeId: i.id,
          initiativeTitle: titleOf(i),
          milestoneId: m.id,
          title: m.title.trim() || 'Untitled milestone',
          dueDate: m.dueDate as string,
        })),
    )
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.title.localeCompare(b.title))
}

export function overdueMilestones(open: readonly OpenMilestone[], today: string): OpenMilestone[] {
  return open.filter((m) => m.dueDate < today)
}

export function metricSeries(plan: PlanSnapshot, checkIns: readonly CheckInSnapshot[]): MetricSeries[] {
  return plan.initiatives.flatMap((i) =>
    i.metrics.map((m) => ({
      initiativeId: i.id,
      initiativeTitle: titleOf(i),
      metricId: m.id,
      name: m.name.trim() || 'Unnamed metric',
      baseline: leadingNumber(m.baseline),
      target: leadingNumber(m.target),
      targetDate: m.targetDate,
      actuals: checkIns
        .filter((c) => c.initiativeId === i.id && c.metrics[m.id])
        .map((c) => ({
          period: c.period,
          date: c.metrics[m.id]?.date as string,
          value: c.metrics[m.id]?.value as number,
        }))
        .sort((a, b) => a.date.localeCompare(b.date) || a.period.localeCompare(b.period)),
    })),
  )
}

export function slfrfOverTime(
  plan: PlanSnapshot,
  checkIns: readonly CheckInSnapshot[],
): DashboardFigures['slfrfOverTime'] {
  const lines = new Map<string, string>() // SLFRF line id → its initiative
  for (const i of plan.initiatives) for (const f of i.funding) if (f.source === 'slfrf') lines.set(f.id, i.id)
  const periods = [...new Set(checkIns.map((c) => c.period))].sort()
  const latest = new Map<string, { obligated: number | null; spent: number | null }>()
  const out: DashboardFigures['slfrfOverTime'] = []
  for (const period of periods) {
    let touched = false
    for (const c of checkIns) {
      if (c.period !== period) continue
      for (const [lineId, amounts] of Object.entries(c.funding)) {
        if (lines.get(lineId) !== c.initiativeId) continue
        latest.set(lineId, amounts)
        touched = true
      }
    }
    if (!touched) continue
    const totals = fundingTotals([...latest.values()].map((a) => ({ budgeted: 0, ...a })))
    out.push({ period, date: periodDueDate(period), obligated: totals.obligated, spent: totals.spent })
  }
  return out
}

export function dashboardFigures(
  plan: PlanSnapshot,
  checkIns: readonly CheckInSnapshot[],
  { period, today }: { period: string; today: string },
): DashboardFigures {
  const sources = [
    ...FUNDING_SOURCES.map((s) => ({ id: s.id as string, label: s.label })),
    { id: 'unspecified', label: 'Source not set' },
  ]
  const fundingBySource = sources
    .map((s) => ({
      source: s.id,
      label: s.label,
      ...fundingTotals(plan.initiatives.flatMap((i) => i.funding.filter((f) => (f.source ?? 'unspecified') === s.id))),
    }))
    .filter((s) => s.source !== 'unspecified' || s.budgeted + s.obligated + s.spent > 0)
  return {
    period,
    figures: planFigures(plan, checkIns, { period, today }),
    statusByLever: plan.levers.map((l) => ({
      leverId: l.id,
      label: l.label,
      counts: statusCounts(plan.initiatives.filter((i) => i.lever === l.id)),
    })),
    fundingBySource,
    slfrfOverTime: slfrfOverTime(plan, checkIns),
    slfrfBudget: fundingBySource.find((s) => s.source === 'slfrf')?.budgeted ?? 0,
    deadlines: { ...SLFRF_DEADLINES },
    metrics: metricSeries(plan, checkIns),
    coverage: coverageMatrix(plan),
    overdueMilestones: overdueMilestones(openMilestones(plan), today),
  }
}
