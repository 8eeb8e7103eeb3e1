import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { SynchronousMode } from './db/openDatabase.ts'

/** The repository root (server/src/config.ts → ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface ServerConfig {
  port: number
  host: string
  /** Directory of the SQLite database; `:memory:` keeps everything in memory (tests). */
  dataDir: string
  /** `sqlite` (default) or `memory` (tests that need no file). */
  store: 'sqlite' | 'memory'
  synchronous: SynchronousMode
  /** Built client to serve; undefined for API only. */
  staticDir?: string
  logLevel: string
  collab: {
    maxMessageBytes: number
    unloadGraceMs: number
    heartbeatMs: number
    compactMaxRows: number
    compactMaxBytes: number
    /** A client with more than this many bytes waiting to be sent to it is disconnected. */
    maxBufferedBytes: number
  }
  http: {
    maxBodyBytes: number
  }
  export: {
    /** Chromium, for PDF export (`CHROMIUM_PATH`); without it the other formats still work. */
    chromiumPath: string
    /** The PDF browser closes after this long without an export. */
    pdfIdleMs: number
  }
  auth: {
    /** Seed demo people (DEMO=1), all with the password `demo-password`. */
    demo: boolean
    /** The facilitator created on an empty database (it gets a one-time sign-in link). */
    adminEmail: string
    sessionIdleTtlMs: number
    sessionMaxAgeMs: number
    inviteTtlMs: number
    /** scrypt cost factor N (a power of two). */
    scryptN: number
    maxFailuresPerAccount: number
    maxAttemptsPerAddress: number
    rateWindowMs: number
    /** Origins besides the server's own that may send cookie-authenticated requests (a proxy's). */
    extraOrigins: string[]
  }
}

const MiB = 1024 * 1024
const HOUR = 60 * 60 * 1000

export const defaultConfig: ServerConfig = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: path.join(REPO_ROOT, 'data'),
  store: 'sqlite',
  synchronous: 'FULL',
  staticDir: path.join(REPO_ROOT, 'client', 'dist'),
  logLevel: 'info',
  collab: {
    maxMessageBytes: 8 * MiB,
    unloadGraceMs: 10_000,
    heartbeatMs: 30_000,
    compactMaxRows: 500,
    compactMaxBytes: 4 * MiB,
    maxBufferedBytes: 32 * MiB,
  },
  http: {
    maxBodyBytes: 256 * 1024,
  },
  export: {
    chromiumPath: '/usr/bin/chromium',
    pdfIdleMs: 60_000,
  },
  auth: {
    demo: false,
    adminEmail: 'facilitator@lever.local',
    sessionIdleTtlMs: 12 * HOUR,
    sessionMaxAgeMs: 7 * 24 * HOUR,
    inviteTtlMs: 7 * 24 * HOUR,
    scryptN: 2 ** 15,
    maxFailuresPerAccount: 5,
    maxAttemptsPerAddress: 50,
    rateWindowMs: 15 * 60 * 1000,
    extraOrigins: [],
  },
}

const intFrom = (min: number) => z.coerce.number().int().min(min)

const envSchema = z.object({
  PORT: intFrom(0).max(65535).optional(),
  HOST: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).optional(),
  SQLITE_SYNCHRONOUS: z.enum(['OFF', 'NORMAL', 'FULL', 'EXTRA']).optional(),
  STATIC_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  MAX_MESSAGE_BYTES: intFrom(1024).optional(),
  ROOM_UNLOAD_GRACE_MS: intFrom(0).optional(),
  COMPACT_MAX_ROWS: intFrom(1).optional(),
  COMPACT_MAX_BYTES: intFrom(1).optional(),
  DEMO: z.enum(['0', '1', 'true', 'false', '']).optional(),
  ADMIN_EMAIL: z.email().optional(),
  SESSION_IDLE_HOURS: z.coerce.number().positive().optional(),
  PUBLIC_ORIGINS: z.string().optional(),
  CHROMIUM_PATH: z.string().min(1).optional(),
})

/**
 * Reads the configuration from environment variables. Relative paths are taken from the
 * directory the command was started in. Invalid values stop the server with a clear message.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = env.INIT_CWD ?? process.cwd()): ServerConfig {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: ${problems}`)
  }
  const e = parsed.data
  const c = defaultConfig
  return {
    ...c,
    port: e.PORT ?? c.port,
    host: e.HOST ?? c.host,
    dataDir: e.DATA_DIR ? path.resolve(cwd, e.DATA_DIR) : c.dataDir,
    synchronous: e.SQLITE_SYNCHRONOUS ?? c.synchronous,
    staticDir: e.STATIC_DIR ? path.resolve(cwd, e.STATIC_DIR) : c.staticDir,
    logLevel: e.LOG_LEVEL ?? c.logLevel,
    collab: {
      ...c.collab,
      maxMessageBytes: e.MAX_MESSAGE_BYTES ?? c.collab.maxMessageBytes,
      unloadGraceMs: e.ROOM_UNLOAD_GRACE_MS ?? c.collab.unloadGraceMs,
      compactMaxRows: e.COMPACT_MAX_ROWS ?? c.collab.compactMaxRows,
      compactMaxBytes: e.COMPACT_MAX_BYTES ?? c.collab.compactMaxBytes,
    },
    export: { ...c.export, chromiumPath: e.CHROMIUM_PATH ? path.resolve(cwd, e.CHROMIUM_PATH) : c.export.chromiumPath },
    auth: {
      ...c.auth,
      demo: e.DEMO === '1' || e.DEMO === 'true',
      adminEmail: e.ADMIN_EMAIL ?? c.auth.adminEmail,
      sessionIdleTtlMs: e.SESSION_IDLE_HOURS ? e.SESSION_IDLE_HOURS * HOUR : c.auth.sessionIdleTtlMs,
      extraOrigins: (e.PUBLIC_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
  }
}
