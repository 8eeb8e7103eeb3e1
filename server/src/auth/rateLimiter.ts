/**
 * Counts events per key in a fixed window (e.g. failed sign-ins per account, attempts per IP).
 * In memory: one process serves the cohort; several instances would move this to Redis.
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `key` has used up its allowance in the current window. */
  isBlocked(key: string): boolean {
    const w = this.current(key)
    return w !== null && w.count >= this.limit
  }

  /** Counts one event for `key`. */
  hit(key: string): void {
    const w = this.current(key)
    if (w) w.count++
    else this.windows.set(key, { start: this.now(), count: 1 })
    if (this.windows.size > 10_000) this.prune()
  }

  reset(key: string): void {
    this.windows.delete(key)
  }

  /** Seconds until `key` may try again. */
  retryAfterSeconds(key: string): number {
    const w = this.current(key)
    return w ? Math.max(1, Math.ceil((w.start + this.windowMs - this.now()) / 1000)) : 0
  }

  private current(key: string): { start: number; count: number } | null {
    const w = this.windows.get(key)
    if (!w) return null
    if (this.now() - w.start >= this.windowMs) {
      this.windows.delete(key)
      return null
    }
    return w
  }

  private prune(): void {
    for (const key of [...this.windows.keys()]) this.current(key)
  }
}
