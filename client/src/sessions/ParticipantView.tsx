import type { CohortSession, SessionModel } from '@lever/shared'
import { Link } from 'react-router'
import type { Identity } from '../app/identity.ts'
import type { GroupInfo } from './api.ts'
import { Agenda } from './SessionBits.tsx'
import { BroadcastList, SessionTimer } from './SessionPulse.tsx'

/** A participant in the session room: the timer, messages, their group, its prompt and the way into its draft. */
export function ParticipantView({
  session,
  model,
  identity,
  groupsInfo,
}: {
  session: CohortSession
  model: SessionModel
  identity: Identity
  groupsInfo: GroupInfo[]
}) {
  const status = model.status
  const group = model.groupOf(identity.userId)
  const members = groupsInfo.find((g) => g.id === group?.id)?.members ?? []
  const others = members.filter((m) => m.id !== identity.userId)
  const draftUrl = group ? `/drafts/${encodeURIComponent(group.draftId)}` : ''

  return (
    <div className="live-layout">
      <div className="live-main">
        {status === 'scheduled' ? (
          <section className="card" aria-labelledby="waiting-heading">
            <h2 id="waiting-heading">The session has not started yet</h2>
            <p>This page updates by itself when the facilitator starts it.</p>
          </section>
        ) : null}
        {status === 'ended' ? (
          <section className="card" aria-labelledby="ended-heading">
            <h2 id="ended-heading">This session has ended</h2>
            <p>
              Thank you for joining. Your group’s draft stays readable, and you can still send its ideas into your plan.
            </p>
          </section>
        ) : null}

        <section className="card my-group" aria-labelledby="my-group-heading" data-testid="my-group">
          <h2 id="my-group-heading">{group ? `Your group: ${group.name}` : 'Your group'}</h2>
          {group ? (
            <>
              {group.prompt ? (
                <div className="prompt">
                  <h3 className="prompt__label">Prompt</h3>
                  <p className="prompt__text">{group.prompt}</p>
                </div>
              ) : (
                <p className="is-missing">No prompt yet.</p>
              )}
              {others.length > 0 ? <p>With {others.map((m) => m.name).join(', ')}.</p> : null}
              {model.breakoutsOpen && status === 'live' ? (
                <p>
                  <Link className="button button--primary" to={draftUrl}>
                    Go to your breakout room
                  </Link>
                </p>
              ) : (
                <p>
                  {status === 'live' ? 'Breakouts are not open right now. ' : ''}
                  <Link to={draftUrl}>Read your group’s draft</Link>
                </p>
              )}
            </>
          ) : (
            <p>
              {status === 'ended'
                ? 'You were not in a breakout group in this session.'
                : 'The facilitator has not placed you in a group yet. Your group appears here when they do.'}
            </p>
          )}
        </section>

        <details className="card session-notes">
          <summary>Agenda and pre-work</summary>
          <h3>Agenda</h3>
          <Agenda agenda={session.agenda} />
          <h3>Pre-work</h3>
          <p>{session.prework || 'No pre-work for this session.'}</p>
        </details>
      </div>
      <aside className="live-side" aria-label="Timer and messages">
        <SessionTimer timer={model.timer} />
        <BroadcastList broadcasts={model.broadcasts()} />
      </aside>
    </div>
  )
}
