import { labelOf, PLAN_STATUSES, PlanKeys, PlanModel, type VersionKind } from '@lever/shared'
import type * as Y from 'yjs'
import { Connection } from '../collab/Connection.ts'
import { ServerChange } from '../collab/changeOrigin.ts'
import type { DocumentHook } from '../collab/documentTypes.ts'
import { afterPendingInput } from '../collab/QuietTimers.ts'
import type { Room } from '../collab/Room.ts'
import type { ScriptRunner } from '../db/queryScripts.ts'
import type { Logger } from '../logger.ts'
import { type RetentionPolicy, versionsToThin } from './retention.ts'
import { docBeforeTransaction } from './stateBefore.ts'
import { type PreparedVersion, VersionHistoryFull, type VersionRecord, type VersionStore } from './VersionStore.ts'

/** When automatic versions are taken. */
export interface VersionTiming {
  /** A version is taken once nobody has changed the plan for this long. */
  idleMs: number
  /** During continuous editing, a version at least this often. */
  maxIntervalMs: number
}

/** Server-made changes that deserve a version of the plan as it was just before them. */
const EVENT_REASONS: Record<string, string> = {
  'send-to-plan': 'Before a breakout draft was sent into the plan',
}

interface Pending {
  room: Room | null
  /** People who changed the plan since its last version, each with the count of its last change. */
  authors: Map<string, number>
  /** Changes seen so far (counts them, to tell whether any came after a version was read). */
  changes: number
  /** When the first change since the last version was made (null: nothing changed). */
  dirtySince: number | null
  timer: NodeJS.Timeout | null
  detach: (() => void) | null
  /** The newest version is being read to see whether another server took one meanwhile. */
  checkingInterval: boolean
}

/** A version read off the plan, not stored yet, and the plan's state when it was read. */
interface Captured {
  version: PreparedVersion
  changes: number
  authors: Map<string, number>
  dirtySince: number | null
}

export interface VersionRecorderOptions {
  store: VersionStore
  logger: Logger
  timing: VersionTiming
  retention: RetentionPolicy
  now?: () => number
  /**
   * How the first version of a plan is written (along with the document store's next commit on
   * SQLite, in a transaction of its own on PostgreSQL); default: a transaction of its own.
   */
  write?: ScriptRunner
}

/**
 * Takes the automatic versions of plans, as a document hook: after a few minutes without edits,
 * at least every `maxIntervalMs` of continuous editing, when a room unloads, before events that
 * matter (the plan's status changing, a breakout draft sent into it; `sessionEnding` for a session ending), and never
 * when nothing changed. It collects who changed the plan since the previous version from the
 * changes' origins, and thins old automatic versions.
 *
 * Several servers sharing one SQLite file each run this recorder for the plans they have open,
 * and the same idle pause or status change reaches all of them: automatic and event versions go
 * through `VersionStore.addOnce`, so the same content is stored once and the authors each server
 * saw are merged into that version.
 */
export class VersionRecorder {
  private readonly pending = new Map<string, Pending>()
  private readonly now: () => number
  /** Versions being read or stored (`flush` waits for them). */
  private readonly writing = new Set<Promise<unknown>>()

  constructor(private readonly options: VersionRecorderOptions) {
    this.now = options.now ?? Date.now
  }

  /** The hook to register with `DocumentTypes.addHook`. */
  readonly hook: DocumentHook = {
    name: 'versions',
    kinds: ['plan'],
    onLoad: (room, id) => this.planLoaded(room, id),
    // The change's author: the person of a client or server change here, or the one another
    // server reported with its change (so each server's versions name everyone who wrote).
    afterChange: (room, id, _kind, change) => this.changed(room, id, change.author),
    afterUnload: (_docName, id, kind) => {
      if (kind !== 'plan') return
      const p = this.pending.get(id)
      if (!p) return
      // The version reads the document before `take` returns; it is stored after the room is gone.
      if (p.dirtySince !== null && p.room) void this.take(p.room.doc, id, 'auto', {})
      this.drop(id)
    },
  }

  /**
   * Takes a version of the plan's live document now (read before this returns), with the people
   * who changed it since the previous version. Automatic and event versions are skipped (null)
   * when a version already holds this content: nothing changed, or another server stored it first.
   */
  checkpoint(
    room: Room,
    planId: string,
    kind: VersionKind,
    by: { name?: string | null; createdBy?: string | null } = {},
  ): Promise<VersionRecord | null> {
    return this.take(room.doc, planId, kind, by)
  }

