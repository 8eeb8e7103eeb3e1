/**
 * Runs work for a key (a plan, a document) once its changes have been quiet for `quietMs`, and
 * at the latest `maxWaitMs` after the first change not yet handled, so a plan typed in without a
 * pause is still handled every `maxWaitMs`. For what the server derives from documents (search
 * rows, dashboard figures): reading a whole plan after every keystroke, or every second while
 * people type, costs more than anyone gains from rows a few seconds fresher.
 *
 * The timers live in this process; callers explain why that is safe with several servers.
 */
export class QuietTimers {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; first: number }>()

  constructor(
    private readonly options: {
      quietMs: number
      maxWaitMs: number
      run(key: string): void
      now?: () => number
    },
  ) {}

  /** A change to `key`: (re)starts its quiet period, within its longest wait. */
  touch(key: string): void {
    const now = this.now()
    const pending = this.pending.get(key)
    if (!pending) {
      this.pending.set(key, { timer: this.start(key, this.options.quietMs), first: now })
      return
    }
    const left = this.options.maxWaitMs - (now - pending.first)
    // Due within the quiet period anyway: it stays as it is.
    if (left <= this.options.quietMs) return
    clearTimeout(pending.timer)
    pending.timer = this.start(key, this.options.quietMs)
  }

  /** Handles `key` now if it has something pending (`delayMs` 0), or after `delayMs` at the latest. */
  soon(key: string, delayMs = 0): void {
    const pending = this.pending.get(key)
    if (pending) clearTimeout(pending.timer)
    this.pending.set(key, {
      timer: this.start(key, delayMs),
      first: pending?.first ?? this.now(),
    })
  }

  /** Whether `key` has work waiting. */
  has(key: string): boolean {
    return this.pending.has(key)
  }

  /** Forgets `key` without running it; returns whether it had work waiting. */
  cancel(key: string): boolean {
    const pending = this.pending.get(key)
    if (!pending) return false
    clearTimeout(pending.timer)
    this.pending.delete(key)
    return true
  }

  /** The keys with work waiting. */
  keys(): string[] {
    return [...this.pending.keys()]
  }

  /** Runs everything pending now (shutdown, tests). */
  runAll(): void {
    for (const key of this.keys()) this.fire(key)
  }

  /** Forgets everything pending without running it. */
  clear(): void {
    for (const key of this.keys()) this.cancel(key)
  }

  private now(): number {
    return this.options.now ? this.options.now() : performance.now()
  }

  private start(key: string, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.fire(key), ms)
    timer.unref()
    return timer
  }

  private fire(key: string): void {
    const pending = this.pending.get(key)
    if (!pending) return
    clearTimeout(pending.timer)
    this.pending.delete(key)
    this.options.run(key)
  }
}
