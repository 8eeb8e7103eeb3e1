/**
 * A token bucket that may go into debt: a cost is taken whenever the balance is positive, even a
 * cost larger than the bucket (one large paste, one large sync answer), and the bucket then
 * refills at its rate before it allows anything again. This lets the room charge a sync answer
 * after it knows its size, and never refuses a single message for being larger than the burst.
 *
 * Hand-written rather than a library: the maintained ones (`limiter`, `rate-limiter-flexible`)
 * either wait asynchronously or refuse a cost above the bucket size, and the room checks every
 * frame synchronously; this is a dozen lines.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  /**
   * @param capacity the burst: the most the bucket holds (it starts full)
   * @param perSecond the refill rate
   * @param now a clock in milliseconds (injected in tests)
   */
  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = performance.now.bind(performance),
  ) {
    this.tokens = capacity
    this.last = now()
  }

  /** Takes `cost` if the balance is positive (it may go negative); false, taking nothing, otherwise. */
  take(cost: number): boolean {
    this.refill()
    if (this.tokens <= 0) return false
    this.tokens -= cost
    return true
  }

  /** Charges `cost` whatever the balance (for work already done, like an answer sent). */
  charge(cost: number): void {
    this.refill()
    this.tokens -= cost
  }

  /** The balance now (negative while in debt). */
  get balance(): number {
    this.refill()
    return this.tokens
  }

  private refill(): void {
    const now = this.now()
    const elapsed = now - this.last
    this.last = now
    if (elapsed > 0) this.tokens = Math.min(this.capacity, this.tokens + (elapsed * this.perSecond) / 1000)
  }
}
