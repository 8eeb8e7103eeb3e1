import { labelOf, PLAN_SECTIONS, RESTORE_NOTE_KEY, type RestoreNote } from '@lever/shared'
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { useIdentity } from '../app/identity.ts'
import { ClosedAlert, ConnectionIndicator, SavedIndicator } from '../collab/ConnectionStatus.tsx'
import { PresenceList } from '../collab/PresenceList.tsx'
import type { Peer } from '../collab/presence.ts'
import { useComments } from '../comments/CommentsContext.tsx'
import { commentDomIds } from '../comments/domIds.ts'
import { HistoryButton } from '../history/HistoryButton.tsx'
import { usePlanPeers, usePlanSession, usePlanStatus, usePlanValue } from './PlanContext.tsx'

/** The sticky bar of the plan page: who is here, connection, saved state, undo and redo. */
export function StatusBar({ planId }: { planId: string }) {
  const session = usePlanSession()
  const status = usePlanStatus()
  return (
    <section className="status-bar" aria-label="Who is here, connection and saving">
      <PlanPresence />
      <div className="status-bar__state">
        <ConnectionIndicator session={session} status={status} />
        <SavedIndicator status={status} />
      </div>
      {session.readOnly ? (
        <p className="read-only-badge">{session.canComment ? 'Comment only' : 'Read only'}</p>
      ) : (
        <UndoRedo />
      )}
      <CommentsToggle />
      <HistoryButton planId={planId} canEdit={!session.readOnly} />
      <ClosedAlert status={status} />
      <RestoreNotice />
    </section>
  )
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })

/**
 * Tells the others in the plan when someone restores a version: what they were looking at was
 * replaced in front of them. Shown for a restore that arrives while the page is open (or comes
 * back online), not for one already in the plan when it was opened, nor to the person who did it
 * (the history tells them, with a way to undo).
 */
function RestoreNotice() {
  const session = usePlanSession()
  const me = useIdentity()?.userId ?? null
  const [note, setNote] = useState<RestoreNote | null>(null)
  useEffect(() => {
    const meta = session.model.meta
    const onChange = (event: Y.YMapEvent<unknown>, tr: Y.Transaction) => {
      if (tr.local || !event.keysChanged.has(RESTORE_NOTE_KEY) || !session.getStatus().synced) return
      const restore = session.model.lastRestore
      if (restore && restore.byId !== me) setNote(restore)
    }
    meta.observe(onChange)
    return () => meta.unobserve(onChange)
  }, [session, me])
  if (!note) return null
  const at = timeOfDay.format(new Date(note.at))
  return (
    <div className="restore-notice" role="status" data-testid="restore-notice">
      <p>
        <strong>{note.byName}</strong> {note.undo ? 'undid a restore' : `restored ${note.what}`} at {at}. What the plan
        held just before is kept in its history.
      </p>
      <button type="button" className="button button--small" onClick={() => setNote(null)}>
        Dismiss
      </button>
    </div>
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

function PlanPresence() {
  const peers = usePlanPeers()
  const session = usePlanSession()
  // The titles of the initiatives people are on: the list re-renders when one of them is renamed
  // (or people move), not with every keystroke in the plan.
  usePlanValue((s) =>
    peers.map((p) => (p.focus?.kind === 'initiative' ? (s.model.initiative(p.focus.id)?.title ?? '') : '')).join('\n'),
  )
  const titleOf = (id: string) => {
    const initiative = session.model.initiative(id)
    return initiative ? initiative.title.trim() : null
  }
  return <PresenceList peers={peers} label="People in this plan" where={(peer) => whereIs(peer, titleOf)} />
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
