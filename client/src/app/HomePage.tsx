import type { HomeResponse, NeedItem } from '@lever/shared'
import { type ReactNode, useEffect } from 'react'
import { Link } from 'react-router'
import { getHome } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { CoachingHoursCard } from '../coaching/hours.tsx'
import { threadLink } from '../inbox/threadLink.ts'
import { domIds } from '../plan/domIds.ts'
import { CheckInsDue } from '../progress/CheckInsDue.tsx'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import { fullDate, whenText } from '../ui/time.ts'
import { CohortPage } from './CohortPage.tsx'
import { useIdentity } from './identity.ts'
import './home.css'

/**
 * `/`: where a person lands, by role. A facilitator runs the cohort, so lands on it; a team member
 * on their plans and what needs them; a coach on the jurisdictions they coach.
 */
export function HomePage() {
  const identity = useIdentity()
  if (identity?.user.role === 'facilitator') return <CohortPage />
  return <PersonalHome />
}

function PersonalHome() {
  const identity = useIdentity()
  const [state, reload] = useApi(['home'], getHome)
  useEffect(() => {
    document.title = 'Home — Lever'
  }, [])
  const coach = identity?.user.role === 'coach'
  return (
    <div className="page">
      <h1>{identity ? `Welcome, ${identity.name}` : 'Home'}</h1>
      <p className="lede">
        {coach
          ? 'The jurisdictions you coach, their plans, and the conversations waiting for you.'
          : 'Your team’s plans and what needs you.'}{' '}
        <Link to="/cohort">See the whole cohort</Link>.
      </p>
      <PendingPanels
        state={state}
        loading="Loading your home page…"
        failed="Your home page could not be loaded"
        onRetry={reload}
      />
      {identity?.user.role === 'member' ? <CheckInsDue /> : null}
      {identity?.user.role === 'member' ? <CoachingHoursCard /> : null}
      {state.status === 'ready' ? <HomeBody home={state.data} /> : null}
    </div>
  )
}

function HomeBody({ home }: { home: HomeResponse }) {
  const coach = home.role === 'coach'
  return (
    <div className="home-grid">
      <section className="card" aria-labelledby="home-plans-heading" data-testid="home-plans">
        <h2 id="home-plans-heading">{coach ? 'Your jurisdictions' : 'Your plans'}</h2>
        {home.jurisdictions.length === 0 ? (
          <EmptyState>
            <p>
              {coach
                ? 'No jurisdictions are assigned to you yet. A facilitator assigns them.'
                : 'You are not on a team yet. A facilitator adds you to your jurisdiction’s team.'}
            </p>
          </EmptyState>
        ) : (
          <ul className="home-jurisdictions">
            {home.jurisdictions.map((j) => {
              const plans = home.plans.filter((p) => p.jurisdictionId === j.id)
              return (
                <li key={j.id}>
                  <h3 className="home-jurisdictions__name">
                    <Link to={`/jurisdictions/${encodeURIComponent(j.id)}`}>{j.name}</Link>
                  </h3>
                  {plans.length === 0 ? (
                    <p className="field-hint">
                      No plan yet.{' '}
                      {coach ? null : (
                        <Link to={`/jurisdictions/${encodeURIComponent(j.id)}`}>Start your team’s plan</Link>
                      )}
                    </p>
                  ) : (
                    <ul className="plan-list">
                      {plans.map((p) => (
                        <li key={p.id}>
                          <Link to={`/plans/${encodeURIComponent(p.id)}`} className="plan-list__title">
                            {p.title}
                          </Link>
                          <span className="plan-list__meta">Last changed {fullDate(p.updatedAt)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              )
            })}
          </ul>
        )}
      </section>
      <NeedsList home={home} />
    </div>
  )
}

const KIND_LABELS: Record<NeedItem['kind'], string> = {
  mention: 'Mentions you',
  reply: 'Waiting for an answer',
  milestone: 'Milestone',
}

/** "What needs me": every kind the page knows, most urgent first (the server's order). */
function NeedsList({ home }: { home: HomeResponse }) {
  const needs = home.needs
  return (
    <section className="card" aria-labelledby="home-needs-heading" data-testid="home-needs">
      <h2 id="home-needs-heading">What needs you</h2>
      {needs.length === 0 ? (
        <p className="all-good">
          Nothing right now: no mentions, no threads waiting for you
          {home.role === 'member' ? `, no milestones due in the next ${home.horizonDays} days` : ''}.
        </p>
      ) : (
        <ul className="need-list">
          {needs.map((n) => (
            <li key={needKey(n)} className={`need need--${n.kind}`}>
              <span className={`need__kind${n.kind === 'milestone' && n.overdue ? ' need__kind--overdue' : ''}`}>
                {n.kind === 'milestone' && n.overdue ? 'Overdue milestone' : KIND_LABELS[n.kind]}
              </span>
              <NeedBody item={n} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** "Dec 11, 2026" for a calendar date (`YYYY-MM-DD`), whatever the reader's time zone. */
function calendarDay(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  })
}

function needKey(n: NeedItem): string {
  return n.kind === 'milestone' ? `m-${n.planId}-${n.milestoneId}` : `${n.kind}-${n.planId}-${n.threadId}`
}

function NeedBody({ item }: { item: NeedItem }): ReactNode {
  if (item.kind === 'milestone') {
    return (
      <div className="need__body">
        <Link
          to={`/plans/${encodeURIComponent(item.planId)}#${domIds.initiative(item.initiativeId)}`}
          className="need__title"
        >
          {item.title}
        </Link>
        <span className="need__meta">
          {item.initiativeTitle} · {item.planTitle} · due{' '}
          <time dateTime={item.dueDate}>{calendarDay(item.dueDate)}</time>
        </span>
      </div>
    )
  }
  return (
    <div className="need__body">
      <Link to={threadLink(item)} className="need__title">
        {item.about}
        {item.unread ? <span className="visually-hidden"> (unread)</span> : null}
      </Link>
      <span className="need__meta">
        {item.by}: “{item.excerpt}” · {item.planTitle} · <time dateTime={item.at}>{whenText(item.at)}</time>
      </span>
    </div>
  )
}
