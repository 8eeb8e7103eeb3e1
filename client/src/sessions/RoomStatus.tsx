import { CloseCode } from '@lever/shared'
import { Link } from 'react-router'
import { signedOut } from '../app/identity.ts'
import type { DocSession } from '../collab/DocSession.ts'
import type { SessionStatus } from '../collab/PlanSession.ts'
import { type Peer, usePeers } from '../collab/presence.ts'
import { Avatar } from '../ui/Avatar.tsx'
import { useDocStatus } from './liveDoc.ts'

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

/**
 * The bar at the top of a breakout room or session page: who is here, the connection, and (for
 * people who may write) whether the server has every change. Same look as the plan's status bar.
 */
export function RoomStatus({
  session,
  label,
  where,
  readOnlyNote,
}: {
  session: DocSession
  /** What the people list is about, e.g. "People in this breakout room". */
  label: string
  where?: (peer: Peer) => string
  /** Shown instead of the saved state when the person may only read (null: nothing). */
  readOnlyNote?: string | null
}) {
  const status = useDocStatus(session)
  const peers = usePeers(session.provider.awareness)
  const saved = savedText(status)
  return (
    <section className="status-bar room-status" aria-label="Who is here and connection">
      <section className="presence" aria-label={label}>
        <ul className="presence__list" data-testid="presence">
          {peers.map((peer) => (
            <li key={peer.clientId} className="presence__person">
              <Avatar name={peer.name} color={peer.color} />
              <span className="presence__text">
                <span className="presence__name">
                  {peer.name}
                  {peer.isSelf ? ' (you)' : ''}
                </span>
                {where ? <span className="presence__where">{where(peer)}</span> : null}
              </span>
            </li>
          ))}
        </ul>
      </section>
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
        {session.readOnly ? (
          readOnlyNote === null ? null : (
            <p className="read-only-badge" data-testid="read-only">
              {readOnlyNote ?? 'Read only'}
            </p>
          )
        ) : (
          <p className={`saved saved--${saved.tone}`} data-testid="saved-state">
            {saved.text}
          </p>
        )}
      </div>
      {status.connection === 'closed' ? (
        <p className="status-bar__alert" role="alert">
          {status.closedMessage}{' '}
          {status.closeCode === CloseCode.Unauthenticated ? (
            <Link to={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`} onClick={() => signedOut()}>
              Sign in again
            </Link>
          ) : null}
        </p>
      ) : null}
    </section>
  )
}
