import { SLFRF_DEADLINES } from './catalog.ts'
import type { FundingLineSnapshot, InitiativeSnapshot, PlanSnapshot } from './schemas.ts'

/**
 * Funding rules a budget office checks, per funding line: spent ≤ obligated ≤ budgeted, and for
 * SLFRF the obligation (2024-12-31) and spending (2026-12-31) deadlines; plus totals per lever and
 * for the plan, and the countdown to the spending deadline for unspent SLFRF money. Pure, like
 * the other derived views. Dates are `YYYY-MM-DD`.
 */

export type FundingProblemCode =
  | 'obligatedOverBudget'
  | 'spentOverObligated'
  | 'spentOverBudget'
  | 'slfrfLineObligatedLate'
  | 'slfrfLineSpentLate'

export interface FundingProblem {
  code: FundingProblemCode
  severity: 'high' | 'medium'
  /** Which amount or date to change to fix it. */
  field: 'budgeted' | 'obligated' | 'spent' | 'obligatedBy' | 'spentBy'
  /** Without the initiative's name: "obligated ($50,000) is more than budgeted ($40,000)." */
  message: string
}

/** "$1,250.5" → "$1,250.50"; whole dollars without cents. */
export function formatDollars(n: number): string {
  const whole = Number.isInteger(n)
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: whole ? 0 : 2, maximumFractionDigits: 2 })}`
}

/** What is wrong with one funding line. */
export function fundingLineProblems(line: FundingLineSnapshot | null): FundingProblem[] {
  const problems: FundingProblem[] = []
  if (!line) return problems
  const { budgeted, obligated, spent } = line
  if (budgeted !== null && obligated !== null && obligated > budgeted) {
    problems.push({
      code: 'obligatedOverBudget',
      severity: 'medium',
      field: 'obligated',
      message: `obligated (${formatDollars(obligated)}) is more than budgeted (${formatDollars(budgeted)}).`,
    })
  }
  if (obligated !== null && spent !== null && spent > obligated) {
    problems.push({
      code: 'spentOverObligated',
      severity: 'medium',
      field: 'spent',
      message: `spent (${formatDollars(spent)}) is more than obligated (${formatDollars(obligated)}).`,
    })
  } else if (obligated === null && budgeted !== null && spent !== null && spent > budgeted) {
    problems.push({
      code: 'spentOverBudget',
      severity: 'medium',
      field: 'spent',
      message: `spent (${formatDollars(spent)}) is more than budgeted (${formatDollars(budgeted)}).`,
    })
  }
  if (line.source === 'slfrf') {
    if (line.obligatedBy !== null && line.obligatedBy > SLFRF_DEADLINES.obligateBy) {
      problems.push({
        code: 'slfrfLineObligatedLate',
        severity: 'high',
        field: 'obligatedBy',
        message: `SLFRF obligated on ${line.obligatedBy}, after the obligation deadline of ${SLFRF_DEADLINES.obligateBy}.`,
      })
    }
    if (line.spentBy !== null && line.spentBy > SLFRF_DEADLINES.spendBy) {
      problems.push({
        code: 'slfrfLineSpentLate',
        severity: 'high',
        field: 'spentBy',
        message: `SLFRF spent by ${line.spentBy}, after the spending deadline of ${SLFRF_DEADLINES.spendBy}.`,
      })
    }
  }
  return problems
}

/** Whole days from `today` to `date` (negative once it has passed). */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
}

/** Money of an SLFRF line not yet spent: what is obligated (or else budgeted) minus what is spent. */
export function unspentSlfrf(line: FundingLineSnapshot): number {
  if (line.source !== 'slfrf') return 0
  const committed = line.obligated ?? line.budgeted ?? 0
  return Math.max(0, Math.round((committed - (line.spent ?? 0)) * 100) / 100)
}

/** The countdown shown beside unspent SLFRF money. */
export interface SlfrfCountdown {
  unspent: number
  /** Days left to spend it (0 on the deadline, negative after it). */
  daysLeft: number
  deadline: string
}

export function slfrfCountdown(lines: FundingLineSnapshot[], today: string): SlfrfCountdown | null {
  const unspent = lines.reduce((sum, l) => sum + unspentSlfrf(l), 0)
  if (unspent <= 0) return null
  return {
    unspent: Math.round(unspent * 100) / 100,
    daysLeft: daysBetween(today, SLFRF_DEADLINES.spendBy),
    deadline: SLFRF_DEADLINES.spendBy,
  }
}

/** "412 days left to spend it (by 2026-12-31)", or how long ago the deadline passed. */
export function countdownText(c: SlfrfCountdown): string {
  if (c.daysLeft > 1) return `${c.daysLeft} days left to spend it (by ${c.deadline})`
  if (c.daysLeft === 1) return `1 day left to spend it (by ${c.deadline})`
  if (c.daysLeft === 0) return `the spending deadline is today (${c.deadline})`
  return `the spending deadline (${c.deadline}) passed ${-c.daysLeft} ${c.daysLeft === -1 ? 'day' : 'days'} ago`
}

export interface FundingTotals {
  budgeted: number
  obligated: number
  spent: number
}

export interface FundingSummary {
  /** Per lever of the plan, in the plan's order. */
  levers: Array<{ id: string; label: string; totals: FundingTotals; slfrf: SlfrfCountdown | null }>
  plan: FundingTotals
  /** Unspent SLFRF money of the whole plan and the days left to spend it. */
  slfrf: SlfrfCountdown | null
}

const zero = (): FundingTotals => ({ budgeted: 0, obligated: 0, spent: 0 })

function add(t: FundingTotals, line: FundingLineSnapshot): void {
  t.budgeted += line.budgeted ?? 0
  t.obligated += line.obligated ?? 0
  t.spent += line.spent ?? 0
}

function rounded(t: FundingTotals): FundingTotals {
  const r = (n: number) => Math.round(n * 100) / 100
  return { budgeted: r(t.budgeted), obligated: r(t.obligated), spent: r(t.spent) }
}

/** Totals per lever and for the plan, and the SLFRF countdowns. */
export function fundingSummary(plan: PlanSnapshot, today: string): FundingSummary {
  const byLever = new Map<string, InitiativeSnapshot[]>()
  for (const i of plan.initiatives) byLever.set(i.lever, [...(byLever.get(i.lever) ?? []), i])
  const all = zero()
  const levers = plan.levers.map((l) => {
    const totals = zero()
    const lines = (byLever.get(l.id) ?? []).flatMap((i) => i.funding)
    for (const line of lines) add(totals, line)
    return { id: l.id, label: l.label, totals: rounded(totals), slfrf: slfrfCountdown(lines, today) }
  })
  const lines = plan.initiatives.filter((i) => plan.levers.some((l) => l.id === i.lever)).flatMap((i) => i.funding)
  for (const line of lines) add(all, line)
  return { levers, plan: rounded(all), slfrf: slfrfCountdown(lines, today) }
}
