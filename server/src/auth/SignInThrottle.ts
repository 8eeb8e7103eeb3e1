import { ErrorCode } from '@lever/shared'
import type { Database } from 'better-sqlite3'
import { RateLimiterSQLite } from 'rate-limiter-flexible'
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

/** The table migration 7 creates in rate-limiter-flexible's layout. */
const TABLE = 'sign_in_throttle'

/**
 * Growing delays for failed sign-ins, never a lock: each key (an account from one address, an
 * address, a trusted browser) gets some free failures, then every further attempt must wait
 * `firstDelayMs`, doubling per failure up to `maxDelayMs`. An attempt counts as a failure before
 * the password is checked (so a burst in parallel cannot slip through) and is refunded when it
 * succeeds. Counts live in SQLite through rate-limiter-flexible, so a restart forgets nothing.
 */
export class SignInThrottle {
  /** Failures per key. */
  private readonly failures: RateLimiterSQLite
  /** Keys that must wait: blocked until their delay has passed. */
  private readonly waits: RateLimiterSQLite

  constructor(
    private readonly db: Database,
    private readonly options: SignInThrottleOptions,
  ) {
    const common = { storeClient: db, storeType: 'better-sqlite3', tableName: TABLE, tableCreated: true }
    this.failures = new RateLimiterSQLite({
      ...common,
      keyPrefix: 'fail',
      points: Number.MAX_SAFE_INTEGER,
      duration: Math.ceil(options.forgetAfterMs / 1000),
    })
    this.waits = new RateLimiterSQLite({ ...common, keyPrefix: 'wait', points: 1, duration: 1 })
  }

  /**
   * Starts an attempt: refuses it with 429 while any key must wait; otherwise counts it as a
   * failure in advance and sets the wait the next attempt faces. Returns the failure counts.
   */
  async begin(keys: readonly ThrottleKey[]): Promise<Map<ThrottleKind, number>> {
    let waitMs = 0
    for (const key of keys) {
      const res = await this.waits.get(name(key))
      if (res && res.consumedPoints > 1) waitMs = Math.max(waitMs, res.msBeforeNext)
    }
    if (waitMs > 0) throw throttled(waitMs)
    const counts = new Map<ThrottleKind, number>()
    for (const key of keys) {
      const count = (await this.failures.penalty(name(key), 1)).consumedPoints
      counts.set(key.kind, count)
      const delay = this.delayAfter(key.kind, count)
      if (delay > 0) await this.waits.block(name(key), delay / 1000)
    }
    return counts
  }

  /**
   * The attempt succeeded: an account's (or browser's) own failures are forgotten; an address
   * gets this attempt refunded, but keeps its other failures (many people may share it).
   */
  async succeeded(keys: readonly ThrottleKey[]): Promise<void> {
    for (const key of keys) {
      if (key.kind === 'address') {
        const left = (await this.failures.reward(name(key), 1)).consumedPoints
        if (this.delayAfter(key.kind, left) === 0) await this.waits.delete(name(key))
      } else {
        await this.failures.delete(name(key))
        await this.waits.delete(name(key))
      }
    }
  }

  /** Deletes counts and waits that have expired. */
  sweep(now = Date.now()): number {
    return this.db.prepare(`DELETE FROM ${TABLE} WHERE expire < ?`).run(now).changes
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
