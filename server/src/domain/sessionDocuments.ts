import { AccessMode, DocKind, isSessionPast, SessionModel } from '@lever/shared'
import type { DocumentType } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import { draftWriteRules } from '../collab/writeRules/draftWriteRules.ts'
import { sessionWriteRules } from '../collab/writeRules/sessionWriteRules.ts'
import type { Logger } from '../logger.ts'
import { type BreakoutService, groupStates } from './breakouts.ts'
import type { CohortSessionService } from './cohortSessions.ts'

/**
 * Session documents (`session:<id>`): facilitators write them until the session is past, everyone
 * signed in reads them.
 * The server writes the status (started/ended through the API) into them, and mirrors the groups
 * and the "breakouts open" flag out of them, because those decide who may edit which draft.
 */
export function sessionDocumentType(
  sessions: CohortSessionService,
  breakouts: BreakoutService,
  logger: Logger,
  onDraftAccessChanged: (draftIds: string[]) => void,
): DocumentType {
  const mirrorOnce = async (room: Room, id: string) => {
    // Read the document at one moment, before anything is awaited.
    const groups = groupStates(room.doc)
    const open = new SessionModel(room.doc).breakoutsOpen
    const touched = await breakouts.mirrorGroups(id, groups)
    const flagChanged = await sessions.setBreakoutsOpen(id, open)
    onDraftAccessChanged(flagChanged ? (await breakouts.groups(id, true)).map((g) => g.draftId) : touched)
  }
  /**
   * Mirrors of one session run one after another, so an older state of the document is never
   * written after a newer one; changes made while one runs ask for one more run, which reads the
   * document as it is then. Never rejects: a failure is logged, and the next change mirrors again.
   */
  const running = new Map<string, { room: Room; again: boolean; done: Promise<void> }>()
  const mirror = (room: Room, id: string): Promise<void> => {
    const current = running.get(id)
    if (current) {
      current.room = room
      current.again = true
      return current.done
    }
    const state = { room, again: false, done: Promise.resolve() }
    state.done = (async () => {
      try {
        do {
          state.again = false
          try {
            await mirrorOnce(state.room, id)
          } catch (error) {
            logger.warn({ err: error, session: id }, 'could not mirror breakout groups')
          }
        } while (state.again)
      } finally {
        running.delete(id)
      }
    })()
    running.set(id, state)
    return state.done
  }
  return {
    kind: DocKind.Session,
    writeRules: sessionWriteRules,
    exists: async (id) => (await sessions.get(id)) !== null,
    // Past sessions are read-only for everyone; the server still writes their status.
    access: async (user, id) => {
      if (!user.active) return null
      if (user.role !== 'facilitator') return AccessMode.ReadOnly
      const session = await sessions.get(id)
      return session && !isSessionPast(session) ? AccessMode.ReadWrite : AccessMode.ReadOnly
    },
    async onLoad(room, id) {
      try {
        const session = await sessions.get(id)
        if (session && new SessionModel(room.doc).status !== session.status) {
          room.transactServer((doc) => new SessionModel(doc).setStatus(session.status))
        }
      } catch (error) {
        logger.warn({ err: error, session: id }, 'could not bring the session’s status into its document')
      }
      await mirror(room, id)
    },
    onChange(room, id) {
      void mirror(room, id)
    },
  }
}

/**
 * Breakout drafts (`draft:<id>`): a group's members edit their draft while the session is live
 * and breakouts are open; facilitators always may (they visit any room); everyone signed in may
 * read drafts, during and after the session.
 */
export function draftDocumentType(breakouts: BreakoutService): DocumentType {
  return {
    kind: DocKind.Draft,
    writeRules: draftWriteRules,
    exists: (id) => breakouts.draftExists(id),
    async access(user, id) {
      if (!user.active) return null
      if (user.role === 'facilitator') return AccessMode.ReadWrite
      const facts = await breakouts.draftAccessFacts(id, user.id)
      if (facts && !facts.removed && facts.member && facts.sessionStatus === 'live' && facts.breakoutsOpen) {
        return AccessMode.ReadWrite
      }
      return AccessMode.ReadOnly
    },
  }
}
