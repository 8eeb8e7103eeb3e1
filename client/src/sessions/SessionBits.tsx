import type { CohortSession } from '@lever/shared'
import { focusItems } from './format.ts'

/** "Live now", "Scheduled", "Ended" as a pill (text, not colour alone). */
export function StatusBadge({ status }: { status: CohortSession['status'] }) {
  if (status === 'live')
    return (
      <span className="pill pill--live" data-testid="status-live">
        <span className="live-dot" aria-hidden="true" /> Live now
      </span>
    )
  if (status === 'ended') return <span className="pill pill--neutral">Ended</span>
  return <span className="pill pill--scheduled">Scheduled</span>
}

/** The agenda (one item a line) as a list. */
export function Agenda({ agenda }: { agenda: string }) {
  const items = agenda
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  if (items.length === 0) return <p className="is-missing">No agenda yet.</p>
  return (
    <ol className="agenda">
      {items.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines of a text, in order
        <li key={i}>{item}</li>
      ))}
    </ol>
  )
}

/** The plan sections and levers a session is about, as small tags. */
export function FocusTags({ focus }: { focus: readonly string[] }) {
  const items = focusItems(focus)
  if (items.length === 0) return null
  return (
    <ul className="focus-tags" aria-label="Plan sections and levers this session is about">
      {items.map((f) => (
        <li key={f.key} className="focus-tag">
          {f.kind === 'lever' ? `Lever: ${f.label}` : f.label}
        </li>
      ))}
    </ul>
  )
}
