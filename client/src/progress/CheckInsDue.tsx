import { Link } from 'react-router'
import { useApi } from '../api/useApi.ts'
import { getCheckInsDue } from './api.ts'
import { dueLabel } from './format.ts'
import './progress.css'

/**
 * What a person's plans still owe for the current reporting period ("3 updates due Friday"),
 * each linking to the plan's Progress tab. For home pages; renders nothing when nothing is due.
 */
export function CheckInsDue() {
  const [state] = useApi(['check-ins'], getCheckInsDue)
  if (state.status !== 'ready') return null
  const { period, plans } = state.data
  const owing = plans.filter((p) => p.done < p.due)
  if (owing.length === 0) return null
  const today = new Date().toISOString().slice(0, 10)
  return (
    <section className="checkins-due" aria-labelledby="checkins-due-heading" data-testid="check-ins-due">
      <h2 id="checkins-due-heading">Check-ins for {period.label}</h2>
      <ul>
        {owing.map((p) => {
          const left = p.due - p.done
          return (
            <li key={p.id}>
              <Link to={`/plans/${encodeURIComponent(p.id)}?view=progress`}>
                {left} update{left === 1 ? '' : 's'} due {dueLabel(period.dueDate, today)}
              </Link>{' '}
              on {p.title}
            </li>
          )
        })}
      </ul>
    </section>
  )
}
