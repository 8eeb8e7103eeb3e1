import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { SignInThrottleOptions } from './auth/SignInThrottle.ts'
import { type ConnectionLimitsConfig, DEFAULT_CONNECTION_LIMITS } from './collab/ConnectionLimits.ts'
import { DEFAULT_WORK_BUDGET, type WorkBudgetConfig } from './collab/WorkBudgets.ts'
import type { SynchronousMode } from './db/openDatabase.ts'
import { DEFAULT_MAX_VERSION_BYTES_PER_PLAN } from './versions/retention.ts'

/** The repository root (server/src/config.ts → ../..). */
/**
 * The repository's root. This module runs from `server/src/` (through tsx) or bundled into
 * `server/dist/` (`pnpm start`, see `scripts/build.mjs`): both two levels below the root.
 */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The server's sources: data files kept beside them are read from here in both cases. */
export const SERVER_SRC = path.join(REPO_ROOT, 'server', 'src')

export interface ServerConfig {
  port: number
  host: string
  /** Directory of the SQLite database (and uploads); `:memory:` keeps everything in memory (tests). */
  dataDir: string
  /** `sqlite` (default) or `memory` (tests that need no file). */
  store: 'sqlite' | 'memory'
  /**
   * `DATABASE_URL` (`postgres://…`): every table (documents and the rest) is in PostgreSQL, shared
   * by every server given the same URL, and no SQLite database is opened; null: SQLite (or memory)
   * as `store` says.
   */
  databaseUrl: string | null
  /**
   * `REDIS_URL` (`redis://…`, `rediss://…` or `unix:///path/to/redis.sock`): changes and presence
   * travel to the other servers through Redis. Needs `databaseUrl` (the shared log is the truth).
   */
  redisUrl: string | null
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
    /** How long after a plan changes its dashboard figures are recomputed. */
    figuresDebounceMs: number
    /** Token buckets per connection (updates, presence, sync requests); past them: SlowDown. */
    limits: ConnectionLimitsConfig
    /**
     * Each person's share of the server's main thread (milliseconds of message handling per
     * second, and a burst), across all their connections; past it: SlowDown. Facilitators are
     * not limited.
     */
    workBudget: WorkBudgetConfig
    /**
     * A document's stored size past which an update that adds to it is refused with
     * DocumentTooLarge (a plan is typically well under 1 MB).
     */
    maxDocumentBytes: number
    /**
     * Connections one signed-in person may hold open at once, to this server and to one document;
     * one more is closed with TooManyConnections.
     */
    maxConnectionsPerPerson: { server: number; document: number }
    /**
     * The document layout a client must write, per document kind (defaults: `DOC_LAYOUT_VERSIONS`
     * of this build). A client that says it is older is closed with ReloadRequired.
     */
    layoutVersions?: Partial<Record<string, number>>
  }
  http: {
    maxBodyBytes: number
  }
  /** Version history: when automatic versions are taken, how they are thinned with age, and how much one plan keeps. */
  versions: {
    idleMs: number
    maxIntervalMs: number
    keepAllMs: number
    keepDailyMs: number
    /**
     * Stored (compressed) bytes of versions one plan may hold (`VERSIONS_MAX_BYTES_PER_PLAN`): past
     * it the oldest automatic versions make room; if that is not enough, named versions and
     * restores are refused (507) and automatic ones skipped.
     */
    maxBytesPerPlan: number
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
    /**
     * Seed a demo worth opening (DEMO=1): second team members, plans in progress for the coach's
     * jurisdictions, sessions relative to today. Off in tests unless they ask for it.
     */
    demoContent: boolean
    /** The facilitator created on an empty database (it gets a one-time sign-in link). */
    adminEmail: string
    sessionIdleTtlMs: number
    sessionMaxAgeMs: number
    inviteTtlMs: number
    /** scrypt cost factor N (a power of two). */
    scryptN: number
    /** Growing delays after failed sign-ins (see `SignInThrottle`). */
    throttle: SignInThrottleOptions
    /** How long a browser that signed in stays trusted for its person's sign-ins. */
    trustedDeviceTtlMs: number
    /** Origins besides the public one that may send cookie-authenticated requests. */
    extraOrigins: string[]
  }
  /**
   * The address people use to reach Lever (`PUBLIC_URL`, e.g. `https://lever.example.org`):
   * requests and WebSocket upgrades from browsers must come from its origin, and links are made
   * with it. Unset: the origins of the address the server listens on.
   */
  publicUrl?: string
  /**
   * Proxies in front of the server (`TRUST_PROXY`): 0 takes the client's address from the socket;
   * n > 0 takes the n-th address from the right of X-Forwarded-For (set by those proxies).
   */
  trustProxy: number
  /** SQLite backups (`pnpm backup`, and on a schedule when `intervalMs` is set). */
  backup: {
    /** Folder of backups; null: `<dataDir>/backups`. */
    dir: string | null
    /** How many backups to keep (the oldest are deleted). */
    keep: number
    /** Take a backup this often while the server runs; null: only when asked (`pnpm backup`). */
    intervalMs: number | null
  }
  /** The library: uploaded resource files and the program's evidence entries. */
  library: {
    /** Largest uploaded file (`UPLOAD_MAX_BYTES`); larger ones get a 413 and nothing is written. */
    uploadMaxBytes: number
    /** Folder of uploaded files; null: `<dataDir>/uploads`. */
    uploadDir: string | null
    /** The evidence data file loaded at startup; null: the one in the repository. */
    evidenceSeedFile: string | null
  }
  /** On SIGTERM, how long to answer "not ready" (so a load balancer moves traffic) before closing. */
  shutdownDrainMs: number
  /**
   * At close, how long HTTP requests already being answered may take to finish before the
   * database closes under them (`SHUTDOWN_REQUEST_GRACE_MS`); new connections are refused meanwhile.
   */
  shutdownRequestGraceMs: number
  /** Prometheus metrics (`GET /metrics`) on a port of their own, never on the public one. */
  metrics: {
    /** `METRICS_PORT`; null: no metrics are served (0: any free port, for tests). */
    port: number | null
    /** `METRICS_HOST`: the address the metrics port listens on (only this machine by default). */
    host: string
  }
  mail: {
    /** `smtp://user:pass@host:port` (or `smtps://`); null: no email is sent and the app works as without. */
    smtpUrl: string | null
    /** The sender of Lever's emails. */
    from: string
    /** The address people use to reach Lever, for links in emails (defaults to the server's own URL). */
    publicUrl: string | null
    /** How often the daily digest looks for people who are due one. */
    digestCheckMs: number
  }
}

