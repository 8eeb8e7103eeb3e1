import type { Identity } from '../app/identity.ts'
import { roomCloseMessage } from '../collab/closeMessages.ts'
import { DocSession, type DocSessionOptions } from '../collab/DocSession.ts'
import { tryEdit, useOpenSession } from '../collab/sessionHooks.ts'

/** Opens a session's or a breakout draft's live document while mounted (again for a new `generation`). */
export function useRoomDoc(
  docName: string,
  identity: Identity,
  options: Omit<DocSessionOptions, 'closeMessage'>,
  generation = 0,
): DocSession | null {
  return useOpenSession(
    `${docName}#${generation}`,
    () => new DocSession(docName, identity, { ...options, closeMessage: roomCloseMessage }),
    identity,
  )
}

/** Applies a change to a room's document; a rejected value comes back as the model's message. */
export function tryRoomEdit(session: DocSession, change: () => void): string | null {
  return tryEdit(session, change, { withoutField: true })
}
