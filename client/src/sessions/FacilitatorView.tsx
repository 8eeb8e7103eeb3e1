import type { CohortSession, SessionModel } from '@lever/shared'
import { useState } from 'react'
import { Link } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import type { Identity } from '../app/identity.ts'
import type { DocSession } from '../collab/DocSession.ts'
import { announce } from '../ui/announce.ts'
import { ConfirmButton } from '../ui/ConfirmButton.tsx'
import { endSession, startSession } from './api.ts'
import { BroadcastComposer, TimerControls } from './FacilitatorTools.tsx'
import { GroupBoard } from './GroupBoard.tsx'
import { GroupCreator, type PeopleScope } from './GroupCreator.tsx'
import { tryRoomEdit } from './roomDoc.ts'
import { useRoomPeople } from './roomPeople.ts'
import { BroadcastList, SessionTimer } from './SessionPulse.tsx'

/** The facilitator's room: start and end, groups, breakouts, timer and messages. */
export function FacilitatorView({
  cohortSession,
  session,
  model,
  identity,
  past,
}: {
  cohortSession: CohortSession
  session: DocSession
  model: SessionModel
  identity: Identity
  /** Ended, or its time passed without it being held: read-only. */
  past: boolean
}) {
  const status = model.status
  const people = useRoomPeople(cohortSession.id, session, status === 'live')
  const [scope, setScope] = useState<PeopleScope>('joined')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const pool = scope === 'joined' ? people.joined : people.members

  const call = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true)
    setError(null)
    try {
      await action()
      announce(done)
    } catch (e) {
      setError(e instanceof ApiRequestError ? e.message : 'That did not work. Try again.')
    } finally {
      setBusy(false)
    }
  }
  const setBreakouts = (open: boolean) => {
    const failed = tryRoomEdit(session, () => model.setBreakoutsOpen(open))
    setError(failed)
    if (!failed) announce(open ? 'Breakouts are open: groups can edit their drafts.' : 'Breakouts are closed.')
  }

  return (
    <div className="live-layout">
      <div className="live-main">
        <section className="card run-bar" aria-labelledby="run-heading">
          <h2 id="run-heading" className="visually-hidden">
            Run the session
          </h2>
          {status === 'scheduled' && past ? (
            <>
              <p className="run-bar__state" data-testid="past-session">
                This session’s time has passed without it being held, so it is read-only.
              </p>
              <Link className="button" to={`/sessions/${encodeURIComponent(cohortSession.id)}/edit`}>
                Reschedule it
              </Link>
            </>
          ) : null}
          {status === 'scheduled' && !past ? (
            <>
              <p className="run-bar__state">Not started. Participants see that it is live once you start.</p>
              <button
                type="button"
                className="button button--primary"
                disabled={busy}
                onClick={() => call(() => startSession(cohortSession.id), 'The session is live.')}
              >
                Start the session
              </button>
            </>
          ) : null}
          {status === 'live' ? (
            <>
              <p className="run-bar__state" data-testid="breakouts-state">
                {model.breakoutsOpen
                  ? 'Breakouts are open: each group edits its own draft.'
                  : 'Breakouts are closed: drafts are read-only for participants.'}
              </p>
              {model.breakoutsOpen ? (
                <button type="button" className="button" onClick={() => setBreakouts(false)}>
                  Close breakouts
                </button>
              ) : (
                <button type="button" className="button button--primary" onClick={() => setBreakouts(true)}>
                  Open breakouts
                </button>
              )}
              <ConfirmButton
                className="button button--quiet button--danger"
                title="End the session for everyone?"
                body={
                  <p>
                    Breakouts close and the timer stops. Drafts stay readable, and teams can still send ideas into their
                    plans.
                  </p>
                }
                confirmLabel="End session"
                onConfirm={() => call(() => endSession(cohortSession.id), 'The session has ended.')}
              >
                End the session
              </ConfirmButton>
            </>
          ) : null}
          {status === 'ended' ? (
            <>
              <p className="run-bar__state">This session has ended.</p>
              <Link
                className="button button--primary"
                to={`/sessions/${encodeURIComponent(cohortSession.id)}/follow-up`}
              >
                See the follow-up
              </Link>
            </>
          ) : null}
          {error ? (
            <p className="field-error run-bar__error" role="alert">
              {error}
            </p>
          ) : null}
        </section>
        {people.error ? (
          <p className="field-error" role="alert">
            The list of people could not be loaded: {people.error}
          </p>
        ) : null}
        {!past ? (
          <GroupCreator session={session} model={model} people={people} scope={scope} onScope={setScope} />
        ) : null}
        <GroupBoard session={session} model={model} people={people} pool={pool} />
      </div>
      <aside className="live-side" aria-label="Timer and messages">
        <SessionTimer timer={model.timer} />
        {status === 'live' ? <TimerControls session={session} model={model} /> : null}
        {status === 'live' ? <BroadcastComposer session={session} model={model} byName={identity.name} /> : null}
        <BroadcastList broadcasts={model.broadcasts()} />
      </aside>
    </div>
  )
}
