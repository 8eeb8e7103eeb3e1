import { ClosedAlert, ConnectionIndicator, SavedIndicator } from '../collab/ConnectionStatus.tsx'
import type { DocSession } from '../collab/DocSession.ts'
import { PresenceList } from '../collab/PresenceList.tsx'
import { type Peer, usePeers } from '../collab/presence.ts'
import { useDocStatus } from '../collab/sessionHooks.ts'

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
  return (
    <section className="status-bar room-status" aria-label="Who is here and connection">
      <PresenceList peers={peers} label={label} where={where} />
      <div className="status-bar__state">
        <ConnectionIndicator session={session} status={status} />
        {!session.readOnly ? (
          <SavedIndicator status={status} />
        ) : readOnlyNote === null ? null : (
          <p className="read-only-badge" data-testid="read-only">
            {readOnlyNote ?? 'Read only'}
          </p>
        )}
      </div>
      <ClosedAlert status={status} />
    </section>
  )
}
