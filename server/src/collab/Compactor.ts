import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'

/** The least time between merges asked for by `compactUnmerged`. */
const FORCED_INTERVAL_MS = 60_000

export interface CompactionPolicy {
  /** Compact once the log holds more rows than this. */
  maxRows: number
  /** ...or more bytes than this (and more than twice the last merged size). */
  maxBytes: number
}

export interface CompactorOptions {
  docName: string
  doc: Y.Doc
  store: DocStore
  logger: Logger
  policy: CompactionPolicy
  /** Resolves once every change issued so far is durable. */
  whenDurable(): Promise<void>
  /** True while the room is open and loaded. */
  isReady(): boolean
}

/**
 * Keeps a document's stored log short: it tracks the log's rows and bytes as the room appends,
 * and once they pass the policy merges the log into one row (the store inserts the merged row
 * and deletes what it replaced in one transaction).
 */
export class Compactor {
  private rows = 0
  private bytes = 0
  /** What the document grew by beyond its log since the last merge (splits, see splitGrowth.ts). */
  private unlogged = 0
  private lastMergedBytes = 0
  private lastSeq = 0
  private running = false
  /** The merge under way, if any. */
  private merging: Promise<void> | null = null
  private lastForced = Number.NEGATIVE_INFINITY

  constructor(private readonly options: CompactorOptions) {}

  /** The log as loaded. */
  loaded(stats: { rows: number; bytes: number; lastSeq: number }): void {
    this.rows = stats.rows
    this.bytes = stats.bytes
    this.lastSeq = stats.lastSeq
  }

  /** An append was issued. */
  appended(bytes: number): void {
    this.rows++
    this.bytes += bytes
  }

  /**
   * The document grew by up to `bytes` more than the update that made it (its splits): the log
   * no longer measures it from above until the next merge encodes the document itself.
   */
  grew(bytes: number): void {
    this.unlogged += bytes
  }

  /** Growth not yet in the log: a merge is owed before the document leaves memory. */
  get owesMerge(): boolean {
    return this.unlogged > 0 && this.rows > 1
  }

  /** An append is durable with this sequence number; compacts later if the log grew too long. */
  durable(seq: number): void {
    this.lastSeq = Math.max(this.lastSeq, seq)
    this.maybeCompact()
  }

  /** Compacts later if the log is longer than the policy allows (e.g. as loaded). */
  check(): void {
    this.maybeCompact()
  }

  /**
   * Merges the log soon if it holds more than one row, however short it is, so that its size
   * is the document's again (a document near its size limit); at most once a minute, as the
   * writers of a full document keep asking.
   */
  compactUnmerged(): void {
    const now = Date.now()
    if (now - this.lastForced < FORCED_INTERVAL_MS) return
    if (this.compactNow()) this.lastForced = now
  }

  /** Merges the log soon if it holds more than one row; false when it does not or a merge runs. */
  compactNow(): boolean {
    if (this.running || !this.options.isReady() || this.rows <= 1) return false
    this.schedule()
    return true
  }

  /** A merge is scheduled or under way. */
  get busy(): boolean {
    return this.running
  }

  /**
   * Rows and bytes of the stored log, as last known; the bytes include the growth the log does
   * not hold, so that they measure the document from above.
   */
  get stats(): { rows: number; bytes: number } {
    return { rows: this.rows, bytes: this.bytes + this.unlogged }
  }

  private maybeCompact(): void {
    if (this.running || !this.options.isReady() || this.rows <= 1) return
    const { maxRows, maxBytes } = this.options.policy
    const tooManyRows = this.rows > maxRows
    const bytes = this.bytes + this.unlogged
    const tooManyBytes = bytes > maxBytes && bytes > 2 * this.lastMergedBytes
    if (!tooManyRows && !tooManyBytes) return
    this.schedule()
  }

  private schedule(): void {
    this.running = true
    setImmediate(() => {
      void this.compact().finally(() => {
        this.running = false
      })
    })
  }

  /**
   * Merges the stored log into one row, after any merge under way (two at once would each insert
   * a merged row). `closing`: the room is closing (no longer ready) and the merge is the last thing
   * it does with its document.
   */
  async compact(closing = false): Promise<void> {
    while (this.merging) await this.merging
    if (closing && !this.owesMerge) return
    const merge = this.merge(closing)
    this.merging = merge
    try {
      await merge
    } finally {
      this.merging = null
    }
  }

  private async merge(closing: boolean): Promise<void> {
    const ready = () => closing || this.options.isReady()
    if (!ready()) return
    await this.options.whenDurable()
    if (!ready()) return
    // Every durable row was applied to this document before it was stored, so the document's
    // state contains everything up to lastSeq.
    const grown = this.unlogged
    const merged = Y.encodeStateAsUpdate(this.options.doc)
    const throughSeq = this.lastSeq
    try {
      const result = await this.options.store.compact(this.options.docName, merged, throughSeq)
      this.options.logger.debug({ before: this.rows, after: result.rows, bytes: result.bytes }, 'compacted')
      this.rows = result.rows
      this.bytes = result.bytes
      this.unlogged -= grown
      this.lastMergedBytes = merged.byteLength
      this.lastSeq = Math.max(this.lastSeq, result.seq)
    } catch (error) {
      this.options.logger.error({ err: error }, 'compaction failed; the log is unchanged')
    }
  }
}
