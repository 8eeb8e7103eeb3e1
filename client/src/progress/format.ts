import { CHECK_IN_STATUSES, INITIATIVE_STATUSES, type InitiativeStatus } from '@lever/shared'
import { formatDateWith } from '../ui/time.ts'

const dollarFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })
const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })

/** Whole dollars for charts and tables: `$250,000`. */
export function dollars(value: number): string {
  return dollarFormat.format(value)
}

/** A date for people: `Dec 31, 2026`. */
export function dayLabel(iso: string): string {
  return formatDateWith(dayFormat, new Date(`${iso}T00:00:00Z`))
}

/** A weekday for "due Friday" when the date is within a week, else the date. */
export function dueLabel(iso: string, today: string): string {
  const days = Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
  if (days === 0) return 'today'
  if (days === 1) return 'tomorrow'
  if (days > 1 && days < 7)
    return new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', timeZone: 'UTC' })
  return dayLabel(iso)
}

/**
 * How each initiative status is drawn: a colour, a fill pattern and a symbol, so that colour is
 * never the only way to tell statuses apart (print in grey, colour-blind readers).
 */
export const STATUS_STYLE: Record<
  InitiativeStatus,
  { color: string; pattern: 'solid' | 'lines' | 'cross' | 'dots' | 'empty'; symbol: string }
> = {
  notStarted: { color: '#6b7280', pattern: 'empty', symbol: '○' },
  onTrack: { color: '#047857', pattern: 'solid', symbol: '●' },
  atRisk: { color: '#b45309', pattern: 'lines', symbol: '▲' },
  offTrack: { color: '#b91c1c', pattern: 'cross', symbol: '✕' },
  done: { color: '#1d4ed8', pattern: 'dots', symbol: '✓' },
}

export const STATUS_LABELS: Record<InitiativeStatus, string> = Object.fromEntries(
  INITIATIVE_STATUSES.map((s) => [s.id, s.label]),
) as Record<InitiativeStatus, string>

export const CHECK_IN_LABELS = Object.fromEntries(CHECK_IN_STATUSES.map((s) => [s.id, s.label])) as Record<
  (typeof CHECK_IN_STATUSES)[number]['id'],
  string
>
