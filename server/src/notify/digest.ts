import type { UserService } from '../auth/users.ts'
import { inboxFor } from '../domain/inbox.ts'
import type { PlanService } from '../domain/plans.ts'
import type { ThreadIndex } from '../domain/threadIndex.ts'
import type { Logger } from '../logger.ts'
import { digestEmail } from './emails.ts'
import type { Mailer } from './Mailer.ts'
import type { NotificationPrefs } from './NotificationPrefs.ts'

/** A person gets at most one digest in this long. */
export const DIGEST_EVERY_MS = 24 * 60 * 60 * 1000

/**
 * Sends the daily digest to everyone who wants one, is due one (none in the last day) and has
 * unread conversations; returns how many were sent. Runs on a timer in the server; tests call it
 * with a chosen time.
 */
export async function sendDigests(
  deps: {
    users: UserService
    plans: PlanService
    threads: ThreadIndex
    prefs: NotificationPrefs
    mailer: Mailer
    logger: Logger
  },
  baseUrl: string,
  now = new Date(),
): Promise<number> {
  if (!deps.mailer.enabled) return 0
  let sent = 0
  for (const user of await deps.users.list()) {
    if (!user.active || !deps.prefs.get(user.id).digest) continue
    const last = deps.prefs.lastDigestAt(user.id)
    if (last && now.getTime() - Date.parse(last) < DIGEST_EVERY_MS) continue
    const unread = inboxFor(user, deps.plans, deps.threads).filter((i) => i.unread)
    if (unread.length === 0) continue
    const email = digestEmail(user.email, unread, { baseUrl, unsubscribeToken: deps.prefs.unsubscribeToken(user.id) })
    if (await deps.mailer.send(email)) {
      deps.prefs.recordDigest(user.id, now)
      sent++
    }
  }
  if (sent > 0) deps.logger.info({ count: sent }, 'sent daily digests')
  return sent
}
