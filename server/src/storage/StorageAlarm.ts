import type { Logger } from '../logger.ts'

const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT'])

/** True when an error (or one it was caused by) says the disk or the database is full. */
export function isStorageFull(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && FULL_CODES.has(code)) return true
  }
  return false
}

/**
 * Reports a full disk or database to the operator: logged at most once per `intervalMs` (with how
 * many failures there were since), not once per write, so the log stays readable while clients
 * keep retrying.
 */
export class StorageAlarm {
  private lastLoggedAt = Number.NEGATIVE_INFINITY
  private suppressed = 0

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns whether `error` means storage is full (and reports it if so). */
  report(error: unknown, context: Record<string, unknown> = {}): boolean {
    if (!isStorageFull(error)) return false
    const now = this.now()
    if (now - this.lastLoggedAt >= this.intervalMs) {
      this.logger.error(
        { ...context, err: error, failuresSinceLastReport: this.suppressed },
        'storage is full: changes are refused until space is freed (free disk space, or raise the database size limit)',
      )
      this.lastLoggedAt = now
      this.suppressed = 0
    } else {
      this.suppressed++
    }
    return true
  }
}
