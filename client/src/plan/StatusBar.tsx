import { CloseCode, labelOf, PLAN_SECTIONS } from '@lever/shared'
import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import { signedOut } from '../app/identity.ts'
import type { SessionStatus } from '../collab/PlanSession.ts'
import type { Peer } from '../collab/presence.ts'
import { useComments } from '../comments/CommentsContext.tsx'
import { commentDomIds } from '../comments/domIds.ts'
import { Avatar } from '../ui/Avatar.tsx'
import { useDocVersion, usePlanPeers, usePlanSession, useSessionStatus } from './PlanContext.tsx'

const CONNECTION_TEXT: Record<SessionStatus['connection'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
}

function savedText(status: SessionStatus): { text: string; tone: 'good' | 'busy' | 'warn' | 'bad' } {
  if (status.connection === 'closed') {
    return status.unsavedChanges
      ? { text: 'Not saved — recent changes could not be stored', tone: 'bad' }
      : { text: 'Not connected', tone: 'bad' }
  }
  if (status.connection !== 'connected') {
    return status.unsavedChanges
      ? { text: 'Offline — changes kept in this tab', tone: 'warn' }
      : { text: 'No unsaved changes', tone: 'warn' }
  }
  if (!status.saved) return { text: status.unsavedChanges ? 'Saving…' : 'Syncing…', tone: 'busy' }
  return { text: 'All changes saved', tone: 'good' }
}

/** The sticky bar of the plan page: who is here, connection, saved state, undo and redo. */
export function StatusBar() {
  const session = usePlanSession()
  const status = useSessionStatus()
  const saved = savedText(status)
  return (
    <section className="status-bar" aria-label="Who is here, connection and saving">
      <PresenceList />
      <div className="status-bar__state">
        <p className={`connection connection--${status.connection}`} role="status" data-testid="connection-state">
          <span className="connection__dot" aria-hidden="true" />
          <span className="visually-hidden">Connection: </span>
          {CONNECTION_TEXT[status.connection]}
          {status.connection === 'offline' ? (
            <button type="button" className="button button--small" onClick={() => session.reconnect()}>
              Try now
            </button>
          ) : null}
        </p>
        <p className={`saved saved--${saved.tone}`} data-testid="saved-state">
          {saved.text}
        </p>
      </div>
      {session.readOnly ? (
        <p className="read-only-badge">{session.canComment ? 'Comment only' : 'Read only'}</p>
      ) : (
        <UndoRedo />
      )}
      <CommentsToggle />
      {status.connection === 'closed' ? (
        <p className="status-bar__alert" role="alert">
          {status.closedMessage}{' '}
          {status.closeCode === CloseCode.Unauthenticated ? (
            <Link
              to={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`}
              onClick={() => signedOut('ended')}
            >
              Sign in again
            </Link>
          ) : null}
        </p>
      ) : null}
    </section>
  )
}

function CommentsToggle() {
  const comments = useComments()
  const open = comments.views.filter((v) => v.thread.status === 'open').length
  return (
    <button
      type="button"
      className="button button--small comments-toggle"
      aria-expanded={comments.sidebarOpen}
      aria-controls={comments.sidebarOpen ? commentDomIds.sidebar : undefined}
      onClick={() => {
        const next = !comments.sidebarOpen
        comments.setSidebarOpen(next)
        if (next) requestAnimationFrame(() => document.getElementById(commentDomIds.sidebarHeading)?.focus())
      }}
    >
      Comments <span className="comments-toggle__count">({open} open)</span>
    </button>
  )
}

function whereIs(peer: Peer, initiativeTitle: (id: string) => string | null): string {
  if (!peer.focus) return 'Looking around'
  if (peer.focus.kind === 'section') return `In ${labelOf(PLAN_SECTIONS, peer.focus.id)}`
  const title = initiativeTitle(peer.focus.id)
  return title === null ? 'On an initiative' : `On ${title || 'an untitled initiative'}`
}

function PresenceList() {
  const peers = usePlanPeers()
  const session = usePlanSession()
  useDocVersion()
  const titleOf = (id: string) => {
    const initiative = session.model.initiative(id)
    return initiative ? initiative.title.trim() : null
  }
  return (
    <section className="presence" aria-labelledby="presence-heading">
      <h2 id="presence-heading" className="visually-hidden">
        People in this plan
      </h2>
      <ul className="presence__list" data-testid="presence">
        {peers.map((peer) => {
          const where = whereIs(peer, titleOf)
          return (
            <li key={peer.clientId} className="presence__person" title={`${peer.name}: ${where}`}>
              <Avatar name={peer.name} color={peer.color} />
              <span className="presence__text">
                <span className="presence__name">
                  {peer.name}
                  {peer.isSelf ? ' (you)' : ''}
                </span>
                <span className="presence__where">{where}</span>
              </span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

function useUndoState(): { canUndo: boolean; canRedo: boolean } {
  const { undoManager } = usePlanSession()
  const read = () => ({ canUndo: undoManager.undoStack.length > 0, canRedo: undoManager.redoStack.length > 0 })
  const [state, setState] = useState(read)
  // biome-ignore lint/correctness/useExhaustiveDependencies: `read` only reads the manager
  useEffect(() => {
    const update = () =>
      setState((prev) => {
        const next = read()
        return prev.canUndo === next.canUndo && prev.canRedo === next.canRedo ? prev : next
      })
    undoManager.on('stack-item-added', update)
    undoManager.on('stack-item-popped', update)
    undoManager.on('stack-cleared', update)
    update()
    return () => {
      undoManager.off('stack-item-added', update)
      undoManager.off('stack-item-popped', update)
      undoManager.off('stack-cleared', update)
    }
  }, [undoManager])
  return state
}

function UndoRedo() {
  const session = usePlanSession()
  const { canUndo, canRedo } = useUndoState()
  const mac = /Mac|iPhone|iPad/.test(navigator.platform)
  return (
    <div className="undo-redo">
      <button
        type="button"
        className="button button--small"
        aria-disabled={!canUndo}
        aria-keyshortcuts={mac ? 'Meta+Z' : 'Control+Z'}
        title={`Undo your last change (${mac ? '⌘Z' : 'Ctrl+Z'})`}
        onClick={() => canUndo && session.undo()}
      >
        Undo
      </button>
      <button
        type="button"
        className="button button--small"
        aria-disabled={!canRedo}
        aria-keyshortcuts={mac ? 'Meta+Shift+Z' : 'Control+Shift+Z Control+Y'}
        title={`Redo (${mac ? '⇧⌘Z' : 'Ctrl+Shift+Z or Ctrl+Y'})`}
        onClick={() => canRedo && session.redo()}
      >
        Redo
      </button>
    </div>
  )
}
