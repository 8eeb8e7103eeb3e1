import pg from 'pg'
import * as Y from 'yjs'
import type { CompactResult, DocStore, LoggedUpdate, StoredDoc } from './DocStore.ts'
import { LOCK_DOCUMENT, migratePostgres } from './postgresSchema.ts'

interface PendingAppend {
  docName: string
  update: Uint8Array
  resolve(seq: number): void
  reject(error: unknown): void
}

export interface PostgresDocStoreOptions {
  /** After each group commit, with the number of appends it wrote (metrics). */
  onCommit?(groupSize: number): void
  /** A connection of the pool failed while idle (the pool replaces it). */
  onPoolError?(error: Error): void
}

/** Locks the documents of a batch, in key order so that two servers' batches never deadlock. */
const LOCK_DOCS = `
  SELECT pg_advisory_xact_lock(${LOCK_DOCUMENT}, k)
  FROM (SELECT DISTINCT hashtext(n) AS k FROM unnest($1::text[]) AS n ORDER BY k) AS keys`

/**
 * One statement for a whole batch: each row gets the next sequence number of its document
 * (after the newest stored one, in the order the appends were made), and the numbers come back in
 * that order.
 */
const INSERT_BATCH = `
  WITH input AS (
    SELECT name, data, ord FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS t(name, data, ord)
  ), numbered AS (
    SELECT i.ord, i.name, i.data,
      COALESCE((SELECT max(u.seq) FROM doc_updates u WHERE u.doc_name = i.name), 0)
        + row_number() OVER (PARTITION BY i.name ORDER BY i.ord) AS seq
    FROM input i
  ), inserted AS (
    INSERT INTO doc_updates (doc_name, seq, data) SELECT name, seq, data FROM numbered
  )
  SELECT seq FROM numbered ORDER BY ord`

/**
 * DocStore on PostgreSQL (`pg`), for several Lever servers sharing one database. Appends are
 * group-committed like SqliteDocStore's: the appends made before the event loop's next check phase
 * (and any made while the previous group was being written) go into one transaction with one
 * multi-row INSERT, and each caller's promise resolves once it has committed.
 *
 * Sequence numbers count per document, and every write to a document takes its advisory lock
 * (transaction-scoped, keyed by the document name's hash) first. That gives two guarantees the
 * servers rely on:
 * - rows of one document commit in sequence order, so a server that has seen every row through n
 *   catches up completely by reading the rows after n (Redis fan-out);
 * - a compaction on one server and appends or a compaction on another never interleave: the
 *   compaction merges the rows it replaces into the merged state under the lock, so a row another
 *   server wrote that this server's copy has not received yet is never lost.
 */
export class PostgresDocStore implements DocStore {
  /** Counters for tests and benchmarks: appends stored and transactions that stored them. */
  readonly stats = { appends: 0, commits: 0 }
  private pending: PendingAppend[] = []
  private scheduled = false
  private writing: Promise<void> | null = null
  private closed = false

