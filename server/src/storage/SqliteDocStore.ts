import type { Database, Statement } from 'better-sqlite3'
import type { CompactResult, DocStore, LoggedUpdate, StoredDoc } from './DocStore.ts'

interface PendingAppend {
  docName: string
  update: Uint8Array
  resolve(seq: number): void
  reject(error: unknown): void
}

/**
 * DocStore on SQLite (better-sqlite3, WAL). Appends are group-committed: every append made
 * before the event loop's next check phase goes into one transaction, and each caller's promise
 * resolves once that transaction has committed.
 */
export class SqliteDocStore implements DocStore {
  /** Counters for tests and benchmarks: appends stored and transactions that stored them. */
  readonly stats = { appends: 0, commits: 0 }
  private pending: PendingAppend[] = []
  private scheduled = false
  private closed = false
  private readonly insert: Statement<[string, Uint8Array, number]>
  private readonly selectLog: Statement<[string]>
  private readonly selectAfter: Statement<[string, number]>
  private readonly deleteThrough: Statement<[string, number]>
  private readonly deleteDoc: Statement<[string]>
  private readonly selectNames: Statement<[]>
  private readonly selectStats: Statement<[string]>

  constructor(
    private readonly db: Database,
    private readonly options: { onCommit?(groupSize: number): void } = {},
  ) {
    this.insert = db.prepare('INSERT INTO doc_updates (doc_name, data, created_at) VALUES (?, ?, ?)')
    this.selectLog = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? ORDER BY seq')
    this.selectAfter = db.prepare('SELECT seq, data FROM doc_updates WHERE doc_name = ? AND seq > ? ORDER BY seq')
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

  async updatesAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]> {
    this.assertOpen()
    this.commitPending()
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
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.commitPending())
      }
    })
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
    if (batch.length === 0) return
    this.pending = []
    const now = Date.now()
    let seqs: number[]
    try {
      seqs = this.db.transaction(() =>
        batch.map((p) => Number(this.insert.run(p.docName, p.update, now).lastInsertRowid)),
      )()
    } catch (error) {
      for (const p of batch) p.reject(error)
      return
    }
    this.stats.commits++
    this.stats.appends += batch.length
    this.options.onCommit?.(batch.length)
    for (const [i, p] of batch.entries()) p.resolve(seqs[i] as number)
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteDocStore is closed')
  }
}
