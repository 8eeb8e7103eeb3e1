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
  private readonly pending = new Map<string, { timer: NodeJS.Timeout | null; first: number; turn: number }>()
  /** Numbers each scheduling, so a handler scheduled for after pending I/O knows if it still stands. */
  private turns = 0

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
      this.pending.set(key, { timer: this.start(key, this.options.quietMs), first: now, turn: ++this.turns })
      return
    }
    const left = this.options.maxWaitMs - (now - pending.first)
    // Due within the quiet period anyway: it stays as it is.
    if (left <= this.options.quietMs) return
    clearTimeout(pending.timer ?? undefined)
    pending.timer = this.start(key, this.options.quietMs)
    pending.turn = ++this.turns
  }

  /**
   * Handles `key` after `delayMs` at the latest; with no delay, as soon as the event loop has read
   * the input waiting for it. A room that has just loaded is asked to refresh this way: the sync
   * requests of the clients who waited for it came in during the load, and are read (and
   * answered) in the event loop's next poll phase. A timer, even of 0 ms, runs before that phase;
   * an immediate scheduled from the next turn's check phase runs after it.
   */
  soon(key: string, delayMs = 0): void {
    const pending = this.pending.get(key)
    if (pending) clearTimeout(pending.timer ?? undefined)
    const turn = ++this.turns
    this.pending.set(key, {
      timer: delayMs > 0 ? this.start(key, delayMs) : null,
      first: pending?.first ?? this.now(),
      turn,
    })
    if (delayMs > 0) return
    afterPendingInput(() => {
      if (this.pending.get(key)?.turn === turn) this.fire(key)
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
    clearTimeout(pending.timer ?? undefined)
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
    clearTimeout(pending.timer ?? undefined)
    this.pending.delete(key)
    this.options.run(key)
  }
}

/**
 * Runs `run` once the input already waiting on sockets has been read. Socket reads happen in the
 * event loop's poll phase, which comes after this turn's immediates: an immediate scheduled from
 * the next turn's check phase runs after them.
 */
export function afterPendingInput(run: () => void): void {
  setImmediate(() => setImmediate(run))
}
