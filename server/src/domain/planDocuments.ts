import { DocKind, migratePlanDoc, PlanKeys, PlanModel, planAccess, planDocNeedsMigration } from '@lever/shared'
import type * as Y from 'yjs'
import type { DocumentType } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import type { EffectRule } from '../collab/updatePolicy.ts'
import { planWriteRules } from '../collab/writeRules/planWriteRules.ts'
import type { ScriptRunner } from '../db/queryScripts.ts'
import type { Logger } from '../logger.ts'
import type { PlanService } from './plans.ts'
import type { PlanThreads } from './threadDocuments.ts'

/** How long after a change the plan's metadata (title, updated time) is refreshed. */
const REFRESH_DEBOUNCE_MS = 2000

/**
 * Plan documents: they exist when their metadata row does; the server keeps them in shape and
 * mirrors their title and sharing into the metadata. `onSharingChanged` runs when a team shares
 * or unshares a plan (open peer connections must be re-checked).
 */
export function planDocumentType(
  plans: PlanService,
  threads: PlanThreads,
  logger: Logger,
  onSharingChanged: (planId: string) => void,
  /** How metadata is written (along with the document store's next commit, on SQLite in the server). */
  write: ScriptRunner,
  /** Write rules plans keep besides the comment rules (the closed check-in periods). */
  extraRules: readonly EffectRule[] = [],
): DocumentType {
  const pending = new Map<string, NodeJS.Timeout>()
  /** What the metadata says about sharing, so a change is written only when the flag flips. */
  const shared = new Map<string, boolean>()
  /** Each plan's last sharing write: the next waits for it, so the flag ends as the document says. */
  const sharing = new Map<string, Promise<void>>()
  /** The plan each loaded plan document is (the write rules look up thread authors by plan). */
  const planIds = new WeakMap<Y.Doc, string>()
  /** Writes the plan's title and updated time into its metadata, with `write`. */
  const refresh = (room: Room, id: string): Promise<number> => {
    const title = new PlanModel(room.doc).title.trim() || null
    return write(plans.touch(id, title))
  }
  const rules = planWriteRules((doc, threadId) => {
    const planId = planIds.get(doc)
    return planId === undefined ? null : threads.authorOf(planId, threadId)
  })
  return {
    kind: DocKind.Plan,
    writeRules: { ...rules, always: [...(rules.always ?? []), ...extraRules] },
    exists: async (id) => (await plans.get(id)) !== null,
    async access(user, id) {
      const plan = await plans.get(id)
      return plan ? planAccess(user, plan) : null
    },
    async onLoad(room: Room, id: string) {
      planIds.set(room.doc, id)
      const model = new PlanModel(room.doc)
      // Read together: the plan's row, and who started its threads (the write rules ask, synchronously).
      const [summary] = await Promise.all([plans.get(id), threads.loadAuthors(id)])
      shared.set(id, summary?.sharedWithCohort ?? false)
      if (model.schemaVersion === 0 && summary) {
        // The metadata row exists but the document was never written (a crash between the two).
        logger.warn({ plan: id }, 'plan document was empty; writing its initial structure')
        room.transactServer((doc) => {
          PlanModel.initialize(doc, { title: summary.title, jurisdictionId: summary.jurisdictionId })
        })
      }
      if (model.schemaVersion < 2 && room.doc.getMap(PlanKeys.threads).size > 0) {
        // Layout 2 moves the threads out of the plan: into the team's thread document first,
        // durably, then the plan lets go of them (the migration below). Clients wait meanwhile.
        try {
          const copied = await threads.moveOutOfPlan(id, room.doc)
          logger.info({ plan: id, threads: copied }, 'comment threads moved out of the plan')
        } catch (error) {
          logger.error({ err: error, plan: id }, 'could not move comment threads out of the plan; left in place')
          return
        }
        if (room.isClosed) return
      }
      let result: ReturnType<typeof migratePlanDoc> | undefined
      if (planDocNeedsMigration(room.doc)) {
        room.transactServer((doc) => {
          result = migratePlanDoc(doc)
        })
      } else {
        // Current, newer than this server, or not a plan yet: nothing to write, so no server
        // change (and no record of the server's client id, a row and a commit per load).
        result = migratePlanDoc(room.doc)
      }
      if (result?.tooNew) logger.warn({ plan: id, version: result.from }, 'plan document is newer than this server')
      else if (result && result.from !== result.to) logger.info({ plan: id, ...result }, 'plan document migrated')
    },
    onChange(room: Room, id: string) {
      // Sharing decides who may read: mirror it at once, not debounced.
      const nowShared = room.isClosed ? shared.get(id) : new PlanModel(room.doc).sharedWithCohort
      if (nowShared !== undefined && nowShared !== shared.get(id)) {
        shared.set(id, nowShared)
        const previous = sharing.get(id) ?? Promise.resolve()
        const next = previous
          .then(() => plans.setShared(id, nowShared))
          .then((changed) => {
            if (changed) onSharingChanged(id)
          })
          .catch((error: unknown) => {
            // Not recorded: forget what was mirrored, so the next change of the plan writes it again.
            if (shared.get(id) === nowShared) shared.delete(id)
            logger.warn({ err: error, plan: id }, 'could not record the plan’s sharing')
          })
          .finally(() => {
            if (sharing.get(id) === next) sharing.delete(id)
          })
        sharing.set(id, next)
      }
      if (pending.has(id)) return
      const timer = setTimeout(() => {
        pending.delete(id)
        if (room.isClosed) return // the next load re-indexes
        const failed = (error: unknown) => logger.warn({ err: error, plan: id }, 'could not refresh plan metadata')
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
