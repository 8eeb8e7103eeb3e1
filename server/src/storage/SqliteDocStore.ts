import fs from 'node:fs'
import type { Database, Statement } from 'better-sqlite3'
import { noTransactionOpen } from '../db/queryScripts.ts'
import type { CompactResult, DocStore, LoggedUpdate, StoredDoc } from './DocStore.ts'

interface PendingAppend {
  docName: string
  update: Uint8Array
  resolve(seq: number): void
  reject(error: unknown): void
}

/** Writes that ride along with the store's next group commit (see `SqliteDocStore.withNextCommit`). */
export interface CommitRider {
  /**
   * Runs `write` inside the next group commit (scheduling one if none is): its rows become durable
   * in the same transaction as the appends made in the same tick. `settled` is called once that
   * commit is durable, or with the error if it failed (`write` threw, or anything else did): then
   * nothing of it is stored, its appends are rejected, and nothing is retried.
   */
  withNextCommit(write: () => void, settled?: (error?: unknown) => void): void
}

interface Rider {
  write(): void
  settled?: (error?: unknown) => void
}

/** A committed group waiting for the write-ahead log to reach the disk. */
interface Committed {
  batch: PendingAppend[]
  seqs: number[]
  riders: Rider[]
}

/** Write-ahead log bytes after which the store checkpoints it into the database (SQLite's default: 1000 pages). */
const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024

/**
 * A commit waits for the disk on the event loop while the disk's recent commits took less than
 * this (ms): handing the fsync to the thread pool and back costs more than such a wait. Measured
 * on a 2-core virtual machine whose commits take 0.4 to 2 ms: with the hand-off (the threshold at
 * 1 ms) the server used a third more CPU than waiting (38 against 29 % of a core for 200 editors
 * typing), and under a flood of updates it fell behind where the waiting server kept up (p99 over
 * 100 ms at 8,000 updates/s), because each sync woke a pool thread and the event loop ran more,
 * smaller commits. Slower disks than this (network storage) get the thread pool, which keeps the
 * event loop free while they sync.
 */
const ON_LOOP_SYNC_BELOW_MS = 5
/** Weight of the newest sync in the running estimate of the disk's sync time. */
const SYNC_ESTIMATE_WEIGHT = 0.2

/**
 * DocStore on SQLite (better-sqlite3, WAL). Appends are group-committed: every append made
 * before the event loop's next check phase goes into one transaction, and each caller's promise
 * resolves once that transaction has committed. Other rows that must be durable together with an
 * update (who writes with which client id) ride along in the same transaction (`withNextCommit`),
 * so they cost no fsync of their own.
 *
 * Off the event loop when the disk is slow: on a file database in WAL mode with `synchronous`
 * FULL or EXTRA, a group commit writes its frames to the write-ahead log without syncing (SQLite's
 * `synchronous=OFF` for that transaction only), and the store then fsyncs the log on libuv's
 * thread pool; the appends resolve (and their changes reach anyone) only once that fsync has
 * returned, exactly as durable as a FULL commit, but the event loop goes on with other rooms and
 * messages meanwhile instead of waiting for the disk. Commits made while an fsync runs share the
 * next one. Because SQLite would not sync a checkpoint made inside such a commit, automatic
 * checkpoints are off during it too, and the store checkpoints the log itself, with the
 * connection's own (FULL) setting, once it has grown by a few megabytes of updates (other
 * writers' commits checkpoint as usual).
 *
 * On the event loop when the disk is fast: while the disk's recent syncs took under a few
 * milliseconds (`ON_LOOP_SYNC_BELOW_MS`; a running estimate, from both kinds of commit) and no sync is under way, a commit
 * is an ordinary FULL commit, synced before it returns. Waiting that long costs less than the
 * thread hand-off, and the commits of the messages that arrive meanwhile are grouped all the same.
 */
export class SqliteDocStore implements DocStore, CommitRider {
  /**
   * Counters for tests and benchmarks: appends stored, transactions that stored them, and how many
   * of those waited for the disk on the event loop.
   */
  readonly stats = { appends: 0, commits: 0, syncedOnLoop: 0 }
  private pending: PendingAppend[] = []
  private riders: Rider[] = []
  private scheduled = false
  private closed = false
  private readonly insert: Statement<[string, Uint8Array, number]>
  private readonly selectLog: Statement<[string]>
  private readonly selectLogPacked: Statement<[string]>
  private readonly selectAfter: Statement<[string, number]>
  private readonly deleteThrough: Statement<[string, number]>
  private readonly deleteDoc: Statement<[string]>
  private readonly selectNames: Statement<[]>
  private readonly selectStats: Statement<[string]>
  /** Set when commits are synced off the event loop (see the class comment). */
  private readonly wal: {
    path: string
    /** For one group commit: no sync, and no automatic checkpoint (SQLite would not sync it). */
    unsynced: () => void
    /** Back to the connection's own settings. */
    synced: () => void
    fd: number | null
    ino: number
    syncing: boolean
    waiting: Committed[]
    idle: Array<() => void>
    bytesSinceCheckpoint: number
    /** Running estimate of how long the disk takes to sync a commit (ms); starts slow. */
    syncMs: number
    /** When the fsync under way started (performance.now()). */
    syncStarted: number
  } | null = null

