import type { Db } from '../db/queries.ts'
import { hashToken, newToken } from './secrets.ts'
import { lockUser } from './users.ts'

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
  constructor(
    private readonly db: Db,
    private readonly policy: TrustedDevicePolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** The hash of `token` when it marks a browser `userId` signed in from, else null. */
  async check(token: string | undefined, userId: string | undefined): Promise<string | null> {
    if (!token || !userId || token.length > 100) return null
    const tokenHash = hashToken(token)
    const row = await this.db
      .selectFrom('trusted_devices')
      .select(['user_id', 'last_used_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst()
    if (!row || row.user_id !== userId || row.last_used_at + this.policy.ttlMs <= this.now()) return null
    return tokenHash
  }

  /**
   * After a successful sign-in: renews the browser's trust, or issues a new token (returned, to
   * set as the cookie) when it had none for this person. A person keeps at most `maxPerUser`
   * browsers, also when they sign in from several at the same moment.
   */
  async remember(userId: string, trustedHash: string | null): Promise<string | null> {
    const now = this.now()
    if (trustedHash) {
      await this.db
        .updateTable('trusted_devices')
        .set({ last_used_at: now })
        .where('token_hash', '=', trustedHash)
        .execute()
      return null
    }
    const token = newToken()
    await this.db.transaction().execute(async (tx) => {
      await lockUser(tx, userId)
      await tx
        .insertInto('trusted_devices')
        .values({ token_hash: hashToken(token), user_id: userId, created_at: now, last_used_at: now })
        .execute()
      const kept = tx
        .selectFrom('trusted_devices')
        .select('token_hash')
        .where('user_id', '=', userId)
        .orderBy('last_used_at', 'desc')
        .orderBy('created_at', 'desc')
        .orderBy('token_hash')
        .limit(this.policy.maxPerUser)
      await tx.deleteFrom('trusted_devices').where('user_id', '=', userId).where('token_hash', 'not in', kept).execute()
    })
    return token
  }

  /** Forgets browsers unused for longer than the policy allows; returns how many. */
  async sweep(): Promise<number> {
    const result = await this.db
      .deleteFrom('trusted_devices')
      .where('last_used_at', '<=', this.now() - this.policy.ttlMs)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
