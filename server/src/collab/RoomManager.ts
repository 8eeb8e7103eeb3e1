import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import type { ClientRegistry } from './ClientRegistry.ts'
import type { CollabMeter } from './CollabMeter.ts'
import type { ConnectionLimitsConfig } from './ConnectionLimits.ts'
import type { DurableChange } from './changeOrigin.ts'
import { type CompactionPolicy, Room } from './Room.ts'
import type { UpdatePolicy } from './updatePolicy.ts'
import type { WorkBudgets } from './WorkBudgets.ts'

export interface RoomManagerOptions {
  store: DocStore
  logger: Logger
  compaction: CompactionPolicy
  /** The update policy of rooms whose document kind has none of its own (see `policyFor`). */
  updatePolicy: UpdatePolicy
  /** The update policy of a document: its kind's write rules. */
  policyFor?(docName: string): UpdatePolicy
  /** Who writes with which Yjs client id, per document (its cache is dropped when a room unloads). */
  clients?: ClientRegistry
  /** Token buckets for every connection. */
  limits?: ConnectionLimitsConfig
  /** Each person's share of the server's time, across rooms. */
  workBudgets?: WorkBudgets
  /** A document's stored size past which updates that add to it are refused. */
  maxDocumentBytes?: number
  /** Counts refusals for monitoring. */
  meter?: CollabMeter
  /** How long an empty room stays in memory before it is unloaded. */
  unloadGraceMs: number
  onDurableChange?(room: Room, change: DurableChange): void
  onLoaded?(room: Room): void
  /** After a room has closed for good (unloaded, failed, shut down) and been forgotten. */
  onUnloaded?(docName: string): void
}

/** Keeps one Room per document name in memory while it has connections, and a little after. */
export class RoomManager {
  private readonly rooms = new Map<string, Room>()
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>()
  private readonly unloading = new Set<Promise<void>>()
  /** Per document, the unload under way: a new room of it loads once that one's writes are done. */
  private readonly unloadingOf = new Map<string, Promise<void>>()

  constructor(private readonly options: RoomManagerOptions) {}

  /** The loaded room of a document, creating (and starting to load) it when needed. */
  get(docName: string): Room {
    const existing = this.rooms.get(docName)
    if (existing && !existing.isClosed) {
      this.cancelUnload(existing)
      return existing
    }
    const room = new Room({
      docName,
      store: this.options.store,
      logger: this.options.logger,
      compaction: this.options.compaction,
      updatePolicy: this.options.policyFor?.(docName) ?? this.options.updatePolicy,
      clients: this.options.clients,
      limits: this.options.limits,
      workBudgets: this.options.workBudgets,
      maxDocumentBytes: this.options.maxDocumentBytes,
      meter: this.options.meter,
      onEmpty: (r) => this.scheduleUnload(r),
      onClosed: (r) => this.forget(r),
      onDurableChange: this.options.onDurableChange,
      onLoaded: this.options.onLoaded,
      afterPrevious: this.unloadingOf.get(docName),
    })
    this.rooms.set(docName, room)
    return room
  }

  /**
   * Runs server-side work on a document's room (loading it if needed, unloading it again later if
   * nobody is connected), and resolves once the work's changes are durable. Asynchronous work is
   * awaited before the room may unload.
   */
  async withRoom<T>(docName: string, work: (room: Room) => T | Promise<T>): Promise<T> {
    const room = this.get(docName)
    await room.loaded
    try {
      const result = await work(room)
      await room.whenDurable()
      return result
    } finally {
      if (room.connectionCount === 0 && !room.isClosed) this.scheduleUnload(room)
    }
  }

  /** The room of a document if it is in memory. */
  peek(docName: string): Room | undefined {
    const room = this.rooms.get(docName)
    return room && !room.isClosed ? room : undefined
  }

  get size(): number {
    return this.rooms.size
  }

  /** The rooms in memory. */
  all(): Room[] {
    return [...this.rooms.values()].filter((r) => !r.isClosed)
  }

  names(): string[] {
    return [...this.rooms.keys()]
  }

  /** Closes every room (connections get `code`) and waits for their writes. */
  async closeAll(code: number, reason: string): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer)
    this.unloadTimers.clear()
    await Promise.all([...this.rooms.values()].map((room) => room.close(code, reason)))
    await Promise.all(this.unloading)
  }

  private scheduleUnload(room: Room): void {
    this.cancelUnload(room)
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room)
      if (room.connectionCount > 0 || room.isClosed) return
      const done = room.unloadIfIdle().then(
        (unloaded) => {
          // Still loading: try again after another grace period.
          if (!unloaded && room.connectionCount === 0 && !room.isClosed) this.scheduleUnload(room)
        },
        (error) => {
          this.options.logger.error({ err: error, doc: room.name }, 'unloading a room failed')
        },
      )
      this.unloading.add(done)
      this.unloadingOf.set(room.name, done)
      void done.finally(() => {
        this.unloading.delete(done)
        if (this.unloadingOf.get(room.name) === done) this.unloadingOf.delete(room.name)
      })
    }, this.options.unloadGraceMs)
    timer.unref()
    this.unloadTimers.set(room, timer)
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloadTimers.get(room)
    if (timer) {
      clearTimeout(timer)
      this.unloadTimers.delete(room)
    }
  }

  private forget(room: Room): void {
    this.cancelUnload(room)
    if (this.rooms.get(room.name) === room) this.rooms.delete(room.name)
    if (!this.rooms.has(room.name)) this.options.clients?.forget(room.name)
    this.options.onUnloaded?.(room.name)
  }
}