  constructor(
    private readonly db: Database,
    private readonly options: {
      onCommit?(groupSize: number): void
      /** Commits sync on the event loop while the disk's syncs take less than this (ms). */
      syncOnLoopBelowMs?: number
    } = {},
  ) {
    this.insert = db.prepare('INSERT INTO doc_updates (doc_name, data, created_at) VALUES (?, ?, ?)')
    this.selectLog = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq')
    // The whole log in one row (see `load`): every update's bytes end to end, and the rows'
    // sequence numbers and lengths in the order the bytes were joined, to cut them apart and to
    // check that order.
    this.selectLogPacked = db.prepare(
      `SELECT count(*) AS rows,
              CAST(group_concat(CAST(data AS TEXT), '') AS BLOB) AS data,
              group_concat(seq || '.' || length(data), ',') AS layout
         FROM doc_updates INDEXED BY doc_updates_by_doc WHERE doc_name = ?`,
    )
    this.selectAfter = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq')
    this.deleteThrough = db.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?')
    this.deleteDoc = db.prepare('DELETE FROM doc_updates WHERE doc_name = ?')
    this.selectNames = db.prepare('SELECT DISTINCT doc_name FROM doc_updates ORDER BY doc_name')
    this.selectStats = db.prepare(
      'SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc_name = ?',
    )
    const synchronous = Number(db.pragma('synchronous', { simple: true }))
    const journal = String(db.pragma('journal_mode', { simple: true })).toLowerCase()
    if (!db.memory && journal === 'wal' && synchronous >= 2) {
      const autocheckpoint = Number(db.pragma('wal_autocheckpoint', { simple: true }))
      const unsynced = [db.prepare('PRAGMA synchronous = OFF'), db.prepare('PRAGMA wal_autocheckpoint = 0')]
      const synced = [
        db.prepare(`PRAGMA synchronous = ${synchronous}`),
        db.prepare(`PRAGMA wal_autocheckpoint = ${autocheckpoint}`),
      ]
      this.wal = {
        path: `${db.name}-wal`,
        unsynced: () => {
          for (const s of unsynced) s.run()
        },
        synced: () => {
          for (const s of synced) s.run()
        },
        fd: null,
        ino: -1,
        syncing: false,
        waiting: [],
        idle: [],
        bytesSinceCheckpoint: 0,
        syncMs: ON_LOOP_SYNC_BELOW_MS,
        syncStarted: 0,
      }
    }
  }

  async load(docName: string): Promise<StoredDoc> {
    this.assertOpen()
    await noTransactionOpen(this.db)
    this.assertOpen()
    this.commitPendingOf(docName)
    // Nobody may be sent what is not on disk yet.
    await this.synced()
    return this.loadPacked(docName) ?? this.loadRows(docName)
  }

  /**
   * The log read as one joined value and cut into views of it. A long log read row by row costs a
   * buffer (an array buffer of its own) and an object per row: for 100,000 rows, 0.3 s of reading
   * and as much again of garbage collection. Joined in SQLite it is one allocation. Returns null
   * (the caller reads row by row) if the join is not in sequence order or cannot be cut as stated,
   * or SQLite refuses it (a log larger than its longest value).
   */
  private loadPacked(docName: string): StoredDoc | null {
    let packed: { rows: number; data: Buffer | null; layout: string | null }
    try {
      packed = this.selectLogPacked.get(docName) as typeof packed
    } catch {
      return null
    }
    if (packed.rows === 0) return { updates: [], lastSeq: 0, rows: 0, bytes: 0 }
    if (!packed.data || !packed.layout) return null
    const layout = parseLogLayout(packed.layout, packed.rows)
    if (!layout || layout.bytes !== packed.data.byteLength) return null
    const { buffer, byteOffset } = packed.data
    const updates: Uint8Array[] = new Array(packed.rows)
    let offset = byteOffset
    for (let i = 0; i < packed.rows; i++) {
      const length = layout.lengths[i] as number
      updates[i] = new Uint8Array(buffer, offset, length)
      offset += length
    }
    return { updates, lastSeq: layout.lastSeq, rows: packed.rows, bytes: layout.bytes }
  }