  /** Connects, brings the schema up to date, and returns a store that closes the pool with itself. */
  static async open(connectionString: string, options: PostgresDocStoreOptions = {}): Promise<PostgresDocStore> {
    const pool = new pg.Pool({ connectionString, max: 8 })
    pool.on('error', (error) => options.onPoolError?.(error))
    try {
      await migratePostgres(pool)
    } catch (error) {
      await pool.end()
      throw error
    }
    return new PostgresDocStore(pool, options, true)
  }

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresDocStoreOptions = {},
    private readonly ownsPool = false,
  ) {}

  async load(docName: string): Promise<StoredDoc> {
    this.assertOpen()
    await this.drain()
    const { rows } = await this.pool.query<{ seq: string; data: Buffer }>(
      'SELECT seq, data FROM doc_updates WHERE doc_name = $1 ORDER BY seq',
      [docName],
    )
    let bytes = 0
    const updates = rows.map((r) => {
      bytes += r.data.byteLength
      return bytesOf(r.data)
    })
    return { updates, lastSeq: rows.length > 0 ? Number(rows.at(-1)?.seq) : 0, rows: rows.length, bytes }
  }

  async updatesAfter(docName: string, afterSeq: number): Promise<LoggedUpdate[]> {
    this.assertOpen()
    await this.drain()
    const { rows } = await this.pool.query<{ seq: string; data: Buffer }>(
      'SELECT seq, data FROM doc_updates WHERE doc_name = $1 AND seq > $2 ORDER BY seq',
      [docName, afterSeq],
    )
    return rows.map((r) => ({ seq: Number(r.seq), update: bytesOf(r.data) }))
  }

  append(docName: string, update: Uint8Array): Promise<number> {
    if (this.closed) return Promise.reject(new Error('PostgresDocStore is closed'))
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ docName, update, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => {
          this.scheduled = false
          void this.drain()
        })
      }
    })
  }

  async compact(docName: string, merged: Uint8Array, throughSeq: number): Promise<CompactResult> {
    this.assertOpen()
    await this.drain()
    return this.transaction(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${LOCK_DOCUMENT}, hashtext($1))`, [docName])
      const replaced = await client.query<{ data: Buffer }>(
        'SELECT data FROM doc_updates WHERE doc_name = $1 AND seq <= $2 ORDER BY seq',
        [docName, throughSeq],
      )
      if (replaced.rows.length > 0) {
        // `merged` is this server's copy; another server may have stored rows up to throughSeq
        // that it has not received yet. Merging the replaced rows in keeps them all.
        const doc = new Y.Doc()
        Y.applyUpdate(doc, merged)
        for (const r of replaced.rows) Y.applyUpdate(doc, bytesOf(r.data))
        const state = Y.encodeStateAsUpdate(doc)
        doc.destroy()
        await client.query('DELETE FROM doc_updates WHERE doc_name = $1 AND seq <= $2', [docName, throughSeq])
        // The merged row takes the place of the last row it replaces: a server that has seen
        // through throughSeq does not read it again, one that has not reads all it missed.
        await client.query('INSERT INTO doc_updates (doc_name, seq, data) VALUES ($1, $2, $3)', [
          docName,
          throughSeq,
          state,
        ])
      }
      const stats = await client.query<{ rows: string; bytes: string }>(
        'SELECT count(*) AS rows, COALESCE(sum(octet_length(data)), 0) AS bytes FROM doc_updates WHERE doc_name = $1',
        [docName],
      )
      return { seq: throughSeq, rows: Number(stats.rows[0]?.rows), bytes: Number(stats.rows[0]?.bytes) }
    })
  }

  async delete(docName: string): Promise<void> {
    this.assertOpen()
    await this.drain()
    await this.transaction(async (client) => {
      await client.query(`SELECT pg_advisory_xact_lock(${LOCK_DOCUMENT}, hashtext($1))`, [docName])
      await client.query('DELETE FROM doc_updates WHERE doc_name = $1', [docName])
    })
  }

  async list(): Promise<string[]> {
    this.assertOpen()
    await this.drain()
    const { rows } = await this.pool.query<{ doc_name: string }>(
      'SELECT doc_name FROM doc_updates GROUP BY doc_name ORDER BY doc_name COLLATE "C"',
    )
    return rows.map((r) => r.doc_name)
  }

  async flush(): Promise<void> {
    await this.drain()
  }

  /** Writes what is pending, then closes the pool if the store opened it. */
  async close(): Promise<void> {
    if (this.closed) return
    await this.drain()
    this.closed = true
    if (this.ownsPool) await this.pool.end()
  }

  /** Writes every pending append (group after group) and resolves once none is left. */
  private drain(): Promise<void> {
    if (this.writing) return this.writing
    if (this.pending.length === 0) return Promise.resolve()
    this.writing = this.writeAll()
    return this.writing
  }

  private async writeAll(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending
        this.pending = []
        await this.writeBatch(batch)
      }
    } finally {
      // Runs in the same turn as the last check of `pending`: an append made after it starts anew.
      this.writing = null
    }
  }

  /** One transaction for the group: lock its documents, one INSERT, commit; then settle the promises. */
  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    let seqs: number[]
    try {
      const names = batch.map((p) => p.docName)
      const data = batch.map((p) => Buffer.from(p.update.buffer, p.update.byteOffset, p.update.byteLength))
      seqs = await this.transaction(async (client) => {
        await client.query(LOCK_DOCS, [names])
        const { rows } = await client.query<{ seq: string }>(INSERT_BATCH, [names, data])
        return rows.map((r) => Number(r.seq))
      })
    } catch (error) {
      for (const p of batch) p.reject(error)
      return
    }
    this.stats.commits++
    this.stats.appends += batch.length
    this.options.onCommit?.(batch.length)
    for (const [i, p] of batch.entries()) p.resolve(seqs[i] as number)
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect()
    let broken = false
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true
      })
      throw error
    } finally {
      client.release(broken)
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('PostgresDocStore is closed')
  }
}

function bytesOf(data: Buffer): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
