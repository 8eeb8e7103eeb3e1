import type { Database, Statement } from 'better-sqlite3'
import { newToken } from '../auth/secrets.ts'
import { preparedStatements } from '../db/preparedStatements.ts'

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
  private readonly sql: (sql: string) => Statement

  constructor(db: Database) {
    this.sql = preparedStatements(db)
  }

  private row(userId: string): PrefsRow {
    this.sql('INSERT OR IGNORE INTO notification_prefs (user_id, unsubscribe_token) VALUES (?, ?)').run(
      userId,
      newToken(24),
    )
    return this.sql('SELECT * FROM notification_prefs WHERE user_id = ?').get(userId) as PrefsRow
  }

  get(userId: string): NotificationSettings {
    const r = this.row(userId)
    return { mentions: r.mentions === 1, replies: r.replies === 1, digest: r.digest === 1 }
  }

  set(userId: string, settings: NotificationSettings): NotificationSettings {
    this.row(userId)
    this.sql('UPDATE notification_prefs SET mentions = ?, replies = ?, digest = ? WHERE user_id = ?').run(
      settings.mentions ? 1 : 0,
      settings.replies ? 1 : 0,
      settings.digest ? 1 : 0,
      userId,
    )
    return this.get(userId)
  }

  /** The secret of the person's unsubscribe link (made on first use). */
  unsubscribeToken(userId: string): string {
    return this.row(userId).unsubscribe_token
  }

  /** Turns every email off for the owner of `token`; false when no one has it. */
  unsubscribe(token: string): boolean {
    return (
      this.sql('UPDATE notification_prefs SET mentions = 0, replies = 0, digest = 0 WHERE unsubscribe_token = ?').run(
        token,
      ).changes === 1
    )
  }

  lastDigestAt(userId: string): string | null {
    return this.row(userId).last_digest_at
  }

  recordDigest(userId: string, at: Date): void {
    this.row(userId)
    this.sql('UPDATE notification_prefs SET last_digest_at = ? WHERE user_id = ?').run(at.toISOString(), userId)
  }
}