const MiB = 1024 * 1024
const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

export const defaultConfig: ServerConfig = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: path.join(REPO_ROOT, 'data'),
  store: 'sqlite',
  databaseUrl: null,
  redisUrl: null,
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
    figuresDebounceMs: 1000,
    limits: DEFAULT_CONNECTION_LIMITS,
    workBudget: DEFAULT_WORK_BUDGET,
    maxDocumentBytes: 32 * MiB,
    maxConnectionsPerPerson: { server: 100, document: 12 },
  },
  http: {
    maxBodyBytes: 256 * 1024,
  },
  versions: {
    idleMs: 3 * MINUTE,
    maxIntervalMs: 30 * MINUTE,
    keepAllMs: 14 * DAY,
    keepDailyMs: 90 * DAY,
    maxBytesPerPlan: DEFAULT_MAX_VERSION_BYTES_PER_PLAN,
  },
  export: {
    chromiumPath: '/usr/bin/chromium',
    pdfIdleMs: 60_000,
  },
  auth: {
    demo: false,
    demoContent: false,
    adminEmail: 'facilitator@lever.local',
    sessionIdleTtlMs: 12 * HOUR,
    sessionMaxAgeMs: 7 * 24 * HOUR,
    inviteTtlMs: 7 * 24 * HOUR,
    scryptN: 2 ** 15,
    throttle: {
      freeFailures: { 'account-address': 5, address: 20, device: 10 },
      firstDelayMs: 1000,
      maxDelayMs: 15 * 60 * 1000,
      forgetAfterMs: 24 * HOUR,
    },
    trustedDeviceTtlMs: 180 * 24 * HOUR,
    extraOrigins: [],
  },
  trustProxy: 0,
  library: { uploadMaxBytes: 10 * MiB, uploadDir: null, evidenceSeedFile: null },
  backup: { dir: null, keep: 14, intervalMs: null },
  shutdownDrainMs: 0,
  shutdownRequestGraceMs: 5000,
  metrics: { port: null, host: '127.0.0.1' },
  mail: {
    smtpUrl: null,
    from: 'Lever <lever@localhost>',
    publicUrl: null,
    digestCheckMs: HOUR,
  },
}

const UNIT_MS = { s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR } as const

