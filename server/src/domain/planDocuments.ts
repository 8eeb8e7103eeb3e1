import { DocKind, migratePlanDoc, PlanModel, planAccess } from '@lever/shared'
import type { DocumentType } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import type { Logger } from '../logger.ts'
import type { PlanService } from './plans.ts'
import { indexThreads, type ThreadIndex } from './threadIndex.ts'

/** How long after a change the plan's metadata (title, updated time) is refreshed. */
const TOUCH_DEBOUNCE_MS = 1000

/**
 * Plan documents: they exist when their metadata row does; the server keeps them in shape and
 * mirrors their title and sharing into the metadata. `onSharingChanged` runs when a team shares
 * or unshares a plan (open peer connections must be re-checked).
 */
export function planDocumentType(
  plans: PlanService,
  threads: ThreadIndex,
  logger: Logger,
  onSharingChanged: (planId: string) => void,
): DocumentType {
  const pending = new Map<string, NodeJS.Timeout>()
  const reindex = (room: Room, id: string) => {
    try {
      threads.update(id, indexThreads(id, room.doc))
    } catch (error) {
      logger.warn({ err: error, plan: id }, 'could not index comment threads')
    }
  }
  return {
    kind: DocKind.Plan,
    exists: (id) => plans.get(id) !== null,
    access(user, id) {
      const plan = plans.get(id)
      return plan ? planAccess(user, plan) : null
    },
    onLoad(room: Room, id: string) {
      const model = new PlanModel(room.doc)
      const summary = plans.get(id)
      if (model.schemaVersion === 0 && summary) {
        // The metadata row exists but the document was never written (a crash between the two).
        logger.warn({ plan: id }, 'plan document was empty; writing its initial structure')
        room.transactServer((doc) => {
          PlanModel.initialize(doc, { title: summary.title, jurisdictionId: summary.jurisdictionId })
        })
      }
      let result: ReturnType<typeof migratePlanDoc> | undefined
      room.transactServer((doc) => {
        result = migratePlanDoc(doc)
      })
      if (result?.tooNew) logger.warn({ plan: id, version: result.from }, 'plan document is newer than this server')
      else if (result && result.from !== result.to) logger.info({ plan: id, ...result }, 'plan document migrated')
      // Changes whose indexing was cut short (a restart) are caught up here.
      reindex(room, id)
    },
    onChange(room: Room, id: string) {
      // Sharing decides who may read: mirror it at once, not debounced.
      if (!room.isClosed && plans.setShared(id, new PlanModel(room.doc).sharedWithCohort)) onSharingChanged(id)
      if (pending.has(id)) return
      const timer = setTimeout(() => {
        pending.delete(id)
        if (room.isClosed) return // the next load re-indexes
        try {
          plans.touch(id, new PlanModel(room.doc).title.trim() || null)
        } catch (error) {
          logger.warn({ err: error, plan: id }, 'could not refresh plan metadata')
        }
        reindex(room, id)
      }, TOUCH_DEBOUNCE_MS)
      timer.unref()
      pending.set(id, timer)
    },
  }
}
