import { newToken } from '../auth/secrets.ts'
import type { Db } from '../db/queries.ts'

/** Which emails a person wants. Everything is on until they say otherwise. */
export interface NotificationSettings {
  mentions: boolean
  replies: boolean
  digest: boolean
}

interface PrefsRow {
  user_id: string
  mentions: number
  replies: number
  digest: number
  unsubscribe_token: string
  last_digest_at: string | null
}

/** Each person's email settings, the token of their unsubscribe link, and when they last got a digest. */
export class NotificationPrefs {
  constructor(private readonly db: Db) {}

  private find(userId: string): Promise<PrefsRow | undefined> {
    return this.db.selectFrom('notification_prefs').selectAll().where('user_id', '=', userId).executeTakeFirst()
  }

  /** The person's row, made with everything on (and a new unsubscribe token) the first time. */
  private async row(userId: string): Promise<PrefsRow> {
    const found = await this.find(userId)
    if (found) return found
    await this.db
      .insertInto('notification_prefs')
      .values({ user_id: userId, unsubscribe_token: newToken(24) })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute()
    const made = await this.find(userId)
    if (!made) throw new Error('notification settings could not be made')
    return made
  }

  async get(userId: string): Promise<NotificationSettings> {
    const r = await this.row(userId)
    return { mentions: r.mentions === 1, replies: r.replies === 1, digest: r.digest === 1 }
  }

  async set(userId: string, settings: NotificationSettings): Promise<NotificationSettings> {
    await this.row(userId)
    await this.db
      .updateTable('notification_prefs')
      .set({ mentions: settings.mentions ? 1 : 0, replies: settings.replies ? 1 : 0, digest: settings.digest ? 1 : 0 })
      .where('user_id', '=', userId)
      .execute()
    return this.get(userId)
  }

  /** The secret of the person's unsubscribe link (made on first use). */
  async unsubscribeToken(userId: string): Promise<string> {
    return (await this.row(userId)).unsubscribe_token
  }

  /** Turns every email off for the owner of `token`; false when no one has it. */
  async unsubscribe(token: string): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_prefs')
      .set({ mentions: 0, replies: 0, digest: 0 })
      .where('unsubscribe_token', '=', token)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async lastDigestAt(userId: string): Promise<string | null> {
    return (await this.row(userId)).last_digest_at
  }

  /**
   * Claims the person's digest at `at`, when they got none after `since`: one statement, so of
   * several servers sending digests at once exactly one gets the claim (and sends). Returns the
   * time of their previous digest to give back with `releaseDigest`, or false when not claimed.
   */
  async claimDigest(userId: string, at: Date, since: Date): Promise<{ previous: string | null } | false> {
    const before = await this.row(userId)
    if (before.last_digest_at !== null && before.last_digest_at > since.toISOString()) return false
    const result = await this.db
      .updateTable('notification_prefs')
      .set({ last_digest_at: at.toISOString() })
      .where('user_id', '=', userId)
      .where((eb) =>
        before.last_digest_at === null
          ? eb('last_digest_at', 'is', null)
          : eb('last_digest_at', '=', before.last_digest_at),
      )
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1 ? { previous: before.last_digest_at } : false
  }

  /** Gives back a claimed digest that could not be sent (unless a later one was recorded since). */
  async releaseDigest(userId: string, at: Date, previous: string | null): Promise<void> {
    await this.db
      .updateTable('notification_prefs')
      .set({ last_digest_at: previous })
      .where('user_id', '=', userId)
      .where('last_digest_at', '=', at.toISOString())
      .execute()
  }
}
