import { AccessMode, type CohortSession } from '@lever/shared'
import { useEffect } from 'react'
import { Link } from 'react-router'
import { listPlans } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { EmptyState, LoadingPanel, PendingPanels } from '../ui/Panels.tsx'
import { listSessions } from './api.ts'
import { isPast } from './format.ts'
import { type MyPlans, SessionCard } from './SessionCard.tsx'

const time = (s: CohortSession) => new Date(s.startsAt).getTime()

/** `/sessions`: the cohort calendar. Live now, upcoming, past; facilitators create and edit sessions. */
export function SessionsPage() {
  const identity = useIdentity()
  const [state, reload] = useApi(['sessions'], listSessions)
  const jurisdictionId = identity?.user.jurisdictionId ?? null
  const [plans] = useApi(['plans', 'mine', jurisdictionId ?? ''], async (signal) =>
    jurisdictionId ? (await listPlans(jurisdictionId, signal)).filter((p) => p.access === AccessMode.ReadWrite) : [],
  )
  useEffect(() => {
    document.title = 'Cohort sessions — Lever'
  }, [])
  const myPlans: MyPlans = !jurisdictionId
    ? { status: 'none' }
    : plans.status === 'ready'
      ? { status: 'ready', plans: plans.data, jurisdictionId }
      : plans.status === 'loading'
        ? { status: 'loading' }
        : { status: 'none' }

  if (!identity) return <LoadingPanel>Checking who you are…</LoadingPanel>
  const facilitator = identity.user.role === 'facilitator'
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const sessions = state.status === 'ready' ? state.data : []
  const live = sessions.filter((s) => s.status === 'live')
  const upcoming = sessions.filter((s) => s.status === 'scheduled' && !isPast(s)).sort((a, b) => time(a) - time(b))
  const past = sessions.filter((s) => s.status !== 'live' && isPast(s)).sort((a, b) => time(b) - time(a))
  const card = (s: CohortSession) => (
    <li key={s.id}>
      <SessionCard session={s} identity={identity} myPlans={myPlans} />
    </li>
  )

  return (
    <div className="page sessions-page">
      <div className="page-head">
        <h1>Cohort sessions</h1>
        {facilitator ? (
          <Link className="button button--primary" to="/sessions/new">
            New session
          </Link>
        ) : null}
      </div>
      <p className="lede">
        Monthly 90-minute sessions: a presentation, breakout groups that draft together, then back to the plans. Times
        are in your time zone ({zone}).
      </p>
      <PendingPanels
        state={state}
        loading="Loading the calendar…"
        failed="The calendar could not be loaded"
        onRetry={reload}
      />
      {state.status === 'ready' ? (
        <>
          {live.length > 0 ? (
            <section aria-labelledby="live-heading" className="session-group">
              <h2 id="live-heading">Live now</h2>
              <ul className="session-list">{live.map(card)}</ul>
            </section>
          ) : null}
          <section aria-labelledby="upcoming-heading" className="session-group" data-testid="upcoming">
            <h2 id="upcoming-heading">Upcoming</h2>
            {upcoming.length === 0 ? (
              <EmptyState>
                <p>
                  No upcoming sessions.{' '}
                  {facilitator ? 'Create the next one with “New session”.' : 'The facilitators will add the next one.'}
                </p>
              </EmptyState>
            ) : (
              <ul className="session-list">{upcoming.map(card)}</ul>
            )}
          </section>
          <section aria-labelledby="past-heading" className="session-group" data-testid="past">
            <h2 id="past-heading">Past</h2>
            {past.length === 0 ? (
              <EmptyState>
                <p>No past sessions yet.</p>
              </EmptyState>
            ) : (
              <ul className="session-list">{past.map(card)}</ul>
            )}
          </section>
        </>
      ) : null}
    </div>
  )
}
