import type { Database, Statement } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'
import { hashToken, newToken } from './secrets.ts'

export interface SessionPolicy {
  /** A session unused for this long expires (sliding). */
  idleTtlMs: number
  /** No session lives longer than this, used or not. */
  maxAgeMs: number
}

export interface ResolvedSession {
  tokenHash: string
  userId: string
  expiresAt: number
}

/** Called with the person whose sessions just ended (revoked, signed out, swept). */
export type SessionsEndedListener = (userId: string) => void

/**
 * Server-side sessions. The client holds a random token; the database only its hash. Whoever
 * holds live connections listens for ended sessions (`onEnded`) and closes them at once.
 */
export class SessionService {
  private readonly sql: (sql: string) => Statement
  private readonly listeners: SessionsEndedListener[] = []

  constructor(
    private readonly db: Database,
    private readonly policy: SessionPolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.sql = preparedStatements(db)
  }

  create(userId: string): { token: string; expiresAt: number } {
    const token = newToken()
    const now = this.now()
    const expiresAt = now + this.policy.idleTtlMs
    this.db
      .prepare('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(token), userId, now, expiresAt)
    return { token, expiresAt }
  }

  /** The live session of a token (extending its idle expiry), or null. */
  resolve(token: string): ResolvedSession | null {
    return this.resolveHash(hashToken(token), true)
  }

  /** Whether a session (by hash) is still live, without extending it. */
  isLive(tokenHash: string): boolean {
    return this.resolveHash(tokenHash, false) !== null
  }

  /** Registers a listener told about every person whose sessions ended. */
  onEnded(listener: SessionsEndedListener): void {
    this.listeners.push(listener)
  }

  /** Ends one session (signing out). */
  revoke(token: string): void {
    const row = this.sql('DELETE FROM sessions WHERE token_hash = ? RETURNING user_id').get(hashToken(token)) as
      | { user_id: string }
      | undefined
    if (row) this.ended([row.user_id])
  }

  /** Ends every session of a person, except the one with hash `keep` (a password change keeps its own). */
  revokeUser(userId: string, keep?: string): number {
    const { changes } =
      keep === undefined
        ? this.sql('DELETE FROM sessions WHERE user_id = ?').run(userId)
        : this.sql('DELETE FROM sessions WHERE user_id = ? AND token_hash != ?').run(userId, keep)
    if (changes > 0) this.ended([userId])
    return changes
  }

  /** Deletes expired sessions; returns how many. */
  sweep(): number {
    const rows = this.sql('DELETE FROM sessions WHERE expires_at <= ? RETURNING user_id').all(this.now()) as Array<{
      user_id: string
    }>
    this.ended([...new Set(rows.map((r) => r.user_id))])
    return rows.length
  }

  private ended(userIds: string[]): void {
    for (const userId of userIds) for (const listener of this.listeners) listener(userId)
  }

  private resolveHash(tokenHash: string, extend: boolean): ResolvedSession | null {
    const row = this.db
      .prepare('SELECT token_hash, user_id, created_at, expires_at FROM sessions WHERE token_hash = ?')
      .get(tokenHash) as { token_hash: string; user_id: string; created_at: number; expires_at: number } | undefined
    if (!row) return null
    const now = this.now()
    if (row.expires_at <= now || row.created_at + this.policy.maxAgeMs <= now) {
      this.sql('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash)
      return null
    }
    let expiresAt = row.expires_at
    const extended = Math.min(now + this.policy.idleTtlMs, row.created_at + this.policy.maxAgeMs)
    // Extend at most once a minute, so reads do not turn into a write each.
    if (extend && extended - expiresAt > 60_000) {
      this.sql('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(extended, tokenHash)
      expiresAt = extended
    }
    return { tokenHash, userId: row.user_id, expiresAt }
  }
}
