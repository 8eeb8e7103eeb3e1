import { type CohortSession, DEFAULT_LEVERS, isSessionPast, labelOf, PLAN_SECTIONS } from '@lever/shared'
import { domIds } from '../plan/domIds.ts'

export const PHASES: ReadonlyArray<{ id: CohortSession['phase']; label: string }> = [
  { id: 'phase1', label: 'Phase 1: strategy' },
  { id: 'phase2', label: 'Phase 2: levers' },
  { id: 'other', label: 'Other' },
]

/** The element id of a session on the calendar (`/sessions#<id>` lands on it). */
export function calendarEntryId(sessionId: string): string {
  return `session-${sessionId}`
}

export function phaseLabel(phase: CohortSession['phase']): string {
  return labelOf(PHASES, phase)
}

/** "Wed, Jun 15, 2022, 1:00 PM EDT" in the viewer's time zone. */
export function formatSessionTime(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  return d.toLocaleString(undefined, {
    weekday: 'short',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  })
}

export function formatTime(iso: string): string {
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })
}

/** One focus item of a session (`section:<id>` or `lever:<id>`): its label and where it is on a plan page. */
export interface FocusItem {
  key: string
  kind: 'section' | 'lever'
  id: string
  label: string
  /** The element id on the plan page. */
  anchor: string
}

export function focusItem(key: string): FocusItem | null {
  const [kind, id] = key.split(':')
  if (!id) return null
  if (kind === 'section') {
    const label = labelOf(PLAN_SECTIONS, id)
    return { key, kind, id, label, anchor: `section-${id}` }
  }
  if (kind === 'lever') {
    const label = labelOf(DEFAULT_LEVERS, id)
    return { key, kind, id, label, anchor: domIds.lever(id) }
  }
  return null
}

export function focusItems(keys: readonly string[]): FocusItem[] {
  return keys.map(focusItem).filter((f): f is FocusItem => f !== null)
}

/** Every focus a session can have: the plan's prose sections, then the levers. */
export const FOCUS_CHOICES: FocusItem[] = [
  ...PLAN_SECTIONS.map((s) => `section:${s.id}`),
  ...DEFAULT_LEVERS.map((l) => `lever:${l.id}`),
]
  .map(focusItem)
  .filter((f): f is FocusItem => f !== null)

/** Ended, or its time is over without it being held (the server's rule, `isSessionPast`). */
export function isPast(session: CohortSession, now = Date.now()): boolean {
  return isSessionPast(session, now)
}

/** "1 minute", "90 minutes". */
export function minutesText(n: number): string {
  return `${n} ${n === 1 ? 'minute' : 'minutes'}`
}
