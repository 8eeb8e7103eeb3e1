import { ErrorCode } from '@lever/shared'
import { sql } from 'kysely'
import type { Db, Queries } from '../db/queries.ts'
import { ApiError } from '../http/ApiError.ts'

/** What sign-in failures are counted against. */
export type ThrottleKind = 'account-address' | 'address' | 'device'

export interface ThrottleKey {
  kind: ThrottleKind
  id: string
}

export interface SignInThrottleOptions {
  /** Failures allowed before each further attempt must wait, per kind of key. */
  freeFailures: Record<ThrottleKind, number>
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstDelayMs: number
  /** The longest wait. */
  maxDelayMs: number
  /** A key's failures are forgotten this long after its first one (or at a successful sign-in). */
  forgetAfterMs: number
}

/**
 * Growing delays for failed sign-ins, never a lock: each key (an account from one address, an
 * address, a trusted browser) gets some free failures, then every further attempt must wait
 * `firstDelayMs`, doubling per failure up to `maxDelayMs`. An attempt counts as a failure before
 * the password is checked (so a burst in parallel cannot slip through) and is refunded when it
 * succeeds. Counts live in the database (table `sign_in_throttle`: key, points, expire in epoch
 * ms), so a restart forgets nothing and servers sharing a PostgreSQL share the counts.
 *
 * Rows: `fail:<key>` counts failures until `expire` (set at the first one); `wait:<key>` (points 2)
 * means the key must wait until `expire`.
 */
export class SignInThrottle {
  constructor(
    private readonly db: Db,
    private readonly options: SignInThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Starts an attempt: refuses it with 429 while any key must wait; otherwise counts it as a
   * failure in advance and sets the wait the next attempt faces. Returns the failure counts.
   *
   * One transaction: counting first locks each key's row (in PostgreSQL, until the end), so
   * parallel attempts on one key run one after the other and each sees the wait the one before
   * set; a refused attempt rolls its count back. Keys come in one fixed order, so no two attempts
   * wait on each other.
   */
  async begin(keys: readonly ThrottleKey[]): Promise<Map<ThrottleKind, number>> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.now()
      const counts = new Map<ThrottleKind, number>()
      for (const key of keys) counts.set(key.kind, await this.addFailures(tx, key, 1, now))
      let waitMs = 0
      for (const key of keys) {
        const wait = await tx
          .selectFrom('sign_in_throttle')
          .select('expire')
          .where('key', '=', `wait:${name(key)}`)
          .where('points', '>', 1)
          .where('expire', '>', now)
          .executeTakeFirst()
        if (wait?.expire) waitMs = Math.max(waitMs, wait.expire - now)
      }
      if (waitMs > 0) throw throttled(waitMs)
      for (const key of keys) {
        const delay = this.delayAfter(key.kind, counts.get(key.kind) ?? 0)
        if (delay > 0) {
          await tx
            .insertInto('sign_in_throttle')
            .values({ key: `wait:${name(key)}`, points: 2, expire: now + delay })
            .onConflict((oc) => oc.column('key').doUpdateSet({ points: 2, expire: now + delay }))
            .execute()
        }
      }
      return counts
    })
  }

  /**
   * The attempt succeeded: an account's (or browser's) own failures are forgotten; an address
   * gets this attempt refunded, but keeps its other failures (many people may share it).
   */
  async succeeded(keys: readonly ThrottleKey[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const now = this.now()
      for (const key of keys) {
        const forget = [`wait:${name(key)}`]
        if (key.kind === 'address') {
          const left = await this.addFailures(tx, key, -1, now)
          if (this.delayAfter(key.kind, left) > 0) continue
        } else {
          forget.push(`fail:${name(key)}`)
        }
        await tx.deleteFrom('sign_in_throttle').where('key', 'in', forget).execute()
      }
    })
  }

  /** Deletes counts and waits that have expired. */
  async sweep(now = this.now()): Promise<number> {
    const result = await this.db.deleteFrom('sign_in_throttle').where('expire', '<', now).executeTakeFirst()
    return Number(result.numDeletedRows)
  }

  /**
   * Adds `points` to a key's failures in one statement and returns the new count: a count past its
   * `expire` starts again from `points`, with a new expiry `forgetAfterMs` on.
   */
  private async addFailures(tx: Queries, key: ThrottleKey, points: number, now: number): Promise<number> {
    const live = sql<boolean>`sign_in_throttle.expire IS NULL OR sign_in_throttle.expire > ${now}`
    const row = await tx
      .insertInto('sign_in_throttle')
      .values({ key: `fail:${name(key)}`, points, expire: now + this.options.forgetAfterMs })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          points: sql<number>`CASE WHEN ${live} THEN sign_in_throttle.points + excluded.points ELSE excluded.points END`,
          expire: sql<number>`CASE WHEN ${live} THEN sign_in_throttle.expire ELSE excluded.expire END`,
        }),
      )
      .returning('points')
      .executeTakeFirstOrThrow()
    return Number(row.points)
  }

  /** How long the attempt after the `count`th failure must wait. */
  private delayAfter(kind: ThrottleKind, count: number): number {
    const over = count - this.options.freeFailures[kind]
    if (over <= 0) return 0
    return Math.min(this.options.maxDelayMs, this.options.firstDelayMs * 2 ** Math.min(over - 1, 40))
  }
}

function name(key: ThrottleKey): string {
  return `${key.kind}:${key.id}`
}

function throttled(waitMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  const when = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
  return new ApiError(429, ErrorCode.RateLimited, `Too many failed sign-ins. Wait ${when} before trying again.`, {
    retryAfterSeconds: seconds,
  })
}