  /** Before a cohort session ends: an event version of every plan with changes not yet in a version. */
  sessionEnding(session: { title: string }): Promise<void> {
    return this.flushAll(`Session “${session.title}” ended`)
  }

  /**
   * Takes an event version of every plan with changes not yet in a version (each read at once);
   * resolves once they are stored.
   */
  async flushAll(name: string): Promise<void> {
    const taken: Array<Promise<unknown>> = []
    for (const [id, p] of this.pending) {
      if (p.dirtySince !== null && p.room && !p.room.isClosed) taken.push(this.take(p.room.doc, id, 'event', { name }))
    }
    await Promise.all(taken)
  }

  /** Resolves once every version being taken is stored (or has failed): before closing the database. */
  async flush(): Promise<void> {
    while (this.writing.size > 0) await Promise.allSettled([...this.writing])
  }

  /** Keeps track of work on versions until it settles. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.writing.add(work)
    void work.then(
      () => this.writing.delete(work),
      () => this.writing.delete(work),
    )
    return work
  }

  /** Stops the timers (server shutdown; rooms flush through `afterUnload`). */
  close(): void {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer)
  }

  private state(id: string): Pending {
    let p = this.pending.get(id)
    if (!p) {
      p = {
        room: null,
        authors: new Map(),
        changes: 0,
        dirtySince: null,
        timer: null,
        detach: null,
        checkingInterval: false,
      }
      this.pending.set(id, p)
    }
    return p
  }

  private planLoaded(room: Room, id: string): void {
    const p = this.state(id)
    p.detach?.()
    p.room = room
    const { store, logger } = this.options
    const at = this.now()
    // The plan as it loaded, before anyone writes to it, for its first version if it has none
    // yet. Whether it has one is a query: encoding a long plan is not free, so the state is read
    // only if a change comes before the answer (its room answers nobody yet, but on a database
    // across the network clients may be answered first), or once the answer says it is needed.
    let asLoaded: PreparedVersion | null = null
    let answered = false
    const readAsLoaded = () => store.prepare({ planId: id, kind: 'auto', authors: [], doc: room.doc, at })
    const beforeFirstChange = () => {
      room.doc.off('beforeTransaction', beforeFirstChange)
      if (!answered) asLoaded = readAsLoaded()
    }
    room.doc.on('beforeTransaction', beforeFirstChange)
    void this.track(
      store
        .latest(id)
        .then((latest) => {
          answered = true
          room.doc.off('beforeTransaction', beforeFirstChange)
          if (!latest) {
            // Closed before the answer, unchanged: its next load takes the first version.
            if (!asLoaded && room.isClosed) return
            const version = asLoaded ?? readAsLoaded()
            const write = this.options.write ?? store.locked
            // Another server may load the plan at the same moment: stored once (see `addOnce`).
            return write(() => store.addOnceScript(version, { unlessAny: true })).then(({ full }) => {
              if (full) this.historyFull(id, version)
            })
          }
          // Changed since its last version (a crash before the version was taken)? Asked once the
          // room has answered its first clients (comparing snapshots of a long plan is not free); an
          // edit made meanwhile marks the plan changed anyway. Their sync requests came in while the
          // plan loaded and are read in the event loop's next poll phase, which comes after this
          // turn's immediates.
          afterPendingInput(() => {
            if (p.room !== room || room.isClosed) return
            void this.track(
              store.isLatest(id, room.doc).then(
                (same) => {
                  if (!same && p.room === room && !room.isClosed) this.markDirty(room, id, p)
                },
                (error) => logger.error({ err: error, plan: id }, 'could not compare the plan with its last version'),
              ),
            )
          })
        })
        .catch((error) => {
          answered = true
          room.doc.off('beforeTransaction', beforeFirstChange)
          logger.error({ err: error, plan: id }, 'could not store a version')
        }),
    )
    const meta = room.doc.getMap(PlanKeys.meta)
    const onTransaction = (tr: Y.Transaction) => this.beforeEvent(room, id, meta, tr)
    room.doc.on('afterTransaction', onTransaction)
    p.detach = () => {
      room.doc.off('afterTransaction', onTransaction)
      room.doc.off('beforeTransaction', beforeFirstChange)
    }
  }

  /** Versions of the plan as it was before a status change or a server event in this transaction. */
  private beforeEvent(room: Room, id: string, meta: Y.Map<unknown>, tr: Y.Transaction): void {
    const reason = tr.origin instanceof ServerChange ? tr.origin.reason : null
    if (reason === 'restore') return // restore takes its own version first
    let name = reason ? (EVENT_REASONS[reason] ?? null) : null
    const statusTouched = !name && (tr.changed as Map<unknown, Set<string | null>>).get(meta)?.has('status')
    if (statusTouched) {
      const status = new PlanModel(room.doc).status
      name = `Before the status changed to “${labelOf(PLAN_STATUSES, status)}”`
    }
    if (!name) return
    const failed = (error: unknown) =>
      this.options.logger.warn({ err: error, plan: id }, 'could not take a version before an event')
    try {
      const before = docBeforeTransaction(room.doc, tr)
      if (statusTouched && new PlanModel(before).status === new PlanModel(room.doc).status) {
        before.destroy()
        return // set to what it already was
      }
      const eventName = name
      // Reading the version (a snapshot, the whole state encoded, its hash: up to a second for a
      // plan near the size limit) is charged to the person whose change it is, like the copy of
      // the plan above, which their message's time already includes: a member flipping the
      // status back and forth pays for each version out of their share of the server's time.
      const budget = tr.origin instanceof Connection ? tr.origin.workBudget : null
      // Stored once the earlier changes are durable, so their authors are in it (this
      // transaction's change is stored after them). `take` reads `before` at once.
      void this.track(
        room
          .whenDurable()
          .then(() => {
            const started = performance.now()
            const taken = this.take(before, id, 'event', { name: eventName })
            before.destroy()
            budget?.charge(performance.now() - started)
            return taken
          })
          .catch((error) => {
            before.destroy()
            failed(error)
          }),
      )
    } catch (error) {
      failed(error)
    }
  }

  private changed(room: Room, id: string, userId: string | null): void {
    const p = this.state(id)
    p.changes++
    if (userId) p.authors.set(userId, p.changes)
    this.markDirty(room, id, p)
    const since = p.dirtySince ?? this.now()
    if (this.now() - since < this.options.timing.maxIntervalMs || p.checkingInterval) return
    // During continuous editing every server with the plan open reaches this moment within a
    // change or two of the others, each with slightly different content: when another server
    // sharing the database took a version meanwhile, the interval counts from that one instead.
    // The version is read now, as of this change, and stored unless the newest version says so,
    // decided under the lock that makes versions once across servers; one at a time.
    let captured: Captured
    try {
      captured = this.capture(room.doc, id, 'auto', {})
    } catch (error) {
      this.options.logger.error({ err: error, plan: id }, 'could not store a version')
      return
    }
    p.checkingInterval = true
    const unlessNewer = { since, withinMs: this.options.timing.maxIntervalMs }
    void this.track(
      this.store(id, captured, unlessNewer).finally(() => {
        p.checkingInterval = false
      }),
    )
  }

  private markDirty(room: Room, id: string, p: Pending): void {
    p.room = room
    p.dirtySince ??= this.now()
    // Called for every change: the idle timer is re-armed, not replaced.
    if (p.timer) {
      p.timer.refresh()
      return
    }
    p.timer = setTimeout(() => {
      p.timer = null
      const current = p.room
      if (p.dirtySince !== null && current && !current.isClosed) void this.take(current.doc, id, 'auto', {})
    }, this.options.timing.idleMs)
    p.timer.unref()
  }

  /**
   * Reads the version off `doc` at once and stores it. The plan counts as in a version from this
   * moment (its authors and changes so far go into this one); if storing fails, they are put back,
   * so the next version holds them.
   */
  private take(
    doc: Y.Doc,
    id: string,
    kind: VersionKind,
    by: { name?: string | null; createdBy?: string | null },
  ): Promise<VersionRecord | null> {
    let captured: Captured
    try {
      captured = this.capture(doc, id, kind, by)
    } catch (error) {
      this.options.logger.error({ err: error, plan: id }, 'could not store a version')
      if (kind === 'named' || kind === 'before-restore') return Promise.reject(error)
      return Promise.resolve(null)
    }
    return this.track(this.store(id, captured))
  }

  /** A version of `doc` as it is now, with the plan's authors and changes so far. */
  private capture(
    doc: Y.Doc,
    id: string,
    kind: VersionKind,
    by: { name?: string | null; createdBy?: string | null },
  ): Captured {
    const p = this.state(id)
    const version = this.options.store.prepare({
      planId: id,
      kind,
      name: by.name ?? null,
      createdBy: by.createdBy ?? null,
      authors: p.authors.keys(),
      doc,
      at: this.now(),
    })
    return { version, changes: p.changes, authors: new Map(p.authors), dirtySince: p.dirtySince }
  }

  /**
   * Stores a captured version. From now on the plan counts as in a version as of the capture:
   * its authors then are dropped from the next version's unless they wrote again since, and it is
   * no longer changed unless it changed since. If storing fails, they are put back.
   */
  private async store(
    id: string,
    captured: Captured,
    unlessNewer?: { since: number; withinMs: number },
  ): Promise<VersionRecord | null> {
    const p = this.state(id)
    const { store } = this.options
    const { version: prepared } = captured
    const always = prepared.kind === 'named' || prepared.kind === 'before-restore'
    for (const [author, at] of captured.authors) if (p.authors.get(author) === at) p.authors.delete(author)
    if (p.changes === captured.changes) {
      p.dirtySince = null
      if (p.timer) clearTimeout(p.timer)
      p.timer = null
    } else if (p.dirtySince !== null) {
      p.dirtySince = Math.max(p.dirtySince, this.now())
    }
    const putBack = () => {
      if (this.pending.get(id) !== p) return
      for (const [author, at] of captured.authors) if (!p.authors.has(author)) p.authors.set(author, at)
      if (captured.dirtySince !== null && p.room && !p.room.isClosed) {
        p.dirtySince = Math.min(p.dirtySince ?? captured.dirtySince, captured.dirtySince)
        this.markDirty(p.room, id, p)
      }
    }
    try {
      let stored: { version: VersionRecord | null; added: boolean }
      if (unlessNewer) {
        const { newerAt, ...outcome } = await store.addUnlessNewer(prepared, unlessNewer)
        if (newerAt !== undefined) {
          // Another server took this interval's version: the interval counts from that one.
          putBack()
          if (p.dirtySince !== null) p.dirtySince = Math.max(p.dirtySince, newerAt)
          return null
        }
        stored = outcome
      } else {
        // Automatic and event versions: none when a version already holds this content, because
        // nothing changed since it or because another server sharing the database took it first
        // (`addOnce` merges our authors into it). Named versions are stored always: a person asked.
        stored = always ? { version: await store.add(prepared), added: true } : await store.addOnce(prepared)
      }
      const { version, added } = stored
      if (!added || !version) return null
      if (prepared.kind === 'auto') {
        const removed = await store.remove(id, versionsToThin(await store.list(id), this.now(), this.options.retention))
        if (removed > 0) this.options.logger.debug({ plan: id, removed }, 'thinned old automatic versions')
      }
      return version
    } catch (error) {
      if (error instanceof VersionHistoryFull) {
        this.historyFull(id, prepared)
        // Its authors go into the next version; tried again after the next edits (an idle pause,
        // the next interval, the room unloading), not at every change nor on a timer of its own.
        if (this.pending.get(id) === p) {
          for (const [author, at] of captured.authors) if (!p.authors.has(author)) p.authors.set(author, at)
          if (captured.dirtySince !== null) p.dirtySince = Math.max(p.dirtySince ?? 0, this.now())
        }
      } else {
        this.options.logger.error({ err: error, plan: id }, 'could not store a version')
        // Not in a version after all: the next one takes these changes and their authors.
        putBack()
      }
      if (always) throw error
      return null
    }
  }

  /** The plan's history has no room for a version: not stored (named ones are refused to the person). */
  private historyFull(id: string, version: PreparedVersion): void {
    this.options.logger.warn(
      { plan: id, kind: version.kind, maxBytes: this.options.store.maxBytesPerPlan },
      'the plan’s version history is full: version not stored',
    )
  }

  private drop(id: string): void {
    const p = this.pending.get(id)
    if (!p) return
    if (p.timer) clearTimeout(p.timer)
    p.detach?.()
    this.pending.delete(id)
  }
}
