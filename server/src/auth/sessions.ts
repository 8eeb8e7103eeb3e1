import type { Db } from '../db/queries.ts'
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
  private readonly listeners: SessionsEndedListener[] = []

  constructor(
    private readonly db: Db,
    private readonly policy: SessionPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  async create(userId: string): Promise<{ token: string; expiresAt: number }> {
    const token = newToken()
    const now = this.now()
    const expiresAt = now + this.policy.idleTtlMs
    await this.db
      .insertInto('sessions')
      .values({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expiresAt })
      .execute()
    return { token, expiresAt }
  }

  /** The live session of a token (extending its idle expiry), or null. */
  resolve(token: string): Promise<ResolvedSession | null> {
    return this.resolveHash(hashToken(token), true)
  }

  /** Whether a session (by hash) is still live, without extending it. */
  async isLive(tokenHash: string): Promise<boolean> {
    return (await this.resolveHash(tokenHash, false)) !== null
  }

  /** Registers a listener told about every person whose sessions ended. */
  onEnded(listener: SessionsEndedListener): void {
    this.listeners.push(listener)
  }

  /** Ends one session (signing out). */
  async revoke(token: string): Promise<void> {
    const row = await this.db
      .deleteFrom('sessions')
      .where('token_hash', '=', hashToken(token))
      .returning('user_id')
      .executeTakeFirst()
    if (row) this.ended([row.user_id])
  }

  /** Ends every session of a person, except the one with hash `keep` (a password change keeps its own). */
  async revokeUser(userId: string, keep?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('user_id', '=', userId)
    if (keep !== undefined) query = query.where('token_hash', '!=', keep)
    const changes = Number((await query.executeTakeFirst()).numDeletedRows)
    if (changes > 0) this.ended([userId])
    return changes
  }

  /** Deletes expired sessions; returns how many. */
  async sweep(): Promise<number> {
    const rows = await this.db
      .deleteFrom('sessions')
      .where('expires_at', '<=', this.now())
      .returning('user_id')
      .execute()
    this.ended([...new Set(rows.map((r) => r.user_id))])
    return rows.length
  }

  private ended(userIds: string[]): void {
    for (const userId of userIds) for (const listener of this.listeners) listener(userId)
  }

  /**
   * One read per request; a write at most once a minute per session (the sliding extension), which
   * only ever moves the expiry later and finds nothing when the session ended meanwhile.
   */
  private async resolveHash(tokenHash: string, extend: boolean): Promise<ResolvedSession | null> {
    const row = await this.db
      .selectFrom('sessions')
      .select(['user_id', 'created_at', 'expires_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    if (!row) return null
    const now = this.now()
    const endsAt = row.created_at + this.policy.maxAgeMs
    if (row.expires_at <= now || endsAt <= now) {
      await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
      return null
    }
    let expiresAt = row.expires_at
    const extended = Math.min(now + this.policy.idleTtlMs, endsAt)
    // Extend at most once a minute, so reads do not turn into a write each.
    if (extend && extended - expiresAt > 60_000) {
      const moved = await this.db
        .updateTable('sessions')
        .set({ expires_at: extended })
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '<', extended)
        .returning('expires_at')
        .executeTakeFirst()
      if (moved) expiresAt = moved.expires_at
      else {
        // Ended meanwhile (signed out, revoked), or another request extended it further.
        const still = await this.db
          .selectFrom('sessions')
          .select('expires_at')
          .where('token_hash', '=', tokenHash)
          .executeTakeFirst()
        if (!still) return null
        expiresAt = still.expires_at
      }
    }
    return { tokenHash, userId: row.user_id, expiresAt }
  }
}
