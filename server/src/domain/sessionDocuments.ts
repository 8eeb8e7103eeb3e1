import { AccessMode, DocKind, isSessionPast, SessionModel } from '@lever/shared'
import type { DocumentType } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import { draftWriteRules } from '../collab/writeRules/draftWriteRules.ts'
import { sessionWriteRules } from '../collab/writeRules/sessionWriteRules.ts'
import type { Logger } from '../logger.ts'
import type { BreakoutService } from './breakouts.ts'
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
  const mirror = (room: Room, id: string) => {
    try {
      const model = new SessionModel(room.doc)
      const touched = breakouts.mirror(id, room.doc)
      const flagChanged = sessions.setBreakoutsOpen(id, model.breakoutsOpen)
      onDraftAccessChanged(flagChanged ? breakouts.groups(id, true).map((g) => g.draftId) : touched)
    } catch (error) {
      logger.warn({ err: error, session: id }, 'could not mirror breakout groups')
    }
  }
  return {
    kind: DocKind.Session,
    writeRules: sessionWriteRules,
    exists: (id) => sessions.get(id) !== null,
    // Past sessions are read-only for everyone; the server still writes their status.
    access: (user, id) => {
      if (!user.active) return null
      const session = sessions.get(id)
      return user.role === 'facilitator' && session && !isSessionPast(session)
        ? AccessMode.ReadWrite
        : AccessMode.ReadOnly
    },
    onLoad(room, id) {
      const session = sessions.get(id)
      if (session && new SessionModel(room.doc).status !== session.status) {
        room.transactServer((doc) => new SessionModel(doc).setStatus(session.status))
      }
      mirror(room, id)
    },
    onChange: mirror,
  }
}

/**
 * Breakout drafts (`draft:<id>`): a group's members edit their draft while the session is live
 * and breakouts are open; facilitators always may (they visit any room); everyone signed in may
 * read drafts, during and after the session.
 */
export function draftDocumentType(sessions: CohortSessionService, breakouts: BreakoutService): DocumentType {
  return {
    kind: DocKind.Draft,
    writeRules: draftWriteRules,
    exists: (id) => breakouts.groupByDraft(id) !== null,
    access(user, id) {
      if (!user.active) return null
      if (user.role === 'facilitator') return AccessMode.ReadWrite
      const group = breakouts.groupByDraft(id)
      const session = group ? sessions.get(group.sessionId) : null
      if (
        group &&
        session &&
        !group.removed &&
        group.members.includes(user.id) &&
        session.status === 'live' &&
        session.breakoutsOpen
      ) {
        return AccessMode.ReadWrite
      }
      return AccessMode.ReadOnly
    },
  }
}
