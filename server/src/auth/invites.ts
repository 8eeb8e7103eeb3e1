import type { Database, Statement } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'
import { hashToken, newToken } from './secrets.ts'

/** One-time links to set a password (there is no mail server: the facilitator passes them on). */
export class InviteService {
  private readonly sql: (sql: string) => Statement

  constructor(
    private readonly db: Database,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.sql = preparedStatements(db)
  }

  /** Issues a new link for a person; earlier unused links of theirs stop working. */
  issue(userId: string): string {
    const token = newToken()
    const now = this.now()
    this.db.transaction(() => {
      this.sql('DELETE FROM invites WHERE user_id = ? AND used_at IS NULL').run(userId)
      this.db
        .prepare('INSERT INTO invites (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
        .run(hashToken(token), userId, now, now + this.ttlMs)
    })()
    return token
  }

  /** The person an unused, unexpired invite is for, or null. */
  peek(token: string): string | null {
    const row = this.db
      .prepare('SELECT user_id FROM invites WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?')
      .get(hashToken(token), this.now()) as { user_id: string } | undefined
    return row?.user_id ?? null
  }

  /** Uses an invite up: returns its person once, then null forever. */
  consume(token: string): string | null {
    return this.db.transaction(() => {
      const userId = this.peek(token)
      if (!userId) return null
      this.sql('UPDATE invites SET used_at = ? WHERE token_hash = ?').run(this.now(), hashToken(token))
      return userId
    })()
  }
}
