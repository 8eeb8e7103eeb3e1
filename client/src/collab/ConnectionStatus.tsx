import { CloseCode } from '@lever/shared'
import { Link } from 'react-router'
import { signedOut } from '../app/identity.ts'
import { useUnwrittenCount } from '../ui/unwrittenDrafts.ts'
import type { DocSession, SessionStatus } from './DocSession.ts'

/**
 * The connection and saved state of a live document in words, as the plan's status bar and the
 * session rooms show them: a dot and a word for the connection (with "Try now" while offline),
 * whether the server has every change, and why the connection closed for good.
 */

const CONNECTION_TEXT: Record<SessionStatus['connection'], string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  closed: 'Disconnected',
}

export type SavedTone = 'good' | 'busy' | 'warn' | 'bad'

/**
 * Whether the server has every change, in words and a tone. `unwritten` fields hold input that
 * could not be written (an amount that does not parse): it exists nowhere else, so it comes
 * before everything but a connection closed for good.
 */
export function savedText(status: SessionStatus, unwritten = 0): { text: string; tone: SavedTone } {
  if (status.connection === 'closed') {
    return status.unsavedChanges
      ? { text: 'Not saved — recent changes could not be stored', tone: 'bad' }
      : { text: 'Not connected', tone: 'bad' }
  }
  if (unwritten > 0) {
    return {
      text:
        unwritten === 1
          ? 'Not saved: 1 field needs fixing (marked in red)'
          : `Not saved: ${unwritten} fields need fixing (marked in red)`,
      tone: 'warn',
    }
  }
  if (status.connection !== 'connected') {
    return status.unsavedChanges
      ? { text: `Offline — changes kept in this ${status.keptLocally ? 'browser' : 'tab'}`, tone: 'warn' }
      : { text: 'No unsaved changes', tone: 'warn' }
  }
  if (!status.saved) return { text: status.unsavedChanges ? 'Saving…' : 'Syncing…', tone: 'busy' }
  return { text: 'All changes saved', tone: 'good' }
}

export function ConnectionIndicator({ session, status }: { session: DocSession; status: SessionStatus }) {
  return (
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
  )
}

export function SavedIndicator({ status }: { status: SessionStatus }) {
  const saved = savedText(status, useUnwrittenCount())
  return (
    <p className={`saved saved--${saved.tone}`} data-testid="saved-state">
      {saved.text}
    </p>
  )
}

/** Close codes after which reloading the page is what to do next. */
const RELOAD_ON = new Set<number>([CloseCode.ReloadRequired, CloseCode.DocumentTooLarge, CloseCode.ChangeTooLarge])

/**
 * Why the server closed the connection for good, with what to do: "Sign in again" when the
 * sign-in ended, "Reload" when the server runs a newer Lever than this page or refused a change
 * too large to keep.
 */
export function ClosedAlert({ status }: { status: SessionStatus }) {
  if (status.connection !== 'closed') return null
  return (
    <p className="status-bar__alert" role="alert">
      {status.closedMessage}{' '}
      {status.closeCode === CloseCode.Unauthenticated ? (
        <Link to={`/sign-in?next=${encodeURIComponent(window.location.pathname)}`} onClick={() => signedOut('ended')}>
          Sign in again
        </Link>
      ) : null}
      {status.closeCode !== null && RELOAD_ON.has(status.closeCode) ? (
        <button type="button" className="button button--small" onClick={() => window.location.reload()}>
          Reload
        </button>
      ) : null}
    </p>
  )
}
