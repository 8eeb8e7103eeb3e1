/** Times as people read them. */

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

/**
 * A date written with a formatter made once: making one per call (what `toLocaleString` does)
 * costs far more than formatting, and a plan page formats hundreds of dates as it opens.
 */
export function formatDateWith(format: Intl.DateTimeFormat, date: Date): string {
  return Number.isNaN(date.getTime()) ? 'Invalid Date' : format.format(date)
}

const dayFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' })
const fullFormat = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' })

/** "5 minutes ago", "yesterday", or a date for older times. */
export function whenText(iso: string, now = Date.now()): string {
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  const seconds = Math.round((t - now) / 1000)
  if (Math.abs(seconds) < 45) return 'just now'
  const minutes = Math.round(seconds / 60)
  if (Math.abs(minutes) < 60) return relative.format(minutes, 'minute')
  const hours = Math.round(minutes / 60)
  if (Math.abs(hours) < 24) return relative.format(hours, 'hour')
  const days = Math.round(hours / 24)
  if (Math.abs(days) < 7) return relative.format(days, 'day')
  return dayText(iso)
}

/** "Dec 9, 2026": the day of a moment, in the reader's time zone. */
export function dayText(iso: string): string {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? iso : dayFormat.format(t)
}

/** "Dec 9, 2026, 3:00 PM" in the reader's time zone. */
export function fullDate(iso: string): string {
  const t = Date.parse(iso)
  return Number.isNaN(t) ? iso : fullFormat.format(t)
}
