import {
  DocKind,
  docNameFor,
  PlanKeys,
  PlanModel,
  THREAD_VISIBILITIES,
  ThreadLayout,
  ThreadsModel,
  type ThreadVisibility,
  threadAccess,
  threadDocName,
  type User,
  visibilityOfKind,
} from '@lever/shared'
import * as Y from 'yjs'
import type { DocumentHook, DocumentType } from '../collab/documentTypes.ts'
import { QuietTimers } from '../collab/QuietTimers.ts'
import type { Room } from '../collab/Room.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import { threadWriteRules } from '../collab/writeRules/threadWriteRules.ts'
import type { Db } from '../db/queries.ts'
import { type ScriptRunner, transactionRunner } from '../db/queryScripts.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { loadStoredDoc } from '../storage/storedDoc.ts'
import type { PlanService } from './plans.ts'
import { indexThreads, type ThreadDoc, type ThreadIndex } from './threadIndex.ts'

/** How long a plan's threads must be quiet before its thread index is refreshed. */
const INDEX_QUIET_MS = 2000
/** How stale the index may get while a plan changes without a pause. */
const INDEX_MAX_WAIT_MS = 5000

export interface PlanThreadsOptions {
  /** The query layer (the thread index's tables and the record of one-time upgrades). */
  queries: Db
  plans: PlanService
  store: DocStore
  index: ThreadIndex
  logger: Logger
  /** Runs the index's scripts (with the document store's next group commit, in the server). */
  write?: ScriptRunner
}

/** Why a thread's visibility could not be changed. */
export type VisibilityChange =
  | { ok: true; visibility: ThreadVisibility; moved: boolean }
  | { ok: false; reason: 'not_found' | 'forbidden' }

/**
 * A plan's comment threads, which live beside the plan in one document per visibility
 * (`threadDocName`): the team's (its members, coaches and facilitators) and everyone's (whoever
 * may read the plan). The server never sends a document to someone who may not read all of it, so
 * a thread's visibility is the document it is in. The comment marks in the plan's prose carry the
 * thread ids, whichever document the thread is in.
 *
 * This service declares the two document kinds, reads threads for the inbox, notifications and
 * exports, moves a thread between visibilities, and moves the threads of plans of the first
 * layout (held in the plan itself) into the team's document.
 */
export class PlanThreads {
  private roomManager: RoomManager | null = null
  /**
   * Plans whose index rows are owed, by id. Per server, and safe so: a server debounces the
   * changes it sees (its own, and, with fan-out, those applied from other servers), and each
   * indexing rewrites a plan's rows from the documents as stored, so whichever server indexes last
   * writes rows that hold every change; a debounce lost with its server is made up by the next
   * server that loads the plan (`threadsChanged` on load).
   */
  private readonly timers = new QuietTimers({
    quietMs: INDEX_QUIET_MS,
    maxWaitMs: INDEX_MAX_WAIT_MS,
    run: (planId) => this.runIndex(planId),
  })
  private readonly running = new Set<Promise<void>>()
  /**
   * Plans whose thread documents may hold what the index does not: they changed, or the plan
   * loaded (catching up after a restart or another server's changes) since the last indexing.
   */
  private readonly threadsChanged = new Set<string>()
  /**
   * Who started each thread of the plans loaded here, as last indexed: the plan's write rules ask
   * synchronously (`authorOf`) when the thread documents are not in memory. Per server, and safe
   * so: read from the shared index when the plan loads here, and replaced by each indexing here,
   * which follows every change to the plan this server sees (with fan-out, other servers' too).
   * Until then a thread just started elsewhere has no known author here: the rules err on the
   * side of refusing its author's change to its mark, never on letting someone else's through.
   */
  private readonly authors = new Map<string, Map<string, string>>()
  private readonly write: ScriptRunner

  constructor(private readonly options: PlanThreadsOptions) {
    this.write = options.write ?? transactionRunner(options.queries)
  }

  /** The rooms (created after the document kinds are declared). */
  attach(rooms: RoomManager): void {
    this.roomManager = rooms
  }

  private get rooms(): RoomManager {
    if (!this.roomManager) throw new Error('PlanThreads used before its rooms were attached')
    return this.roomManager
  }

  /** The document kind of one visibility. */
  documentType(visibility: ThreadVisibility): DocumentType {
    const { plans } = this.options
    return {
      kind: visibility === 'team' ? DocKind.PlanThreadsTeam : DocKind.PlanThreadsAll,
      writeRules: threadWriteRules,
      exists: async (id) => (await plans.get(id)) !== null,
      async access(user, id) {
        const plan = await plans.get(id)
        return plan ? threadAccess(user, plan, visibility) : null
      },
    }
  }

  /** Keeps the thread index current as plans and their thread documents change. */
  readonly indexHook: DocumentHook & { flush(): Promise<void> } = this.makeIndexHook()