  private loadRows(docName: string): StoredDoc {
    const rows = this.selectLog.all(docName) as Array<{ seq: number; data: Buffer }>
    let bytes = 0
    const updates = rows.map((r) => {
      bytes += r.data.byteLength
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)
    })
    return { updates, lastSeq: rows.at(-1)?.seq ?? 0, rows: rows.length, bytes }
  }

  async updatesAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]> {
    this.assertOpen()
    await noTransactionOpen(this.db)
    this.assertOpen()
    this.commitPendingOf(docName)
    const rows = this.selectAfter.all(docName, afterSeq) as Array<{ seq: number; data: Buffer }>
    return rows.map((r) => ({
      seq: r.seq,
      update: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength),
    }))
  }

  append(docName: string, update: Uint8Array): Promise<number> {
    if (this.closed) return Promise.reject(new Error('SqliteDocStore is closed'))
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ docName, update, resolve, reject })
      this.schedule()
    })
  }

  withNextCommit(write: () => void, settled?: (error?: unknown) => void): void {
    if (this.closed) throw new Error('SqliteDocStore is closed')
    this.riders.push({ write, settled })
    this.schedule()
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => this.commitPending())
  }

  async compact(docName: string, merged: Uint8Array, throughSeq: number): Promise<CompactResult> {
    this.assertOpen()
    await noTransactionOpen(this.db)
    this.assertOpen()
    this.commitPending()
    const run = this.db.transaction(() => {
      const seq = Number(this.insert.run(docName, merged, Date.now()).lastInsertRowid)
      this.deleteThrough.run(docName, throughSeq)
      const stats = this.selectStats.get(docName) as { rows: number; bytes: number }
      return { seq, rows: stats.rows, bytes: stats.bytes }
    })
    return run()
  }

  async delete(docName: string): Promise<void> {
    this.assertOpen()
    await noTransactionOpen(this.db)
    this.assertOpen()
    this.commitPending()
    this.deleteDoc.run(docName)
  }

  async list(): Promise<string[]> {
    this.assertOpen()
    await noTransactionOpen(this.db)
    this.assertOpen()
    this.commitPending()
    return (this.selectNames.all() as Array<{ doc_name: string }>).map((r) => r.doc_name)
  }

  async flush(): Promise<void> {
    await noTransactionOpen(this.db)
    this.commitPending()
    await this.synced()
  }

  /** Commits pending appends; the database itself belongs to whoever opened it. */
  async close(): Promise<void> {
    if (this.closed) return
    await noTransactionOpen(this.db)
    if (this.closed) return
    this.commitPending()
    this.closed = true
    await this.synced()
    if (this.wal?.fd != null) fs.closeSync(this.wal.fd)
  }

  /**
   * Commits now, out of turn, only when an append of `docName` is pending: a read must see its
   * document's appends, but the other documents' appends wait for the group commit, which they
   * would otherwise leave early in a commit (and a sync) of their own. Servers read stored
   * documents often (the thread index and search read plans whose rooms are not loaded).
   */
  private commitPendingOf(docName: string): void {
    if (this.pending.some((p) => p.docName === docName)) this.commitPending()
  }

  /** Writes every pending append in one transaction and settles their promises once it is durable. */
  private commitPending(): void {
    this.scheduled = false
    // Never inside a transaction of the query layer (open across its microtasks, on this same
    // connection): the commit would nest in it as a savepoint and go if it rolled back.
    if (this.db.inTransaction) {
      if (this.pending.length > 0 || this.riders.length > 0) this.schedule()
      return
    }
    const batch = this.pending
    const riders = this.riders
    if (batch.length === 0 && riders.length === 0) return
    this.pending = []
    this.riders = []
    const now = Date.now()
    const wal = this.wal
    let seqs: number[]
    let onLoop = false
    try {
      const run = this.db.transaction(() => {
        for (const rider of riders) rider.write()
        return batch.map((p) => Number(this.insert.run(p.docName, p.update, now).lastInsertRowid))
      })
      const onLoopBelow = this.options.syncOnLoopBelowMs ?? ON_LOOP_SYNC_BELOW_MS
      if (wal && (wal.syncing || wal.waiting.length > 0 || !(wal.syncMs < onLoopBelow))) {
        wal.unsynced()
        try {
          seqs = run()
        } finally {
          wal.synced()
        }
      } else if (wal) {
        // A fast disk and nothing in flight: an ordinary FULL commit, synced before it returns.
        const started = performance.now()
        seqs = run()
        this.estimateSync(wal, performance.now() - started)
        onLoop = true
        this.stats.syncedOnLoop++
      } else {
        seqs = run()
      }
    } catch (error) {
      for (const p of batch) p.reject(error)
      for (const rider of riders) rider.settled?.(error)
      return
    }
    this.stats.commits++
    this.stats.appends += batch.length
    this.options.onCommit?.(batch.length)
    if (!wal || onLoop) {
      this.settle({ batch, seqs, riders })
      return
    }
    for (const p of batch) wal.bytesSinceCheckpoint += p.update.byteLength
    wal.waiting.push({ batch, seqs, riders })
    if (!wal.syncing) this.syncWal()
  }

  private settle({ batch, seqs, riders }: Committed, error?: unknown): void {
    if (error !== undefined) {
      for (const p of batch) p.reject(error)
      for (const rider of riders) rider.settled?.(error)
      return
    }
    for (const [i, p] of batch.entries()) p.resolve(seqs[i] as number)
    for (const rider of riders) rider.settled?.()
  }

  /** Fsyncs the write-ahead log on the thread pool, then settles every commit made before. */
  private syncWal(): void {
    const wal = this.wal
    if (!wal) return
    const group = wal.waiting
    wal.waiting = []
    wal.syncing = true
    let fd: number
    try {
      // The log's file is the one SQLite writes now (it is only ever recreated when every
      // connection has closed, but a stale descriptor would sync nothing: check).
      const ino = fs.statSync(wal.path).ino
      if (wal.fd === null || ino !== wal.ino) {
        if (wal.fd !== null) fs.closeSync(wal.fd)
        wal.fd = fs.openSync(wal.path, 'r')
        wal.ino = ino
      }
      fd = wal.fd
    } catch (error) {
      this.afterSync(group, error)
      return
    }
    wal.syncStarted = performance.now()
    fs.fdatasync(fd, (error) => this.afterSync(group, error ?? undefined))
  }

  /** Folds one sync's duration into the running estimate that picks where commits sync. */
  private estimateSync(wal: NonNullable<typeof this.wal>, ms: number): void {
    wal.syncMs += SYNC_ESTIMATE_WEIGHT * (ms - wal.syncMs)
  }

  private afterSync(group: Committed[], error?: unknown): void {
    const wal = this.wal as NonNullable<typeof this.wal>
    wal.syncing = false
    // The time includes the wait for a thread-pool thread: a busy pool counts as a slow disk.
    if (error === undefined) this.estimateSync(wal, performance.now() - wal.syncStarted)
    for (const committed of group) this.settle(committed, error)
    if (wal.waiting.length > 0) {
      this.syncWal()
      return
    }
    if (wal.bytesSinceCheckpoint >= CHECKPOINT_AFTER_BYTES && !this.closed) {
      wal.bytesSinceCheckpoint = 0
      try {
        this.db.pragma('wal_checkpoint(PASSIVE)')
      } catch {
        // A busy or failed checkpoint is retried after the next few commits; the log stays valid.
      }
    }
    for (const resolve of wal.idle.splice(0)) resolve()
  }

  /** Resolves once every commit made so far is on disk. */
  private synced(): Promise<void> {
    const wal = this.wal
    if (!wal || (!wal.syncing && wal.waiting.length === 0)) return Promise.resolve()
    return new Promise((resolve) => wal.idle.push(resolve))
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteDocStore is closed')
  }
}

