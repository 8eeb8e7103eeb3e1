import { DocKind, docNameFor, periodOf, progressInputOf, todayIso } from '@lever/shared'
import type * as Y from 'yjs'
import type { DocumentHook } from '../collab/documentTypes.ts'
import { QuietTimers } from '../collab/QuietTimers.ts'
import type { Room } from '../collab/Room.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { ScriptRunner } from '../db/queryScripts.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { loadStoredDoc } from '../storage/storedDoc.ts'
import type { PlanProjection } from './PlanProjection.ts'
import type { ReportingCalendarService } from './ReportingCalendarService.ts'

/** How stale a plan's figures may get, by default, while people change it without a pause. */
const FIGURES_MAX_WAIT_MS = 5_000

export interface ProjectionRefresherOptions {
  projection: PlanProjection
  calendar: ReportingCalendarService
  store: DocStore
  rooms: RoomManager
  logger: Logger
  /** How long a plan must be quiet before its figures are recomputed (changes in between share one refresh). */
  debounceMs: number
  /** How stale the figures may get while people change the plan without a pause (default 5 s). */
  maxWaitMs?: number
  /** Runs the scripts that store the figures (along with the document store's next commit, in the server). */
  write: ScriptRunner
}

/**
 * Keeps `plan_figures` up to date: a document hook recomputes a plan's figures from its open
 * document shortly after changes (debounced), and plans that have no figures (never opened
 * since the projection existed) are computed from their stored log, one at a time, into a
 * document dropped right after.
 *
 * Several servers with the same plan open (sharing one database) each compute its figures: the
 * same row is written twice, which is harmless, since it is one upsert per plan
 * (`PlanProjection.write`) of figures computed from the same content (only `computed_at`
 * differs). A server a change behind may write older figures after the other's; the change
 * reaches it moments later and its own refresh writes them again.
 */
export class ProjectionRefresher {
  /** Plans with a refresh owed, by id. */
  private readonly pending: QuietTimers
  /** The room each owed refresh reads, while it is open. */
  private readonly rooms = new Map<string, Room>()
  private readonly computing = new Map<string, Promise<void>>()
  private closed = false
  private day = todayIso()
  private dayTimer: NodeJS.Timeout | null = null

  constructor(private readonly options: ProjectionRefresherOptions) {
    this.pending = new QuietTimers({
      quietMs: options.debounceMs,
      maxWaitMs: Math.max(options.debounceMs, options.maxWaitMs ?? FIGURES_MAX_WAIT_MS),
      run: (id) => {
        const room = this.rooms.get(id)
        this.rooms.delete(id)
        if (!room || room.isClosed) void this.refreshFromStore(id)
        else void this.refreshFromDoc(id, room.doc)
      },
    })
  }

  /** The hook to register with DocumentTypes. */
  readonly hook: DocumentHook = {
    name: 'plan-figures',
    kinds: [DocKind.Plan],
    onLoad: (room, id) => this.schedule(room, id),
    afterChange: (room, id) => this.schedule(room, id),
    afterUnload: (_docName, id) => {
      // The room is gone: a refresh still owed is made from the stored log.
      if (this.cancel(id)) void this.refreshFromStore(id)
    },
  }

  private schedule(room: Room, id: string): void {
    if (this.closed) return
    this.rooms.set(id, room)
    this.pending.touch(id)
  }

  private cancel(id: string): boolean {
    this.rooms.delete(id)
    return this.pending.cancel(id)
  }

  /** Reads the plan from `doc` now and writes its figures (resolves once they are stored). */
  private async refreshFromDoc(id: string, doc: Y.Doc): Promise<void> {
    try {
      const today = todayIso()
      const period = periodOf(today, this.options.calendar.get().frequency)
      // Read from the document now (the caller may drop it as soon as this returns a promise).
      const script = this.options.projection.write(id, progressInputOf(doc), today, period)
      await this.options.write(script)
    } catch (error) {
      this.options.logger.warn({ err: error, plan: id }, 'could not compute plan figures')
    }
  }

  /** Computes a plan's figures from its open room if it has one, else from its stored log. */
  refreshFromStore(id: string): Promise<void> {
    const running = this.computing.get(id)
    if (running) return running
    const work = (async () => {
      const docName = docNameFor(DocKind.Plan, id)
      const open = this.options.rooms.peek(docName)
      if (open) {
        await open.loaded
        if (!open.isClosed) {
          await this.refreshFromDoc(id, open.doc)
          return
        }
      }
      const doc = await loadStoredDoc(this.options.store, docName)
      let written: Promise<void>
      try {
        if (this.closed) return
        // The plan is read from the document at once; only the write waits.
        written = this.refreshFromDoc(id, doc)
      } finally {
        doc.destroy()
      }
      await written
    })()
      .catch((error) => this.options.logger.warn({ err: error, plan: id }, 'could not compute plan figures'))
      .finally(() => this.computing.delete(id))
    this.computing.set(id, work)
    return work
  }

  /** Computes the figures of these plans (one document in memory at a time). */
  async ensure(planIds: readonly string[]): Promise<void> {
    for (const id of planIds) {
      if (this.closed) return
      await this.refreshFromStore(id)
    }
  }

  /** Computes every plan that has no figures yet; run once at start, in the background. */
  async backfill(): Promise<number> {
    const missing = await this.options.projection.missing()
    if (missing.length > 0) this.options.logger.info({ count: missing.length }, 'computing plan figures')
    await this.ensure(missing)
    return missing.length
  }

  /** Recomputes what is still owed now, and waits for refreshes under way (tests and shutdown). */
  async flush(): Promise<void> {
    const owed = this.pending.keys()
    for (const id of owed) this.cancel(id)
    await this.ensure(owed)
    await Promise.all([...this.computing.values()])
  }

  /**
   * Some figures depend on the day (warnings about deadlines, overdue milestones are computed when
   * asked): once a day has passed, every plan's figures are recomputed in the background.
   */
  startDailyRefresh(checkEveryMs = 60_000): void {
    this.dayTimer = setInterval(() => {
      const today = todayIso()
      if (today === this.day) return
      this.day = today
      void this.options.projection
        .projected()
        .then((ids) => this.ensure(ids))
        .catch((error) => this.options.logger.warn({ err: error }, 'could not recompute plan figures'))
    }, checkEveryMs)
    this.dayTimer.unref()
  }

  close(): void {
    if (this.dayTimer) clearInterval(this.dayTimer)
    this.closed = true
    this.pending.clear()
    this.rooms.clear()
  }
}
