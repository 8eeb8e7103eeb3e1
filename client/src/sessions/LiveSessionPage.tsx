import { type SessionDetail, SessionModel } from '@lever/shared'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useParams } from 'react-router'
import { useApi } from '../api/useApi.ts'
import { type Identity, useIdentity } from '../app/identity.ts'
import { useDocStatus, useDocVersion } from '../collab/sessionHooks.ts'
import { Breadcrumbs } from '../ui/Breadcrumbs.tsx'
import { ErrorPanel, LoadErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { type GroupInfo, getSession, joinSession } from './api.ts'
import { FacilitatorView } from './FacilitatorView.tsx'
import { formatSessionTime, isPast, minutesText } from './format.ts'
import { ParticipantView } from './ParticipantView.tsx'
import { RoomStatus } from './RoomStatus.tsx'
import { useRoomDoc } from './roomDoc.ts'
import { StatusBadge } from './SessionBits.tsx'

/** `/sessions/:sessionId/live`: the session room (facilitator controls, or a participant's view). */
export function LiveSessionPage() {
  const { sessionId = '' } = useParams()
  const identity = useIdentity()
  const [state, reload] = useApi(['sessions', sessionId], (signal) => getSession(sessionId, signal))
  if (state.status === 'loading' || !identity) return <LoadingPanel>Opening the session…</LoadingPanel>
  if (state.status === 'error') {
    return (
      <LoadErrorPanel
        error={state.error}
        onRetry={reload}
        failed="The session could not be opened"
        missing={{ title: 'This session does not exist', text: 'Check the link, or pick it from the calendar.' }}
        back={{ to: '/sessions', label: 'Go to the cohort calendar' }}
      />
    )
  }
  return <LiveRoom key={state.data.session.id} detail={state.data} identity={identity} />
}

function LiveRoom({ detail, identity }: { detail: SessionDetail; identity: Identity }) {
  const facilitator = identity.user.role === 'facilitator'
  const cohortSession = detail.session
  // Past sessions are read-only, for facilitators too (the server says so as well).
  const past = isPast(cohortSession)
  const session = useRoomDoc(cohortSession.docName, identity, { readOnly: !facilitator || past })
  useDocVersion(session)
  const docStatus = useDocStatus(session)
  const model = useMemo(() => (session ? new SessionModel(session.doc) : null), [session])
  const status = model && docStatus.loaded ? model.status : cohortSession.status
  const groupsInfo = useGroupNames(detail, model, docStatus.loaded)

  useEffect(() => {
    document.title = `${cohortSession.title} (session room) — Lever`
  }, [cohortSession.title])

  // Attendance: a participant who has the room open while it is live has joined.
  const joined = useRef(false)
  useEffect(() => {
    if (facilitator || status !== 'live' || joined.current) return
    joined.current = true
    joinSession(cohortSession.id).catch(() => {
      joined.current = false
    })
  }, [facilitator, status, cohortSession.id])

  return (
    <div className="page page--wide live-page">
      <Breadcrumbs trail={[{ to: '/sessions', label: 'Sessions' }]} current={cohortSession.title} />
      <div className="live-page__head">
        <h1>{cohortSession.title}</h1>
        <StatusBadge status={status} />
      </div>
      <p className="lede">
        {formatSessionTime(cohortSession.startsAt)} · {minutesText(cohortSession.durationMinutes)}
        {cohortSession.topic ? ` · ${cohortSession.topic}` : ''}
      </p>
      {session ? <RoomStatus session={session} label="People in the session room" readOnlyNote={null} /> : null}
      {!session || !model || !docStatus.loaded ? (
        docStatus.connection === 'closed' ? (
          <ErrorPanel title="The session room cannot be opened" level={2}>
            <p>{docStatus.closedMessage}</p>
          </ErrorPanel>
        ) : (
          <LoadingPanel>Joining the session room…</LoadingPanel>
        )
      ) : facilitator ? (
        <FacilitatorView
          cohortSession={cohortSession}
          session={session}
          model={model}
          identity={identity}
          past={past}
        />
      ) : (
        <ParticipantView session={cohortSession} model={model} identity={identity} groupsInfo={groupsInfo} />
      )}
    </div>
  )
}

/**
 * Group members' names, which participants cannot look up themselves: the server's mirror of the
 * groups (`GET /api/sessions/:id`), fetched again shortly after the groups in the document change.
 */
function useGroupNames(detail: SessionDetail, model: SessionModel | null, loaded: boolean): GroupInfo[] {
  const [groups, setGroups] = useState(detail.groups)
  const signature = model && loaded ? JSON.stringify(model.groups.list().map((g) => [g.id, g.members])) : ''
  const refresh = useCallback(
    async (signal: AbortSignal) => {
      try {
        const fresh = await getSession(detail.session.id, signal)
        if (!signal.aborted) setGroups(fresh.groups)
      } catch {
        // Keep the names we have; the next change tries again.
      }
    },
    [detail.session.id],
  )
  useEffect(() => {
    if (!signature) return
    const controller = new AbortController()
    const id = window.setTimeout(() => void refresh(controller.signal), 300)
    return () => {
      controller.abort()
      window.clearTimeout(id)
    }
  }, [signature, refresh])
  return groups
}