  private makeIndexHook(): DocumentHook & { flush(): Promise<void> } {
    return {
      name: 'thread-index',
      kinds: [DocKind.Plan, DocKind.PlanThreadsTeam, DocKind.PlanThreadsAll],
      // Who started the plan's threads is read by the plan kind's own `onLoad` (awaited before
      // any client is answered), not here again.
      onLoad: (_room, id, kind) => {
        if (kind !== DocKind.Plan) return
        this.threadsChanged.add(id)
        this.timers.soon(id)
      },
      afterChange: (_room, id, kind) => {
        if (kind !== DocKind.Plan) this.threadsChanged.add(id)
        this.timers.touch(id)
      },
      afterUnload: (_docName, id, kind) => {
        if (kind === DocKind.Plan) this.authors.delete(id)
      },
      flush: async () => {
        this.timers.runAll()
        await Promise.all(this.running)
      },
    }
  }

  private runIndex(planId: string): void {
    this.track(
      this.reindex(planId).catch((error) => {
        this.options.logger.warn({ err: error, plan: planId }, 'could not index comment threads')
      }),
    )
  }

  /** Work the index hook's `flush` waits for. */
  private track(done: Promise<void>): void {
    this.running.add(done)
    void done.finally(() => this.running.delete(done))
  }

  /**
   * Rewrites a plan's rows of the thread index from its documents. A change to the plan alone
   * only changes rows there already are (a thread's anchor label, whether its words are still
   * marked), so a plan without indexed threads is left alone until its thread documents change:
   * typing in a plan nobody comments on reads no thread document.
   */
  async reindex(planId: string): Promise<void> {
    const threadsChanged = this.threadsChanged.delete(planId)
    const plan = await this.options.plans.get(planId)
    if (!plan) return
    if (!threadsChanged && !(await this.options.index.hasThreads(planId))) return
    const names = [plan.docName, ...THREAD_VISIBILITIES.map((v) => threadDocName(planId, v))]
    const rows = await this.withDocs(names, (docs) => {
      const [planDoc, ...threadDocs] = docs as [Y.Doc, ...Y.Doc[]]
      return indexThreads(
        planId,
        planDoc,
        THREAD_VISIBILITIES.map((visibility, i) => ({ visibility, doc: threadDocs[i] as Y.Doc })),
      )
    })
    await this.options.index.update(planId, rows, this.write)
    if (this.roomManager?.peek(plan.docName))
      this.authors.set(planId, new Map(rows.map((r) => [r.threadId, r.authorId])))
  }

  /**
   * Reads who started each thread of a loaded plan from the index (kept by `reindex` after). The
   * plan kind awaits it while the plan loads, before any client is answered; never rejects.
   */
  async loadAuthors(planId: string): Promise<void> {
    try {
      const authors = await this.options.index.authorsOf(planId)
      if (!this.authors.has(planId) && this.roomManager?.peek(docNameFor(DocKind.Plan, planId)))
        this.authors.set(planId, authors)
    } catch (error) {
      this.options.logger.warn({ err: error, plan: planId }, 'could not read who started the threads')
    }
  }

  /**
   * Runs `work` on the current state of some documents: a room's document when it is in memory,
   * else the stored state (without loading a room).
   */
  async withDocs<T>(names: readonly string[], work: (docs: Y.Doc[]) => T): Promise<T> {
    const loaded: Y.Doc[] = []
    const docs: Y.Doc[] = []
    try {
      for (const name of names) {
        const room = this.roomManager?.peek(name)
        if (room) {
          await room.loaded
          if (!room.isClosed) {
            docs.push(room.doc)
            continue
          }
        }
        const doc = await loadStoredDoc(this.options.store, name)
        loaded.push(doc)
        docs.push(doc)
      }
      return work(docs)
    } finally {
      for (const doc of loaded) doc.destroy()
    }
  }

  /** The thread documents of a plan a person may read, with their visibility. */
  async readable<T>(user: User, planId: string, work: (docs: ThreadDoc[]) => T): Promise<T> {
    const plan = await this.options.plans.get(planId)
    const visibilities = plan ? THREAD_VISIBILITIES.filter((v) => threadAccess(user, plan, v) !== null) : []
    return this.withDocs(
      visibilities.map((v) => threadDocName(planId, v)),
      (docs) => work(visibilities.map((visibility, i) => ({ visibility, doc: docs[i] as Y.Doc }))),
    )
  }

  /**
   * Who started a thread of a plan (null when unknown): from the thread documents in memory (the
   * person changing marks has them open), else the thread index as read when the plan loaded here
   * and as indexed since. Synchronous: the plan's write rules ask while judging an update.
   */
  authorOf(planId: string, threadId: string): string | null {
    for (const visibility of THREAD_VISIBILITIES) {
      const room = this.roomManager?.peek(threadDocName(planId, visibility))
      if (!room || room.isClosed) continue
      const thread = new ThreadsModel(room.doc).get(threadId)
      const author = thread?.map.get(ThreadLayout.thread.authorId)
      if (typeof author === 'string') return author
    }
    return this.authors.get(planId)?.get(threadId) ?? null
  }

