import pino, { type Logger } from 'pino'

export type { Logger }

/**
 * The server's structured logger. Modules receive it; they never create their own. It writes
 * asynchronously: a slow or stalled reader of the server's output must never stall the server
 * (a synchronous write to a full pipe would block every document); past 16 MiB waiting, lines are
 * dropped rather than held. `flushLogger` before exit.
 */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    { level, base: { service: 'lever' } },
    pino.destination({ dest: 1, sync: false, maxLength: 16 * 1024 * 1024 }),
  )
}

/** Writes out buffered log lines (call before the process exits). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()))
}

/** A logger that prints nothing, for tests. */
export function quietLogger(): Logger {
  return pino({ level: 'silent' })
}

/** A logger that keeps every line in memory, parsed, for tests that check what was logged. */
export function memoryLogger(level = 'info'): {
  logger: Logger
  lines: Array<Record<string, unknown>>
  entries: Array<Record<string, unknown>>
} {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) })
  return { logger, lines, entries: lines }
}
