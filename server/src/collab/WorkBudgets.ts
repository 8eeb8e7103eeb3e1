import { TokenBucket } from './TokenBucket.ts'

/** How much of the server's main thread one person's messages may take: milliseconds per second. */
export interface WorkBudgetConfig {
  /** Sustained: milliseconds of handling per second of wall time. */
  msPerSecond: number
  /** Burst: the most a person may spend at once before the rate applies (the bucket's size). */
  burstMs: number
}

/**
 * Far above a person's work (a keystroke is handled in well under a millisecond, a 1 MB paste in
 * tens of milliseconds), far below what crafted updates can cost: Yjs integrates some shapes of
 * update (tens of thousands of delete ranges, blocks deleted one by one) in time that grows faster
 * than their size, and one person's messages must not hold the event loop for everyone else.
 */
export const DEFAULT_WORK_BUDGET: WorkBudgetConfig = { msPerSecond: 250, burstMs: 3_000 }

/** Buckets kept before full ones (people idle for a while) are forgotten. */
const PRUNE_AT = 1_000

/**
 * Per person, across every document and connection on this server: the time the room spends
 * handling their messages is charged after the fact (it is only known then), and a person in debt
 * has their next message refused. A connection has no budget of its own because a person may open
 * many; people whose identity is unknown are keyed by their connection.
 */
export class WorkBudgets {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(
    private readonly config: WorkBudgetConfig,
    private readonly now?: () => number,
  ) {}

  /** The bucket of one person (created full). */
  of(key: string): TokenBucket {
    let bucket = this.buckets.get(key)
    if (!bucket) {
      if (this.buckets.size >= PRUNE_AT) this.prune()
      bucket = new TokenBucket(this.config.burstMs, this.config.msPerSecond, this.now)
      this.buckets.set(key, bucket)
    }
    return bucket
  }

  /** Whole seconds until a bucket in debt allows something again (at least 1). */
  secondsUntilAllowed(bucket: TokenBucket): number {
    return Math.max(1, Math.ceil(-bucket.balance / this.config.msPerSecond))
  }

  get size(): number {
    return this.buckets.size
  }

  /** Forgets the buckets that have refilled: their people spent nothing for a while. */
  private prune(): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.balance >= this.config.burstMs) this.buckets.delete(key)
    }
  }
}
