import type { Database, Statement } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'
import { hashToken, newToken } from './secrets.ts'

/** The cookie that marks a browser as one its person signed in from before. */
export const DEVICE_COOKIE = 'lever_device'

export interface TrustedDevicePolicy {
  /** A browser not used to sign in for this long is trusted no more. */
  ttlMs: number
  /** Trusted browsers kept per person (the least recently used go first). */
  maxPerUser: number
}

/**
 * Browsers a person signed in from before ("device cookies", as OWASP describes them). Their
 * sign-in attempts are throttled on their own, so failures from anyone else, even from the same
 * address, never keep the owner out of their own machine. The cookie holds a random token; the
 * database only its hash.
 */
export class TrustedDevices {
  private readonly sql: (sql: string) => Statement

  constructor(
    db: Database,
    private readonly policy: TrustedDevicePolicy,
    private readonly now: () => number = Date.now,
  ) {
    this.sql = preparedStatements(db)
  }

  /** The hash of `token` when it marks a browser `userId` signed in from, else null. */
  check(token: string | undefined, userId: string | undefined): string | null {
    if (!token || !userId || token.length > 100) return null
    const tokenHash = hashToken(token)
    const row = this.sql('SELECT user_id, last_used_at FROM trusted_devices WHERE token_hash = ?').get(tokenHash) as
      | { user_id: string; last_used_at: number }
      | undefined
    if (!row || row.user_id !== userId || row.last_used_at + this.policy.ttlMs <= this.now()) return null
    return tokenHash
  }

  /**
   * After a successful sign-in: renews the browser's trust, or issues a new token (returned, to
   * set as the cookie) when it had none for this person.
   */
  remember(userId: string, trustedHash: string | null): string | null {
    const now = this.now()
    if (trustedHash) {
      this.sql('UPDATE trusted_devices SET last_used_at = ? WHERE token_hash = ?').run(now, trustedHash)
      return null
    }
    const token = newToken()
    this.sql('INSERT INTO trusted_devices (token_hash, user_id, created_at, last_used_at) VALUES (?, ?, ?, ?)').run(
      hashToken(token),
      userId,
      now,
      now,
    )
    this.sql(
      `DELETE FROM trusted_devices WHERE user_id = ? AND token_hash NOT IN (
         SELECT token_hash FROM trusted_devices WHERE user_id = ? ORDER BY last_used_at DESC LIMIT ?)`,
    ).run(userId, userId, this.policy.maxPerUser)
    return token
  }

  /** Forgets browsers unused for longer than the policy allows; returns how many. */
  sweep(): number {
    return this.sql('DELETE FROM trusted_devices WHERE last_used_at <= ?').run(this.now() - this.policy.ttlMs).changes
  }
}