/**
 * Reads `seq.length,seq.length,…` (the packed log's layout): the rows' lengths, their total and the
 * last sequence number. Null unless it holds exactly `rows` entries with strictly increasing
 * sequence numbers, i.e. the bytes were joined oldest first.
 */
export function parseLogLayout(
  layout: string,
  rows: number,
): { lengths: Uint32Array; bytes: number; lastSeq: number } | null {
  const lengths = new Uint32Array(rows)
  let entry = 0
  let seq = 0
  let value = 0
  let digits = 0
  let inLength = false
  let lastSeq = 0
  let bytes = 0
  const DOT = 46
  const COMMA = 44
  for (let i = 0; i <= layout.length; i++) {
    const c = i === layout.length ? COMMA : layout.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48)
      digits++
      if (value > Number.MAX_SAFE_INTEGER) return null
    } else if (c === DOT && !inLength && digits > 0) {
      seq = value
      inLength = true
      value = 0
      digits = 0
    } else if (c === COMMA && inLength && digits > 0) {
      if (entry >= rows || seq <= lastSeq) return null
      lengths[entry++] = value
      bytes += value
      lastSeq = seq
      inLength = false
      value = 0
      digits = 0
    } else {
      return null
    }
  }
  return entry === rows ? { lengths, bytes, lastSeq } : null
}
