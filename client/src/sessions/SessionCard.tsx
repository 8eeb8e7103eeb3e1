import type { CohortSession, PlanSummary } from '@lever/shared'
import { Link } from 'react-router'
import type { Identity } from '../app/identity.ts'
import { calendarEntryId, focusItems, formatSessionTime, isPast, minutesText, phaseLabel } from './format.ts'
import { Agenda, FocusTags, StatusBadge } from './SessionBits.tsx'

/** Plans a team member can write in, for the "where to write your pre-work" links. */
export type MyPlans =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'ready'; plans: PlanSummary[]; jurisdictionId: string }

/** One session of the calendar: when, what, agenda, pre-work (with where to write it), and what one can do. */
export function SessionCard({
  session,
  identity,
  myPlans,
  headingLevel = 3,
}: {
  session: CohortSession
  identity: Identity
  myPlans: MyPlans
  headingLevel?: 2 | 3
}) {
  const facilitator = identity.user.role === 'facilitator'
  const past = isPast(session)
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const headingId = `session-${session.id}-title`
  const id = encodeURIComponent(session.id)
  return (
    <article
      id={calendarEntryId(session.id)}
      className={`session-card session-card--${session.status}`}
      aria-labelledby={headingId}
      data-testid="session-card"
    >
      <div className="session-card__head">
        <Heading id={headingId} className="session-card__title" tabIndex={-1}>
          {session.title}
        </Heading>
        {session.status === 'scheduled' && past ? (
          <span className="pill pill--neutral">Past</span>
        ) : (
          <StatusBadge status={session.status} />
        )}
      </div>
      <p className="session-card__when">
        <time dateTime={session.startsAt}>{formatSessionTime(session.startsAt)}</time> ·{' '}
        {minutesText(session.durationMinutes)}
      </p>
      <p className="session-card__meta">
        {session.topic ? <>{session.topic} · </> : null}
        {phaseLabel(session.phase)}
      </p>
      <FocusTags focus={session.focus} />
      {session.prework ? (
        <div className="prework">
          <h4 className="prework__title">{identity.user.jurisdictionId && !past ? 'Your pre-work' : 'Pre-work'}</h4>
          <p>{session.prework}</p>
          {identity.user.jurisdictionId ? <PreworkLinks session={session} myPlans={myPlans} /> : null}
        </div>
      ) : null}
      <details className="session-card__agenda">
        <summary>Agenda</summary>
        <Agenda agenda={session.agenda} />
      </details>
      <div className="session-card__actions">
        {session.status === 'live' ? (
          <Link className="button button--primary" to={`/sessions/${id}/live`}>
            {facilitator ? 'Open the session room' : 'Join the session'}
          </Link>
        ) : null}
        {session.status === 'scheduled' && facilitator && !past ? (
          <Link className="button" to={`/sessions/${id}/live`}>
            Prepare and start<span className="visually-hidden"> {session.title}</span>
          </Link>
        ) : null}
        {session.status === 'ended' ? (
          <Link className="button" to={`/sessions/${id}/live`}>
            Groups and drafts<span className="visually-hidden"> of {session.title}</span>
          </Link>
        ) : null}
        {session.status === 'ended' && facilitator ? (
          <Link className="button" to={`/sessions/${id}/follow-up`}>
            Follow-up<span className="visually-hidden"> of {session.title}</span>
          </Link>
        ) : null}
        {facilitator && !past ? (
          <Link className="button button--quiet" to={`/sessions/${id}/edit`}>
            Edit<span className="visually-hidden"> {session.title}</span>
          </Link>
        ) : null}
        {facilitator && past && session.status === 'scheduled' ? (
          <Link className="button button--quiet" to={`/sessions/${id}/edit`}>
            Reschedule<span className="visually-hidden"> {session.title}</span>
          </Link>
        ) : null}
      </div>
    </article>
  )
}

/** Links to the plan sections and levers the session is about, in the person's own plans. */
function PreworkLinks({ session, myPlans }: { session: CohortSession; myPlans: MyPlans }) {
  const items = focusItems(session.focus)
  if (items.length === 0 || myPlans.status === 'none') return null
  if (myPlans.status === 'loading') return <p className="field-hint">Finding your plan…</p>
  if (myPlans.plans.length === 0) {
    return (
      <p className="field-hint">
        Write it in your team’s plan:{' '}
        <Link to={`/jurisdictions/${encodeURIComponent(myPlans.jurisdictionId)}`}>start your plan</Link> first.
      </p>
    )
  }
  return (
    <div className="prework__where">
      {myPlans.plans.map((plan) => (
        <div key={plan.id}>
          <p className="prework__plan">Where to write it in “{plan.title}”:</p>
          <ul className="prework__links">
            {items.map((f) => (
              <li key={f.key}>
                <Link to={`/plans/${encodeURIComponent(plan.id)}#${f.anchor}`}>
                  {f.kind === 'lever' ? `${f.label} initiatives` : f.label}
                  <span className="visually-hidden"> in {plan.title}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}
