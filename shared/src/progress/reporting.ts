import { z } from 'zod'

/**
 * The cohort's reporting calendar: check-ins are written per period (a month by default, or a
 * quarter). A period's updates are due on its last day; it stays open for `graceDays` more days,
 * then closes (read-only) unless a facilitator reopens it.
 */
export const reportingFrequencySchema = z.enum(['monthly', 'quarterly'])
export type ReportingFrequency = z.infer<typeof reportingFrequencySchema>

export const reportingCalendarSchema = z
  .object({
    frequency: reportingFrequencySchema,
    /** Days after a period's last day during which its check-ins may still be written. */
    graceDays: z.number().int().min(0).max(60),
  })
  .strict()
export type ReportingCalendar = z.infer<typeof reportingCalendarSchema>

export const DEFAULT_REPORTING_CALENDAR: ReportingCalendar = { frequency: 'monthly', graceDays: 7 }

/** `2026-11` (a month) or `2026-Q4` (a quarter). */
export const periodIdSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'Not a reporting period')

const pad = (n: number) => String(n).padStart(2, '0')
const isoDay = (d: Date) => d.toISOString().slice(0, 10)

/** The period a date (`YYYY-MM-DD`) falls in. */
export function periodOf(date: string, frequency: ReportingFrequency): string {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  return frequency === 'monthly' ? `${year}-${pad(month)}` : `${year}-Q${Math.ceil(month / 3)}`
}

/** First and last day of a period. */
export function periodRange(period: string): { start: string; end: string } {
  const year = Number(period.slice(0, 4))
  const quarter = period[5] === 'Q'
  const firstMonth = quarter ? (Number(period.slice(6)) - 1) * 3 + 1 : Number(period.slice(5, 7))
  const lastMonth = quarter ? firstMonth + 2 : firstMonth
  const start = `${year}-${pad(firstMonth)}-01`
  const end = isoDay(new Date(Date.UTC(year, lastMonth, 0)))
  return { start, end }
}

/** A period for people: `November 2026`, `Q4 2026`. */
export function periodLabel(period: string): string {
  if (period[5] === 'Q') return `${period.slice(5)} ${period.slice(0, 4)}`
  const { start } = periodRange(period)
  return new Date(`${start}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
}

/** The day a period's check-ins are due (its last day). */
export function periodDueDate(period: string): string {
  return periodRange(period).end
}

/** The last day a period's check-ins may be written before it closes. */
export function periodClosesAfter(period: string, calendar: ReportingCalendar): string {
  const end = new Date(`${periodRange(period).end}T00:00:00Z`)
  end.setUTCDate(end.getUTCDate() + calendar.graceDays)
  return isoDay(end)
}

/** True when a period is read-only: past its close date and not reopened by a facilitator. */
export function isPeriodClosed(
  period: string,
  calendar: ReportingCalendar,
  today: string,
  reopened: ReadonlySet<string> | readonly string[] = [],
): boolean {
  const open = reopened instanceof Set ? reopened.has(period) : (reopened as readonly string[]).includes(period)
  return !open && today > periodClosesAfter(period, calendar)
}

/** The current period and the `count - 1` before it, newest first. */
export function recentPeriods(calendar: ReportingCalendar, today: string, count: number): string[] {
  const out: string[] = []
  let cursor = periodOf(today, calendar.frequency)
  for (let i = 0; i < count; i++) {
    out.push(cursor)
    const { start } = periodRange(cursor)
    const before = new Date(`${start}T00:00:00Z`)
    before.setUTCDate(0)
    cursor = periodOf(isoDay(before), calendar.frequency)
  }
  return out
}

/** Today as `YYYY-MM-DD` (UTC). */
export function todayIso(now = new Date()): string {
  return isoDay(now)
}

/** One period as the calendar API reports it. */
export const reportingPeriodSchema = z.object({
  id: periodIdSchema,
  label: z.string(),
  start: z.string(),
  end: z.string(),
  dueDate: z.string(),
  closesAfter: z.string(),
  closed: z.boolean(),
  reopened: z.boolean(),
})
export type ReportingPeriod = z.infer<typeof reportingPeriodSchema>

/** A period with its dates and state. */
export function describePeriod(
  id: string,
  calendar: ReportingCalendar,
  today: string,
  reopened: readonly string[],
): ReportingPeriod {
  const { start, end } = periodRange(id)
  return {
    id,
    label: periodLabel(id),
    start,
    end,
    dueDate: periodDueDate(id),
    closesAfter: periodClosesAfter(id, calendar),
    closed: isPeriodClosed(id, calendar, today, reopened),
    reopened: reopened.includes(id),
  }
}
