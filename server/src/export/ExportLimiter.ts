/** Raised when too many exports wait already; the API answers 429 `rate_limited`. */
export class ExportBusyError extends Error {}

/**
 * Bounds the work of exports: at most `concurrency` run at once (they are CPU-heavy), at most
 * `maxWaiting` wait for a turn, and any more are refused at once rather than queued without end.
 */
export class ExportLimiter {
  private running = 0
  private readonly waiting: Array<() => void> = []

  constructor(
    private readonly concurrency = 2,
    private readonly maxWaiting = 16,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) {
        throw new ExportBusyError('The server is busy with other exports; try again in a minute.')
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running += 1
    }
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      // A waiter takes over this slot; otherwise it is freed.
      if (next) next()
      else this.running -= 1
    }
  }
}
