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
  }
  http: {
    maxBodyBytes: number
  }
}

const MiB = 1024 * 1024

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
  },
  http: {
    maxBodyBytes: 256 * 1024,
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
  }
}
