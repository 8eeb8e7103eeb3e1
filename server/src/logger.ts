import pino, { type Logger } from 'pino'

export type { Logger }

/** The server's structured logger. Modules receive it; they never create their own. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'lever' } })
}

/** A logger that prints nothing, for tests. */
export function quietLogger(): Logger {
  return pino({ level: 'silent' })
}
