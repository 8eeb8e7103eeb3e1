import { DocKind, migratePlanDoc, PlanModel, planAccess } from '@lever/shared'
import type { Database } from 'better-sqlite3'
import type { DocumentType } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import type { EffectRule } from '../collab/updatePolicy.ts'
import { planWriteRules } from '../collab/writeRules/planWriteRules.ts'
import type { Logger } from '../logger.ts'
import { type DerivedWriter, derivedWriter } from '../storage/derivedWrites.ts'
import type { PlanService } from './plans.ts'
import { indexThreads, type ThreadIndex } from './threadIndex.ts'

/** How long after a change the plan's metadata (title, updated time) and thread index are refreshed. */
const REFRESH_DEBOUNCE_MS = 2000

/**
 * Plan documents: they exist when their metadata row does; the server keeps them in shape and
 * mirrors their title and sharing into the metadata. `onSharingChanged` runs when a team shares
 * or unshares a plan (open peer connections must be re-checked).
 */
export function planDocumentType(
  db: Database,
  plans: PlanService,
  threads: ThreadIndex,
  logger: Logger,
  onSharingChanged: (planId: string) => void,
  /** Write rules plans keep besides the comment rules (the closed check-in periods). */
  extraRules: readonly EffectRule[] = [],
  /** How metadata and thread rows are written (along with the document store's next commit, in the server). */
  write: DerivedWriter = derivedWriter(db, null),
): DocumentType {
  const pending = new Map<string, NodeJS.Timeout>()
  /** What the metadata says about sharing, so a change is written only when the flag flips. */
  const shared = new Map<string, boolean>()
  /** Threads each plan had when last indexed; a plan with none, then or now, needs no indexing. */
  const indexed = new Map<string, number>()
  /** Reads the plan's threads (and title) now; writes them with `write`. */
  const reindex = (room: Room, id: string, title?: string | null): Promise<void> => {
    const rows = indexThreads(id, room.doc)
    const unchanged = rows.length === 0 && indexed.get(id) === 0
    return write(() => {
      if (title !== undefined) plans.touch(id, title)
      if (unchanged) return
      threads.update(id, rows)
      indexed.set(id, rows.length)
    })
  }
  const refresh = (room: Room, id: string) => reindex(room, id, new PlanModel(room.doc).title.trim() || null)
  return {
    kind: DocKind.Plan,
    writeRules: { ...planWriteRules, always: [...(planWriteRules.always ?? []), ...extraRules] },
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
      shared.set(id, summary?.sharedWithCohort ?? false)
      // Changes whose indexing was cut short (a restart) are caught up here.
      indexed.delete(id)
      try {
        reindex(room, id).catch((error) => logger.warn({ err: error, plan: id }, 'could not index comment threads'))
      } catch (error) {
        logger.warn({ err: error, plan: id }, 'could not index comment threads')
      }
    },
    onChange(room: Room, id: string) {
      // Sharing decides who may read: mirror it at once, not debounced.
      const nowShared = room.isClosed ? shared.get(id) : new PlanModel(room.doc).sharedWithCohort
      if (nowShared !== undefined && nowShared !== shared.get(id)) {
        shared.set(id, nowShared)
        if (plans.setShared(id, nowShared)) onSharingChanged(id)
      }
      if (pending.has(id)) return
      const timer = setTimeout(() => {
        pending.delete(id)
        if (room.isClosed) return // the next load re-indexes
        const failed = (error: unknown) =>
          logger.warn({ err: error, plan: id }, 'could not refresh plan metadata and comment index')
        try {
          refresh(room, id).catch(failed)
        } catch (error) {
          failed(error)
        }
      }, REFRESH_DEBOUNCE_MS)
      timer.unref()
      pending.set(id, timer)
    },
  }
}
