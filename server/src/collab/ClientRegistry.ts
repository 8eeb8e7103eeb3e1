import type { Database } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'

/** The outcome of recording a Yjs client id for a person. */
export type ClaimResult = 'new' | 'known' | 'taken'

/**
 * Who each Yjs client id of a document belongs to, recorded on first sight. Yjs attributes every
 * item to a client id; this table turns those into people (for version history's "who changed
 * what") and lets the server refuse a client id that another person already writes with.
 * `user_id` null means the server itself.
 */
export class ClientRegistry {
  private readonly sql
  /** Recent answers, per document: client id → user id (null: the server). */
  private readonly cache = new Map<string, Map<number, string | null>>()

  constructor(db: Database) {
    this.sql = preparedStatements(db)
  }

  /**
   * Records that `clientId` writes for `userId` in `docName` unless it is known already. Answers
   * `taken` when another person (or the server) already uses that client id there.
   */
  claim(docName: string, clientId: number, userId: string | null): ClaimResult {
    const owner = this.ownerOf(docName, clientId)
    if (owner !== undefined) return owner === userId ? 'known' : 'taken'
    this.sql('INSERT OR IGNORE INTO doc_clients (doc_name, client_id, user_id, first_seen) VALUES (?, ?, ?, ?)').run(
      docName,
      clientId,
      userId,
      Date.now(),
    )
    const stored = this.load(docName, clientId)
    this.remember(docName, clientId, stored ?? null)
    return stored === userId ? 'new' : 'taken'
  }

  /** The person behind a client id (null: the server), or undefined when never seen. */
  ownerOf(docName: string, clientId: number): string | null | undefined {
    const cached = this.cache.get(docName)?.get(clientId)
    if (cached !== undefined || this.cache.get(docName)?.has(clientId)) return cached
    const stored = this.load(docName, clientId)
    if (stored !== undefined) this.remember(docName, clientId, stored)
    return stored
  }

  /** Every known client id of a document with its person. */
  clientsOf(docName: string): Map<number, string | null> {
    const rows = this.sql('SELECT client_id, user_id FROM doc_clients WHERE doc_name = ?').all(docName) as Array<{
      client_id: number
      user_id: string | null
    }>
    return new Map(rows.map((r) => [r.client_id, r.user_id]))
  }

  /** Drops the cached answers of a document (its room unloaded). */
  forget(docName: string): void {
    this.cache.delete(docName)
  }

  private load(docName: string, clientId: number): string | null | undefined {
    const row = this.sql('SELECT user_id FROM doc_clients WHERE doc_name = ? AND client_id = ?').get(
      docName,
      clientId,
    ) as { user_id: string | null } | undefined
    return row ? row.user_id : undefined
  }

  private remember(docName: string, clientId: number, userId: string | null): void {
    let map = this.cache.get(docName)
    if (!map) {
      map = new Map()
      this.cache.set(docName, map)
    }
    map.set(clientId, userId)
  }
}
