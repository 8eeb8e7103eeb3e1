import type { Db } from '../db/queries.ts'
import { hashToken, newToken } from './secrets.ts'
import { lockUser } from './users.ts'

/** One-time links to set a password (there is no mail server: the facilitator passes them on). */
export class InviteService {
  constructor(
    private readonly db: Db,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Issues a new link for a person; earlier unused links of theirs stop working (also ones issued at the same moment). */
  async issue(userId: string): Promise<string> {
    const token = newToken()
    const now = this.now()
    await this.db.transaction().execute(async (tx) => {
      await lockUser(tx, userId)
      await tx.deleteFrom('invites').where('user_id', '=', userId).where('used_at', 'is', null).execute()
      await tx
        .insertInto('invites')
        .values({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: now + this.ttlMs })
        .execute()
    })
    return token
  }

  /** The person an unused, unexpired invite is for, or null. */
  async peek(token: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('invites')
      .select('user_id')
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', this.now())
      .executeTakeFirst()
    return row?.user_id ?? null
  }

  /** Uses an invite up: returns its person once, then null forever (one statement, so only one of two at once wins). */
  async consume(token: string): Promise<string | null> {
    const now = this.now()
    const row = await this.db
      .updateTable('invites')
      .set({ used_at: now })
      .where('token_hash', '=', hashToken(token))
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('user_id')
      .executeTakeFirst()
    return row?.user_id ?? null
  }
}