  /**
   * Moves a thread to the other visibility: a server-made copy into the target document, stored
   * before the thread is removed from the source one (so it is never lost, and for a moment is in
   * both; readers take the narrower). Those who may comment on the plan change it when they
   * started the thread or are on its team; facilitators always.
   */
  async setVisibility(user: User, planId: string, threadId: string, to: ThreadVisibility): Promise<VisibilityChange> {
    const plan = await this.options.plans.get(planId)
    if (!plan || threadAccess(user, plan, 'team') === null) return { ok: false, reason: 'not_found' }
    const from: ThreadVisibility = to === 'team' ? 'all' : 'team'
    const fromName = threadDocName(planId, from)
    const toName = threadDocName(planId, to)
    const by = { userId: user.id, reason: `thread visibility: ${to}` }
    const mayChange = (authorId: unknown) =>
      user.role === 'facilitator' ||
      authorId === user.id ||
      (user.role === 'member' && user.jurisdictionId === plan.jurisdictionId)
    // A reply written while the copy is stored would be left behind: copy again until it is still.
    for (let attempt = 0; attempt < 5; attempt++) {
      const source = await this.rooms.withRoom(fromName, (room) => {
        const thread = new ThreadsModel(room.doc).get(threadId)
        return thread
          ? { clone: thread.map.clone(), json: JSON.stringify(thread.map.toJSON()), author: thread.map.get('authorId') }
          : null
      })
      if (!source) {
        const already = await this.rooms.withRoom(toName, (room) => new ThreadsModel(room.doc).get(threadId) !== null)
        return already ? { ok: true, visibility: to, moved: false } : { ok: false, reason: 'not_found' }
      }
      if (!mayChange(source.author)) return { ok: false, reason: 'forbidden' }
      await this.rooms.withRoom(toName, (room) =>
        room.transactServer((doc) => new ThreadsModel(doc).adopt(threadId, source.clone), by),
      )
      const removed = await this.rooms.withRoom(fromName, (room) => {
        const thread = new ThreadsModel(room.doc).get(threadId)
        if (thread && JSON.stringify(thread.map.toJSON()) !== source.json) return false
        if (thread) room.transactServer((doc) => new ThreadsModel(doc).remove(threadId), by)
        return true
      })
      if (removed) {
        this.threadsChanged.add(planId)
        this.timers.soon(planId)
        return { ok: true, visibility: to, moved: true }
      }
    }
    return { ok: false, reason: 'not_found' }
  }

  /**
   * Plans of the first layout hold their threads themselves: copies go into the team's thread
   * document (team and coaches: who could read a coach's thread before and may still), stored
   * before the plan lets go of them. Threads the team document already has (an earlier attempt
   * that stopped half way) are left as they are, so running it again changes nothing. Returns how
   * many threads were copied.
   */
  async moveOutOfPlan(planId: string, planDoc: Y.Doc): Promise<number> {
    const held = planDoc.getMap<unknown>(PlanKeys.threads)
    const threads = [...held.entries()].filter((e): e is [string, Y.Map<unknown>] => e[1] instanceof Y.Map)
    if (threads.length === 0) return 0
    const clones = threads.map(([id, map]) => [id, map.clone()] as const)
    return this.rooms.withRoom(threadDocName(planId, 'team'), (room) => {
      const missing = clones.filter(([id]) => !room.doc.getMap(ThreadLayout.root).has(id))
      if (missing.length > 0) {
        room.transactServer(
          (doc) => {
            const model = new ThreadsModel(doc)
            for (const [id, clone] of missing) model.map.set(id, clone as Y.Map<unknown>)
          },
          { reason: 'threads move out of the plan' },
        )
      }
      return missing.length
    })
  }

  /**
   * Loads, once, every stored plan of the first layout that still holds threads, so that its
   * threads move to their document (see the plan kind's `onLoad`) before anyone asks for them
   * (the inbox, search, notifications read thread documents only).
   */
  async upgradeStoredPlans(): Promise<number> {
    const { queries, plans } = this.options
    const done = 'plan-threads-moved'
    const upgraded = await queries
      .selectFrom('document_upgrades')
      .select('name')
      .where('name', '=', done)
      .executeTakeFirst()
    if (upgraded) return 0
    let count = 0
    for (const plan of await plans.listAll()) {
      const holds = await this.withDocs([docNameFor(DocKind.Plan, plan.id)], ([doc]) => {
        const model = new PlanModel(doc as Y.Doc)
        return model.schemaVersion < 2 && (doc as Y.Doc).getMap(PlanKeys.threads).size > 0
      })
      if (!holds) continue
      await this.rooms.withRoom(plan.docName, () => {})
      count++
    }
    await queries
      .insertInto('document_upgrades')
      .values({ name: done })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute()
    return count
  }
}

/** The visibility of a thread document's room, or null for other documents. */
export function visibilityOfRoom(room: Room): ThreadVisibility | null {
  const colon = room.name.indexOf(':')
  return visibilityOfKind(room.name.slice(0, colon))
}
