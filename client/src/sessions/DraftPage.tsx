import {
  AccessMode,
  CloseCode,
  DocKind,
  type DraftInfo,
  DraftKeys,
  DraftModel,
  docNameFor,
  SessionModel,
} from '@lever/shared'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { Link, useParams } from 'react-router'
import { useApi } from '../api/useApi.ts'
import { type Identity, useIdentity } from '../app/identity.ts'
import type { DocSession } from '../collab/DocSession.ts'
import { type Peer, usePeers } from '../collab/presence.ts'
import { useDocStatus, useDocVersion, useLeaveGuard } from '../collab/sessionHooks.ts'
import { Breadcrumbs } from '../ui/Breadcrumbs.tsx'
import { ErrorPanel, LoadErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { ReadOnlyContext } from '../ui/readOnly.ts'
import { getDraft, joinSession } from './api.ts'
import { DraftProseEditor } from './DraftProseEditor.tsx'
import { cardName, IdeaCards } from './IdeaCards.tsx'
import { RoomStatus } from './RoomStatus.tsx'
import { useRoomDoc } from './roomDoc.ts'
import { SendToPlan } from './SendToPlan.tsx'
import { BroadcastList, SessionTimer } from './SessionPulse.tsx'

const PROSE_ID = 'draft-prose'
const MAX_REOPENS = 3

/** `/drafts/:draftId`: a breakout group's draft, co-edited live by its members. */
export function DraftPage() {
  const { draftId = '' } = useParams()
  const identity = useIdentity()
  const [state, reload] = useApi(['drafts', draftId], (signal) => getDraft(draftId, signal))
  if (state.status === 'loading' || !identity) return <LoadingPanel>Opening the breakout room…</LoadingPanel>
  if (state.status === 'error') {
    return (
      <LoadErrorPanel
        error={state.error}
        onRetry={reload}
        failed="The breakout room could not be opened"
        missing={{ title: 'This breakout draft does not exist', text: 'Check the link, or open it from the session.' }}
        back={{ to: '/sessions', label: 'Go to the cohort calendar' }}
      />
    )
  }
  return <DraftRoom key={state.data.id} initial={state.data} identity={identity} />
}

/**
 * Whether this person may write the draft right now. The server decides (DraftInfo.access, and
 * the connection's mode); the session document says it first when breakouts close or membership
 * changes, so the page turns read-only at once instead of sending changes the server would refuse.
 */
function useDraftAccess(
  info: DraftInfo,
  sessionModel: SessionModel | null,
  sessionLoaded: boolean,
  identity: Identity,
) {
  const facilitator = identity.user.role === 'facilitator'
  const member = sessionModel?.groups.get(info.groupId)?.hasMember(identity.userId) ?? false
  const allowedNow =
    facilitator || (sessionLoaded && sessionModel?.status === 'live' && sessionModel.breakoutsOpen && member)
  const readOnly = info.access !== AccessMode.ReadWrite || (sessionLoaded && !allowedNow)
  let reason: string | null = null
  if (readOnly) {
    if (sessionModel?.status === 'ended') reason = 'Read only: the session has ended'
    else if (sessionLoaded && !member) reason = 'Read only: you are not in this group'
    else if (sessionLoaded && !sessionModel?.breakoutsOpen) reason = 'Read only: breakouts are closed'
    else reason = 'Read only'
  }
  return { readOnly, reason, allowedNow: Boolean(allowedNow), member }
}

function DraftRoom({ initial, identity }: { initial: DraftInfo; identity: Identity }) {
  const [info, setInfo] = useState(initial)
  const [generation, setGeneration] = useState(0)
  const [notice, setNotice] = useState<string | null>(null)
  const sessionDoc = useRoomDoc(docNameFor(DocKind.Session, info.sessionId), identity, { readOnly: true })
  useDocVersion(sessionDoc)
  const sessionStatus = useDocStatus(sessionDoc)
  const sessionModel = useMemo(() => (sessionDoc ? new SessionModel(sessionDoc.doc) : null), [sessionDoc])
  const access = useDraftAccess(info, sessionModel, sessionStatus.loaded, identity)

  const draft = useRoomDoc(
    info.docName,
    identity,
    {
      readOnly: access.readOnly,
      undoScope: (doc) => [doc.getXmlFragment(DraftKeys.prose), doc.getMap(DraftKeys.cards)],
    },
    generation,
  )
  useDocVersion(draft)
  const draftStatus = useDocStatus(draft)
  const model = useMemo(() => (draft ? new DraftModel(draft.doc) : null), [draft])

  useEffect(() => {
    draft?.setReadOnly(access.readOnly)
  }, [draft, access.readOnly])
  useLeaveGuard(draft)

  const refresh = useCallback(() => {
    getDraft(info.id).then(setInfo, () => {})
  }, [info.id])
  // Ask the server again when the session says access changed, and when it reconnected us (4501).
  // biome-ignore lint/correctness/useExhaustiveDependencies: allowedNow changing is the reason to ask
  useEffect(() => {
    if (sessionStatus.loaded) refresh()
  }, [access.allowedNow, sessionStatus.loaded, refresh])
  useEffect(() => draft?.onRoomClosing(refresh), [draft, refresh])
  // A change made just as access ended is refused and closes the connection: reopen (a few times
  // at most, so a change that keeps being refused cannot loop), and say so.
  useEffect(() => {
    if (draftStatus.connection !== 'closed' || draftStatus.closeCode !== CloseCode.WriteNotAllowed) return
    if (generation >= MAX_REOPENS) return
    setNotice('Your last change reached the server after the breakouts closed, so it was not saved.')
    refresh()
    setGeneration((g) => g + 1)
  }, [draftStatus.connection, draftStatus.closeCode, generation, refresh])

  // Opening your group's room during the live session counts as joining it.
  const live = sessionModel?.status === 'live'
  useEffect(() => {
    if (live && access.member && identity.user.role !== 'facilitator') joinSession(info.sessionId).catch(() => {})
  }, [live, access.member, identity.user.role, info.sessionId])

  const groupName = sessionModel?.groups.get(info.groupId)?.name ?? info.groupName
  const prompt = sessionModel?.groups.get(info.groupId)?.prompt ?? info.prompt
  useEffect(() => {
    document.title = `${groupName} (breakout draft) — Lever`
  }, [groupName])

  return (
    <div className="page page--wide draft-page">
      <Breadcrumbs
        trail={[
          { to: '/sessions', label: 'Sessions' },
          { to: `/sessions/${encodeURIComponent(info.sessionId)}/live`, label: info.sessionTitle },
        ]}
        current={groupName}
      />
      <h1>
        {groupName} <span className="h1-note">breakout draft</span>
      </h1>
      {draft ? (
        <RoomStatus
          session={draft}
          label="People in this breakout room"
          where={(peer) => whereIs(peer, model)}
          readOnlyNote={access.reason}
        />
      ) : null}
      {notice ? (
        <p className="callout callout--warn" role="alert">
          {notice}
        </p>
      ) : null}
      <div className="live-layout">
        <div className="live-main">
          {!draft || !model || !draftStatus.loaded ? (
            draftStatus.connection === 'closed' ? (
              <ErrorPanel title="The breakout room cannot be opened" level={2}>
                <p>{draftStatus.closedMessage}</p>
              </ErrorPanel>
            ) : (
              <LoadingPanel>Loading the draft…</LoadingPanel>
            )
          ) : (
            <ReadOnlyContext.Provider value={draft.readOnly}>
              <DraftBody draftId={info.id} draft={draft} model={model} identity={identity} prompt={prompt} />
            </ReadOnlyContext.Provider>
          )}
        </div>
        <aside className="live-side" aria-label="Timer and messages">
          {sessionModel && sessionStatus.loaded ? (
            <>
              <SessionTimer timer={sessionModel.timer} compact />
              <BroadcastList broadcasts={sessionModel.broadcasts()} limit={3} />
            </>
          ) : null}
          <p>
            <Link to={`/sessions/${encodeURIComponent(info.sessionId)}/live`}>Back to the session room</Link>
          </p>
        </aside>
      </div>
    </div>
  )
}

function whereIs(peer: Peer, model: DraftModel | null): string {
  if (!peer.focus) return 'Looking around'
  if (peer.focus.kind === 'section') return 'In the draft text'
  const card = model?.cards.get(peer.focus.id)
  return card ? `On “${cardName(card)}”` : 'On an idea card'
}

function DraftBody({
  draftId,
  draft,
  model,
  identity,
  prompt,
}: {
  draftId: string
  draft: DocSession
  model: DraftModel
  identity: Identity
  prompt: string
}) {
  const peers = usePeers(draft.provider.awareness)
  const inProse = peers.filter((p) => !p.isSelf && p.focus?.kind === 'section')
  return (
    <div className="draft-main">
      <section className="prompt prompt--callout" aria-labelledby="prompt-heading">
        <h2 id="prompt-heading" className="prompt__label">
          Prompt
        </h2>
        <p className="prompt__text">{prompt || 'No prompt for this group.'}</p>
      </section>
      <section
        className="draft-block"
        aria-labelledby="prose-heading"
        data-focus-zone=""
        onFocus={() => draft.setFocus({ kind: 'section', id: 'prose' })}
        onBlur={(e) => {
          if (!(e.relatedTarget as Element | null)?.closest('[data-focus-zone]')) draft.setFocus(null)
        }}
      >
        <div className="prose-section__head">
          <h2 id="prose-heading">Draft text</h2>
          {inProse.length ? (
            <span className="nav-note">{inProse.map((p) => p.name).join(', ')} writing here</span>
          ) : null}
        </div>
        <p className="field-hint" id="prose-hint">
          Write together; each paragraph can be sent into a section of your plan.
        </p>
        <DraftProseEditor
          session={draft}
          field={DraftKeys.prose}
          id={PROSE_ID}
          labelledBy="prose-heading"
          describedBy="prose-hint"
        />
      </section>
      <IdeaCards session={draft} model={model} peers={peers} userId={identity.userId} />
      <SendToPlan draftId={draftId} model={model} identity={identity} />
    </div>
  )
}