/** `30m`, `6h`, `1d` in milliseconds (the format is checked by the schema). */
function durationMs(text: string): number {
  const unit = text.at(-1) as keyof typeof UNIT_MS
  return Number(text.slice(0, -1)) * UNIT_MS[unit]
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
  MAX_DOCUMENT_BYTES: intFrom(64 * 1024).optional(),
  MAX_CONNECTIONS_PER_PERSON: intFrom(1).optional(),
  MAX_CONNECTIONS_PER_PERSON_PER_DOCUMENT: intFrom(1).optional(),
  ROOM_UNLOAD_GRACE_MS: intFrom(0).optional(),
  COMPACT_MAX_ROWS: intFrom(1).optional(),
  COMPACT_MAX_BYTES: intFrom(1).optional(),
  FIGURES_DEBOUNCE_MS: intFrom(0).optional(),
  COLLAB_RATE_LIMITS: z.string().optional(),
  DEMO: z.enum(['0', '1', 'true', 'false', '']).optional(),
  ADMIN_EMAIL: z.email().optional(),
  SESSION_IDLE_HOURS: z.coerce.number().positive().optional(),
  PUBLIC_ORIGINS: z.string().optional(),
  TRUST_PROXY: intFrom(0).max(10).optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_KEEP: intFrom(1).optional(),
  BACKUP_INTERVAL: z
    .string()
    .regex(/^\d+(s|m|h|d)$/, 'BACKUP_INTERVAL is a number and a unit: 30m, 6h, 1d')
    .optional(),
  SHUTDOWN_DRAIN_MS: intFrom(0).optional(),
  SHUTDOWN_REQUEST_GRACE_MS: intFrom(0).optional(),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
    .optional(),
  REDIS_URL: z
    .url({ protocol: /^(rediss?|unix)$/, error: 'REDIS_URL must be a redis://, rediss:// or unix:// URL' })
    .optional(),
  METRICS_PORT: intFrom(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'SMTP_URL must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z.string().min(3).optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http:// or https:// URL' }).optional(),
  VERSIONS_IDLE_MINUTES: z.coerce.number().positive().optional(),
  VERSIONS_MAX_INTERVAL_MINUTES: z.coerce.number().positive().optional(),
  VERSIONS_KEEP_ALL_DAYS: z.coerce.number().nonnegative().optional(),
  VERSIONS_KEEP_DAILY_DAYS: z.coerce.number().nonnegative().optional(),
  VERSIONS_MAX_BYTES_PER_PLAN: intFrom(MiB).optional(),
  CHROMIUM_PATH: z.string().min(1).optional(),
  UPLOAD_MAX_BYTES: intFrom(1024)
    .max(1024 * MiB)
    .optional(),
  UPLOAD_DIR: z.string().min(1).optional(),
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
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new Error('Invalid configuration: REDIS_URL: needs DATABASE_URL (servers share documents through PostgreSQL)')
  }
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === (e.PORT ?? c.port)) {
    throw new Error('Invalid configuration: METRICS_PORT: must differ from PORT (metrics are not served publicly)')
  }
  return {
    ...c,
    port: e.PORT ?? c.port,
    host: e.HOST ?? c.host,
    dataDir: e.DATA_DIR ? path.resolve(cwd, e.DATA_DIR) : c.dataDir,
    synchronous: e.SQLITE_SYNCHRONOUS ?? c.synchronous,
    databaseUrl: e.DATABASE_URL ?? null,
    redisUrl: e.REDIS_URL ?? null,
    staticDir: e.STATIC_DIR ? path.resolve(cwd, e.STATIC_DIR) : c.staticDir,
    logLevel: e.LOG_LEVEL ?? c.logLevel,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY ?? c.trustProxy,
    collab: {
      ...c.collab,
      maxMessageBytes: e.MAX_MESSAGE_BYTES ?? c.collab.maxMessageBytes,
      maxDocumentBytes: e.MAX_DOCUMENT_BYTES ?? c.collab.maxDocumentBytes,
      unloadGraceMs: e.ROOM_UNLOAD_GRACE_MS ?? c.collab.unloadGraceMs,
      compactMaxRows: e.COMPACT_MAX_ROWS ?? c.collab.compactMaxRows,
      compactMaxBytes: e.COMPACT_MAX_BYTES ?? c.collab.compactMaxBytes,
      figuresDebounceMs: e.FIGURES_DEBOUNCE_MS ?? c.collab.figuresDebounceMs,
      limits: e.COLLAB_RATE_LIMITS ? parseRateLimits(e.COLLAB_RATE_LIMITS, c.collab.limits) : c.collab.limits,
      maxConnectionsPerPerson: {
        server: e.MAX_CONNECTIONS_PER_PERSON ?? c.collab.maxConnectionsPerPerson.server,
        document: e.MAX_CONNECTIONS_PER_PERSON_PER_DOCUMENT ?? c.collab.maxConnectionsPerPerson.document,
      },
    },
    versions: {
      idleMs: e.VERSIONS_IDLE_MINUTES ? e.VERSIONS_IDLE_MINUTES * MINUTE : c.versions.idleMs,
      maxIntervalMs: e.VERSIONS_MAX_INTERVAL_MINUTES
        ? e.VERSIONS_MAX_INTERVAL_MINUTES * MINUTE
        : c.versions.maxIntervalMs,
      keepAllMs: e.VERSIONS_KEEP_ALL_DAYS !== undefined ? e.VERSIONS_KEEP_ALL_DAYS * DAY : c.versions.keepAllMs,
      keepDailyMs: e.VERSIONS_KEEP_DAILY_DAYS !== undefined ? e.VERSIONS_KEEP_DAILY_DAYS * DAY : c.versions.keepDailyMs,
      maxBytesPerPlan: e.VERSIONS_MAX_BYTES_PER_PLAN ?? c.versions.maxBytesPerPlan,
    },
    export: { ...c.export, chromiumPath: e.CHROMIUM_PATH ? path.resolve(cwd, e.CHROMIUM_PATH) : c.export.chromiumPath },
    auth: {
      ...c.auth,
      demo: e.DEMO === '1' || e.DEMO === 'true',
      demoContent: e.DEMO === '1' || e.DEMO === 'true',
      adminEmail: e.ADMIN_EMAIL ?? c.auth.adminEmail,
      sessionIdleTtlMs: e.SESSION_IDLE_HOURS ? e.SESSION_IDLE_HOURS * HOUR : c.auth.sessionIdleTtlMs,
      extraOrigins: (e.PUBLIC_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    },
    library: {
      ...c.library,
      uploadMaxBytes: e.UPLOAD_MAX_BYTES ?? c.library.uploadMaxBytes,
      uploadDir: e.UPLOAD_DIR ? path.resolve(cwd, e.UPLOAD_DIR) : null,
    },
    backup: {
      dir: e.BACKUP_DIR ? path.resolve(cwd, e.BACKUP_DIR) : null,
      keep: e.BACKUP_KEEP ?? c.backup.keep,
      intervalMs: e.BACKUP_INTERVAL ? durationMs(e.BACKUP_INTERVAL) : null,
    },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS ?? c.shutdownDrainMs,
    shutdownRequestGraceMs: e.SHUTDOWN_REQUEST_GRACE_MS ?? c.shutdownRequestGraceMs,
    metrics: { port: e.METRICS_PORT ?? null, host: e.METRICS_HOST ?? c.metrics.host },
    mail: {
      ...c.mail,
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM ?? c.mail.from,
      publicUrl: e.PUBLIC_URL ? e.PUBLIC_URL.replace(/\/+$/, '') : null,
    },
  }
}

const rateSchema = z
  .object({
    messagesPerSecond: z.number().positive(),
    messageBurst: z.number().positive(),
    bytesPerSecond: z.number().positive(),
    byteBurst: z.number().positive(),
  })
  .partial()
  .strict()
const limitsSchema = z
  .object({ updates: rateSchema, presence: rateSchema, syncRequests: rateSchema })
  .partial()
  .strict()

/**
 * `COLLAB_RATE_LIMITS`: JSON with the limits to change, e.g.
 * `{"updates":{"messagesPerSecond":200},"syncRequests":{"messageBurst":40}}`; the rest keep
 * their defaults.
 */
export function parseRateLimits(json: string, defaults: ConnectionLimitsConfig): ConnectionLimitsConfig {
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    throw new Error('Invalid configuration: COLLAB_RATE_LIMITS: not JSON')
  }
  const parsed = limitsSchema.safeParse(raw)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new Error(`Invalid configuration: COLLAB_RATE_LIMITS: ${problems}`)
  }
  const p = parsed.data
  return {
    updates: { ...defaults.updates, ...p.updates },
    presence: { ...defaults.presence, ...p.presence },
    syncRequests: { ...defaults.syncRequests, ...p.syncRequests },
  }
}
