/** Where a time axis puts its ticks, and how it labels them. */
export interface TimeTicks {
  values: Date[]
  format: (date: Date) => string
}

const monthYear = (d: Date) => d.toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' })
const monthDay = (d: Date) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' })

/**
 * Ticks of a time axis (UTC) that never repeat a label: the first of each month when the range
 * holds two or more of them ("Nov 2026", "Dec 2026"), every few months past `max`; otherwise
 * up to `max` evenly spread days ("Nov 3"), as a range within one month needs.
 */
export function timeTicks(from: Date, to: Date, max = 5): TimeTicks {
  const months: Date[] = []
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1))
  if (start.getTime() < from.getTime()) start.setUTCMonth(start.getUTCMonth() + 1)
  for (const d = start; d.getTime() <= to.getTime(); d.setUTCMonth(d.getUTCMonth() + 1)) months.push(new Date(d))
  if (months.length >= 2) {
    const step = Math.ceil(months.length / max)
    return { values: months.filter((_, i) => i % step === 0), format: monthYear }
  }
  const days: Date[] = []
  const dayMs = 86_400_000
  const first = Math.ceil(from.getTime() / dayMs)
  const last = Math.floor(to.getTime() / dayMs)
  const step = Math.max(1, Math.ceil((last - first + 1) / max))
  for (let day = first; day <= last; day += step) days.push(new Date(day * dayMs))
  // Days are labelled without their year: a label per distinct day, never two alike.
  return { values: days, format: monthDay }
}
