import type { Database } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'
import type { CommitRider } from '../storage/SqliteDocStore.ts'

/** The outcome of recording a Yjs client id for a person. */
export type ClaimResult = 'new' | 'known' | 'taken'

interface PendingClaim {
  docName: string
  clientId: number
  userId: string | null
  firstSeen: number
}

/**
 * Who each Yjs client id of a document belongs to, recorded on first sight. Yjs attributes every
 * item to a client id; this table turns those into people (for version history's "who changed
 * what") and lets the server refuse a client id that another person already writes with.
 * `user_id` null means the server itself.
 *
 * A claim is decided at once, in memory (this process is the only writer of its database), and
 * its row is written with the document store's next group commit: the same transaction, and the
 * same fsync, as the update that introduced the client id, so the claim is durable before anyone
 * sees that update and costs the update no write of its own. Without a store to ride along with
 * (`commits`), the claims of one tick are written together in a transaction of their own.
 */
export class ClientRegistry {
  private readonly sql
  /** Every client id of a document in memory: client id → user id (null: the server). */
  private readonly cache = new Map<string, Map<number, string | null>>()
  /** Claims decided but not yet written, per document. */
  private readonly unwritten = new Map<string, Map<number, PendingClaim>>()
  /** Claims waiting for the next commit, in order. */
  private queue: PendingClaim[] = []
  private scheduled = false

  constructor(
    private readonly db: Database,
    private readonly commits?: CommitRider,
  ) {
    this.sql = preparedStatements(db)
  }

  /**
   * Records that `clientId` writes for `userId` in `docName` unless it is known already. Answers
   * `taken` when another person (or the server) already uses that client id there.
   */
  claim(docName: string, clientId: number, userId: string | null): ClaimResult {
    const owner = this.ownerOf(docName, clientId)
    if (owner !== undefined) return owner === userId ? 'known' : 'taken'
    const claim: PendingClaim = { docName, clientId, userId, firstSeen: Date.now() }
    this.remember(docName, clientId, userId)
    let unwritten = this.unwritten.get(docName)
    if (!unwritten) {
      unwritten = new Map()
      this.unwritten.set(docName, unwritten)
    }
    unwritten.set(clientId, claim)
    this.queue.push(claim)
    this.schedule()
    return 'new'
  }

  /** The person behind a client id (null: the server), or undefined when never seen. */
  ownerOf(docName: string, clientId: number): string | null | undefined {
    const known = this.known(docName)
    const owner = known.get(clientId)
    if (owner !== undefined || known.has(clientId)) return owner
    return this.unwritten.get(docName)?.get(clientId)?.userId
  }

  /** Every known client id of a document with its person. */
  clientsOf(docName: string): Map<number, string | null> {
    const rows = this.sql('SELECT client_id, user_id FROM doc_clients WHERE doc_name = ?').all(docName) as Array<{
      client_id: number
      user_id: string | null
    }>
    const clients = new Map(rows.map((r) => [r.client_id, r.user_id]))
    for (const claim of this.unwritten.get(docName)?.values() ?? []) clients.set(claim.clientId, claim.userId)
    return clients
  }

  /** Writes every claim not yet written now (tests, tools; the store's close commits them too). */
  flush(): void {
    if (this.queue.length === 0) return
    this.db.transaction(() => this.writeQueued())()
  }

  /** Drops the cached answers of a document (its room unloaded); unwritten claims stay known. */
  forget(docName: string): void {
    this.cache.delete(docName)
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    let taken: PendingClaim[] | null = null
    const write = () => {
      taken = this.writeQueued()
    }
    const failed = () => {
      // Nothing of the commit was stored: neither the claims it wrote nor, if it failed before
      // writing them, the ones still queued.
      if (taken === null) {
        this.scheduled = false
        taken = this.queue
        this.queue = []
      }
      this.unrecord(taken)
    }
    if (this.commits) {
      try {
        this.commits.withNextCommit(write, (error) => {
          if (error !== undefined) failed()
        })
        return
      } catch {
        // The store has closed: write on our own below.
      }
    }
    setImmediate(() => {
      try {
        this.db.transaction(write)()
      } catch {
        failed()
      }
    })
  }

  /** Inserts the queued claims (inside the caller's transaction); returns them. */
  private writeQueued(): PendingClaim[] {
    this.scheduled = false
    const claims = this.queue
    this.queue = []
    const insert = this.sql(
      'INSERT OR IGNORE INTO doc_clients (doc_name, client_id, user_id, first_seen) VALUES (?, ?, ?, ?)',
    )
    for (const c of claims) insert.run(c.docName, c.clientId, c.userId, c.firstSeen)
    for (const c of claims) {
      const unwritten = this.unwritten.get(c.docName)
      if (unwritten?.get(c.clientId) !== c) continue
      unwritten.delete(c.clientId)
      if (unwritten.size === 0) this.unwritten.delete(c.docName)
    }
    return claims
  }

  /**
   * The commit that carried these claims failed, so the updates that made them were not stored
   * either (their room closes and its clients resend): the claims are forgotten, to be made again.
   */
  private unrecord(claims: PendingClaim[]): void {
    for (const c of claims) {
      const known = this.cache.get(c.docName)
      if (known?.get(c.clientId) === c.userId) known.delete(c.clientId)
      const unwritten = this.unwritten.get(c.docName)
      if (unwritten?.get(c.clientId) === c) unwritten.delete(c.clientId)
    }
  }

  /**
   * Every client id of a document with its person, read once per document (when its room first
   * asks) and kept while it is in memory: this process is the only writer of its database, so
   * an id missing here has never been seen.
   */
  private known(docName: string): Map<number, string | null> {
    let map = this.cache.get(docName)
    if (!map) {
      const rows = this.sql('SELECT client_id, user_id FROM doc_clients WHERE doc_name = ?').all(docName) as Array<{
        client_id: number
        user_id: string | null
      }>
      map = new Map(rows.map((r) => [r.client_id, r.user_id]))
      this.cache.set(docName, map)
    }
    return map
  }

  private remember(docName: string, clientId: number, userId: string | null): void {
    this.known(docName).set(clientId, userId)
  }
}
