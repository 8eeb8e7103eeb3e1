import { labelOf, PLAN_STATUSES, PlanKeys, PlanModel, type VersionKind } from '@lever/shared'
import * as Y from 'yjs'
import { ServerChange } from '../collab/changeOrigin.ts'
import type { DocumentHook } from '../collab/documentTypes.ts'
import { afterPendingInput } from '../collab/QuietTimers.ts'
import type { Room } from '../collab/Room.ts'
import type { Logger } from '../logger.ts'
import { type DerivedWriter, immediateWrites } from '../storage/derivedWrites.ts'
import { type RetentionPolicy, versionsToThin } from './retention.ts'
import { docBeforeTransaction } from './stateBefore.ts'
import { contentSnapshot, type VersionRecord, type VersionStore } from './VersionStore.ts'

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
  /** People who changed the plan since its last version. */
  authors: Set<string>
  /** When the first change since the last version was made (null: nothing changed). */
  dirtySince: number | null
  timer: NodeJS.Timeout | null
  detach: (() => void) | null
}

export interface VersionRecorderOptions {
  store: VersionStore
  logger: Logger
  timing: VersionTiming
  retention: RetentionPolicy
  now?: () => number
  /** How the first version of a plan is written (along with the document store's next commit, in the server). */
  write?: DerivedWriter
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
      if (p.dirtySince !== null && p.room) this.take(p.room.doc, id, 'auto', {})
      this.drop(id)
    },
  }

  /**
   * Takes a version of the plan's live document now, with the people who changed it since the
   * previous version. Automatic and event versions are skipped (null) when a version already
   * holds this content: nothing changed, or another server stored it first.
   */
  checkpoint(
    room: Room,
    planId: string,
    kind: VersionKind,
    by: { name?: string | null; createdBy?: string | null } = {},
  ): VersionRecord | null {
    return this.take(room.doc, planId, kind, by)
  }

  /** Before a cohort session ends: an event version of every plan with changes not yet in a version. */
  sessionEnding(session: { title: string }): void {
    this.flushAll(`Session “${session.title}” ended`)
  }

  /** Takes an event version of every plan with changes not yet in a version. */
  flushAll(name: string): void {
    for (const [id, p] of this.pending) {
      if (p.dirtySince !== null && p.room && !p.room.isClosed) this.take(p.room.doc, id, 'event', { name })
    }
  }

  /** Stops the timers (server shutdown; rooms flush through `afterUnload`). */
  close(): void {
    for (const p of this.pending.values()) if (p.timer) clearTimeout(p.timer)
  }

  private state(id: string): Pending {
    let p = this.pending.get(id)
    if (!p) {
      p = { room: null, authors: new Set(), dirtySince: null, timer: null, detach: null }
      this.pending.set(id, p)
    }
    return p
  }

  private planLoaded(room: Room, id: string): void {
    const p = this.state(id)
    p.detach?.()
    p.room = room
    const { store } = this.options
    if (!store.latest(id)) {
      // The plan as it loaded, before anyone writes to it (its room answers nobody yet).
      const state = Y.encodeStateAsUpdate(room.doc)
      const snapshot = contentSnapshot(room.doc)
      const at = this.now()
      const write = this.options.write ?? immediateWrites
      // Another server may load the plan at the same moment: stored once (see `addOnce`).
      write(() => {
        if (!store.latest(id)) store.addOnce({ planId: id, kind: 'auto', authors: [], doc: state, snapshot, at })
      }).catch((error) => this.options.logger.error({ err: error, plan: id }, 'could not store a version'))
    } else {
      // Changed since its last version (a crash before the version was taken)? Asked once the room
      // has answered its first clients (comparing snapshots of a long plan is not free); an edit
      // made meanwhile marks the plan changed anyway. Their sync requests came in while the plan
      // loaded and are read in the event loop's next poll phase, which comes after this turn's
      // immediates.
      afterPendingInput(() => {
        if (p.room !== room || room.isClosed) return
        try {
          if (!store.isLatest(id, room.doc)) this.markDirty(room, id, p)
        } catch (error) {
          this.options.logger.error({ err: error, plan: id }, 'could not compare the plan with its last version')
        }
      })
    }
    const meta = room.doc.getMap(PlanKeys.meta)
    const onTransaction = (tr: Y.Transaction) => this.beforeEvent(room, id, meta, tr)
    room.doc.on('afterTransaction', onTransaction)
    p.detach = () => room.doc.off('afterTransaction', onTransaction)
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
      // Stored once the earlier changes are durable, so their authors are in it (this
      // transaction's change is stored after them).
      void room
        .whenDurable()
        .then(() => this.take(before, id, 'event', { name: eventName }))
        .catch(failed)
        .finally(() => before.destroy())
    } catch (error) {
      failed(error)
    }
  }

  private changed(room: Room, id: string, userId: string | null): void {
    const p = this.state(id)
    if (userId) p.authors.add(userId)
    this.markDirty(room, id, p)
    const since = p.dirtySince ?? this.now()
    if (this.now() - since < this.options.timing.maxIntervalMs) return
    // During continuous editing every server with the plan open reaches this moment within a
    // change or two of the others, each with slightly different content: when another server
    // sharing the database took a version meanwhile, the interval counts from that one instead.
    const latest = this.options.store.latest(id)
    if (latest && latest.createdAt > since) {
      p.dirtySince = latest.createdAt
      if (this.now() - latest.createdAt < this.options.timing.maxIntervalMs) return
    }
    this.take(room.doc, id, 'auto', {})
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
      if (p.dirtySince !== null && current && !current.isClosed) this.take(current.doc, id, 'auto', {})
    }, this.options.timing.idleMs)
    p.timer.unref()
  }

  private take(
    doc: Y.Doc,
    id: string,
    kind: VersionKind,
    by: { name?: string | null; createdBy?: string | null },
  ): VersionRecord | null {
    const p = this.state(id)
    const { store } = this.options
    const always = kind === 'named' || kind === 'before-restore'
    try {
      const input = {
        planId: id,
        kind,
        name: by.name ?? null,
        createdBy: by.createdBy ?? null,
        authors: p.authors,
        doc,
        at: this.now(),
      }
      // Automatic and event versions: none when a version already holds this content, because
      // nothing changed since it or because another server sharing the database took it first
      // (`addOnce` merges our authors into it). Named versions are stored always: a person asked.
      const { version, added } = always ? { version: store.add(input), added: true } : store.addOnce(input)
      p.authors = new Set()
      p.dirtySince = null
      if (p.timer) clearTimeout(p.timer)
      p.timer = null
      if (!added) return null
      if (kind === 'auto') {
        const removed = store.remove(id, versionsToThin(store.list(id), this.now(), this.options.retention))
        if (removed > 0) this.options.logger.debug({ plan: id, removed }, 'thinned old automatic versions')
      }
      return version
    } catch (error) {
      this.options.logger.error({ err: error, plan: id }, 'could not store a version')
      if (always) throw error
      return null
    }
  }

  private drop(id: string): void {
    const p = this.pending.get(id)
    if (!p) return
    if (p.timer) clearTimeout(p.timer)
    p.detach?.()
    this.pending.delete(id)
  }
}
