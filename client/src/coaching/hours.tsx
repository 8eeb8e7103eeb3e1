import { allowanceState, COACHING_PHASES, type CoachingSummary, labelOf } from '@lever/shared'
import { Link } from 'react-router'
import { useApi } from '../api/useApi.ts'
import { coachingSummary } from './api.ts'

type Row = CoachingSummary['jurisdictions'][number]

/** "1 h 20 min", "45 min", "4 h". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60)
  const m = minutes % 60
  if (h === 0) return `${m} min`
  return m === 0 ? `${h} h` : `${h} h ${m} min`
}

/** A team's coaching hours against its allowance, as a progress bar. */
export function HoursBar({ row, labelId }: { row: Row; labelId: string }) {
  return (
    <progress
      className={`hours-bar hours-bar--${allowanceState(row.usedMinutes, row.allowanceMinutes)}`}
      max={Math.max(row.allowanceMinutes, 1)}
      value={Math.min(row.usedMinutes, Math.max(row.allowanceMinutes, 1))}
      aria-labelledby={labelId}
    />
  )
}

/** A team's coaching hours on its home page, with a link to the log. */
export function CoachingHoursCard() {
  const [state] = useApi(['coaching', 'summary'], coachingSummary)
  const row = state.status === 'ready' ? state.data.jurisdictions[0] : undefined
  if (!row || state.status !== 'ready') return null
  return (
    <section className="card coaching-section" aria-labelledby="home-hours-heading">
      <h2 id="home-hours-heading">Coaching hours ({labelOf(COACHING_PHASES, state.data.phase)})</h2>
      <p id="home-hours-used" data-testid="home-hours-used">
        {formatMinutes(row.usedMinutes)} used of {formatMinutes(row.allowanceMinutes)}
      </p>
      <HoursBar row={row} labelId="home-hours-heading home-hours-used" />
      <p>
        <Link to="/coaching">See the coaching log</Link>
      </p>
    </section>
  )
}
