import type { Database, Statement } from 'better-sqlite3'
import type { CompactResult, DocStore, StoredDoc } from './DocStore.ts'

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

/**
 * DocStore on SQLite (better-sqlite3, WAL). Appends are group-committed: every append made
 * before the event loop's next check phase goes into one transaction, and each caller's promise
 * resolves once that transaction has committed. Other rows that must be durable together with an
 * update (who writes with which client id) ride along in the same transaction (`withNextCommit`),
 * so they cost no fsync of their own.
 */
export class SqliteDocStore implements DocStore, CommitRider {
  /** Counters for tests and benchmarks: appends stored and transactions that stored them. */
  readonly stats = { appends: 0, commits: 0 }
  private pending: PendingAppend[] = []
  private riders: Rider[] = []
  private scheduled = false
  private closed = false
  private readonly insert: Statement<[string, Uint8Array, number]>
  private readonly selectLog: Statement<[string]>
  private readonly deleteThrough: Statement<[string, number]>
  private readonly deleteDoc: Statement<[string]>
  private readonly selectNames: Statement<[]>
  private readonly selectStats: Statement<[string]>

  constructor(private readonly db: Database) {
    this.insert = db.prepare('INSERT INTO doc_updates (doc_name, data, created_at) VALUES (?, ?, ?)')
    this.selectLog = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq')
    this.deleteThrough = db.prepare('DELETE FROM doc_updates WHERE doc_name = ? AND seq <= ?')
    this.deleteDoc = db.prepare('DELETE FROM doc_updates WHERE doc_name = ?')
    this.selectNames = db.prepare('SELECT DISTINCT doc_name FROM doc_updates ORDER BY doc_name')
    this.selectStats = db.prepare(
      'SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc_name = ?',
    )
  }

  async load(docName: string): Promise<StoredDoc> {
    this.assertOpen()
    this.commitPending()
    const rows = this.selectLog.all(docName) as Array<{ seq: number; data: Buffer }>
    let bytes = 0
    const updates = rows.map((r) => {
      bytes += r.data.byteLength
      return new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)
    })
    return { updates, lastSeq: rows.at(-1)?.seq ?? 0, rows: rows.length, bytes }
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
    this.commitPending()
    this.deleteDoc.run(docName)
  }

  async list(): Promise<string[]> {
    this.assertOpen()
    this.commitPending()
    return (this.selectNames.all() as Array<{ doc_name: string }>).map((r) => r.doc_name)
  }

  async flush(): Promise<void> {
    this.commitPending()
  }

  /** Commits pending appends; the database itself belongs to whoever opened it. */
  async close(): Promise<void> {
    if (this.closed) return
    this.commitPending()
    this.closed = true
  }

  /** Writes every pending append in one transaction and settles their promises. */
  private commitPending(): void {
    this.scheduled = false
    const batch = this.pending
    const riders = this.riders
    if (batch.length === 0 && riders.length === 0) return
    this.pending = []
    this.riders = []
    const now = Date.now()
    let seqs: number[]
    try {
      seqs = this.db.transaction(() => {
        for (const rider of riders) rider.write()
        return batch.map((p) => Number(this.insert.run(p.docName, p.update, now).lastInsertRowid))
      })()
    } catch (error) {
      for (const p of batch) p.reject(error)
      for (const rider of riders) rider.settled?.(error)
      return
    }
    this.stats.commits++
    this.stats.appends += batch.length
    for (const [i, p] of batch.entries()) p.resolve(seqs[i] as number)
    for (const rider of riders) rider.settled?.()
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteDocStore is closed')
  }
}
