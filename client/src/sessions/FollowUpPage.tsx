import type { Transfer } from '@lever/shared'
import { useEffect } from 'react'
import { Link, useParams } from 'react-router'
import { listJurisdictions } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { domIds } from '../plan/domIds.ts'
import { Breadcrumbs } from '../ui/Breadcrumbs.tsx'
import { EmptyState, LoadErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { getFollowUp } from './api.ts'
import { focusItem, formatSessionTime, formatTime } from './format.ts'

/** Where a transfer landed in its plan (`lever:<id>#<initiativeId>` or `section:<id>`), as a link target. */
function transferLink(t: Transfer): { href: string; label: string } {
  const [where = '', initiativeId] = t.target.split('#')
  const item = focusItem(where)
  const anchor = initiativeId ? domIds.initiative(initiativeId) : (item?.anchor ?? '')
  return {
    href: `/plans/${encodeURIComponent(t.planId)}${anchor ? `#${anchor}` : ''}`,
    label: item ? `${item.kind === 'lever' ? 'Lever' : 'Section'}: ${item.label}` : where,
  }
}

/** `/sessions/:sessionId/follow-up` (facilitators): who joined, and what moved from drafts into each plan. */
export function FollowUpPage() {
  const { sessionId = '' } = useParams()
  const [state, reload] = useApi(['sessions', 'follow-up', sessionId], async (signal) => {
    const [followUp, jurisdictions] = await Promise.all([getFollowUp(sessionId, signal), listJurisdictions(signal)])
    return { followUp, names: new Map(jurisdictions.map((j) => [j.id, j.name])) }
  })
  useEffect(() => {
    if (state.status === 'ready') document.title = `Follow-up: ${state.data.followUp.session.title} — Lever`
  }, [state])

  if (state.status === 'loading') return <LoadingPanel>Loading the follow-up…</LoadingPanel>
  if (state.status === 'error') {
    return (
      <LoadErrorPanel
        error={state.error}
        onRetry={reload}
        failed="The follow-up could not be loaded"
        forbidden={{
          title: 'Only facilitators see the follow-up',
          text: 'It shows what each jurisdiction moved from its breakout drafts into its plan.',
        }}
        back={{ to: '/sessions', label: 'Go to the cohort calendar' }}
      />
    )
  }
  const { followUp, names } = state.data
  const { session, attendance, jurisdictions } = followUp
  const totalTransfers = jurisdictions.reduce((n, j) => n + j.transfers.length, 0)
  return (
    <div className="page follow-up">
      <Breadcrumbs
        trail={[
          { to: '/sessions', label: 'Sessions' },
          { to: `/sessions/${encodeURIComponent(session.id)}/live`, label: session.title },
        ]}
        current="Follow-up"
      />
      <h1>Follow-up: {session.title}</h1>
      <p className="lede">
        {formatSessionTime(session.startsAt)} · {attendance.length} {attendance.length === 1 ? 'person' : 'people'}{' '}
        joined · {totalTransfers} {totalTransfers === 1 ? 'item' : 'items'} moved into plans
      </p>

      <section aria-labelledby="transfers-heading" className="follow-up__block">
        <h2 id="transfers-heading">What moved into each plan</h2>
        {jurisdictions.length === 0 ? (
          <EmptyState>
            <p>Nobody joined and nothing was sent from the drafts into plans.</p>
          </EmptyState>
        ) : (
          <ul className="jurisdiction-transfers" data-testid="follow-up-jurisdictions">
            {jurisdictions.map((j) => (
              <li key={j.jurisdictionId} className="card">
                <h3>
                  <Link to={`/jurisdictions/${encodeURIComponent(j.jurisdictionId)}`}>{j.name}</Link>
                </h3>
                <p className="nav-note">
                  {j.attended} {j.attended === 1 ? 'person' : 'people'} joined
                </p>
                {j.transfers.length === 0 ? (
                  <p className="is-missing">Nothing sent into its plan yet.</p>
                ) : (
                  <ul className="transfer-list">
                    {j.transfers.map((t) => {
                      const link = transferLink(t)
                      return (
                        <li key={t.id}>
                          <span className="pill pill--neutral">{t.kind === 'card' ? 'Idea card' : 'Prose'}</span>{' '}
                          <strong>{t.summary}</strong> → <Link to={link.href}>{t.planTitle}</Link>{' '}
                          <span className="nav-note">
                            ({link.label}; from {t.groupName}, sent by {t.userName} at {formatTime(t.createdAt)})
                          </span>
                        </li>
                      )
                    })}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="attendance-heading" className="follow-up__block">
        <h2 id="attendance-heading">Attendance</h2>
        {attendance.length === 0 ? (
          <EmptyState>
            <p>Nobody joined this session.</p>
          </EmptyState>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="attendance">
              <caption className="visually-hidden">Who joined the session, and their breakout groups</caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Jurisdiction</th>
                  <th scope="col">Joined</th>
                  <th scope="col">Groups</th>
                </tr>
              </thead>
              <tbody>
                {attendance.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.name}</th>
                    <td>{a.jurisdictionId ? (names.get(a.jurisdictionId) ?? a.jurisdictionId) : '—'}</td>
                    <td>{formatTime(a.joinedAt)}</td>
                    <td>{a.groups.length ? a.groups.join(', ') : 'No group'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  )
}
