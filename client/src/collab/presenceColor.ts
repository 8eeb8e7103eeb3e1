import { choosePresenceColor, type PresentPerson } from '@lever/shared'
import type { Awareness } from 'y-protocols/awareness'

/** What others see of this person in a document (the awareness `user` field). */
export interface PresenceUser {
  name: string
  color: string
  /** The person's id (the server stamps it, with the name, into every presence state). */
  id: string
}

function readOthers(awareness: Awareness): PresentPerson[] {
  const others: PresentPerson[] = []
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue
    const user = (state as { user?: { id?: unknown; color?: unknown } }).user
    others.push({
      clientId,
      userId: typeof user?.id === 'string' ? user.id : null,
      color: typeof user?.color === 'string' ? user.color : null,
    })
  }
  return others
}

/**
 * Keeps this browser's presence in `awareness` as `wanted()` says (name and id) in a colour
 * distinct from the others present (`choosePresenceColor`), re-deciding whenever presence
 * changes. Tiptap's caret extension writes its own `user` field when an editor starts; that is
 * put right at once too. Returns a function that stops it.
 */
export function keepPresenceColor(awareness: Awareness, wanted: () => { name: string; userId: string }): () => void {
  const apply = () => {
    const local = awareness.getLocalState()
    if (!local) return
    const { name, userId } = wanted()
    const current = (local.user as Partial<PresenceUser> | undefined) ?? {}
    const color = choosePresenceColor(
      { clientId: awareness.clientID, userId },
      typeof current.color === 'string' ? current.color : null,
      readOthers(awareness),
    )
    if (current.name === name && current.id === userId && current.color === color) return
    awareness.setLocalStateField('user', { name, id: userId, color } satisfies PresenceUser)
  }
  awareness.on('change', apply)
  apply()
  return () => awareness.off('change', apply)
}

/** This browser's presence as it stands (for Tiptap's caret extension, which writes it too). */
export function currentPresenceUser(awareness: Awareness, fallback: PresenceUser): PresenceUser {
  const user = awareness.getLocalState()?.user as Partial<PresenceUser> | undefined
  return typeof user?.name === 'string' && typeof user.color === 'string' && typeof user.id === 'string'
    ? { name: user.name, color: user.color, id: user.id }
    : fallback
}
