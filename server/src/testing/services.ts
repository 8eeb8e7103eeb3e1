import { execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

/**
 * Real PostgreSQL and Redis servers for tests, each on a temporary folder and a Unix socket of its
 * own, stopped (and their folders removed) by `stop()`. Missing programs are an error that says
 * what to install, never a silent skip: `.ci/run` installs them from Debian's packages.
 */

const run = promisify(execFile)

export interface TestPostgres {
  /** `postgres://…` for the server's superuser `lever` and database `postgres`, over the socket. */
  url: string
  /** Process id of the postmaster (its backends are its children), while it runs. */
  pid(): number | null
  stop(): Promise<void>
}

export interface TestRedis {
  /** `redis+unix:`-style path of its socket (for ioredis: `{ path }`). */
  socket: string
  /** `redis://` URL understood by Lever's REDIS_URL (`unix://` form). */
  url: string
  /** Process id of the running server, if it runs. */
  pid(): number | null
  /** Stops the server (its folder stays until `stop`); `restart` starts it again on the same socket. */
  kill(): Promise<void>
  restart(): Promise<void>
  stop(): Promise<void>
}

function isRoot(): boolean {
  return process.getuid?.() === 0
}

/** Runs a PostgreSQL program, as the `postgres` user when the tests run as root (initdb refuses root). */
async function runPg(bin: string, args: string[]): Promise<void> {
  if (isRoot()) await run('runuser', ['-u', 'postgres', '--', bin, ...args])
  else await run(bin, args)
}

/** The directory of `initdb` and `pg_ctl` (Debian keeps them out of PATH). */
export function postgresBinDir(): string {
  const debian = '/usr/lib/postgresql'
  const versions = fs.existsSync(debian)
    ? fs
        .readdirSync(debian)
        .filter((v) => fs.existsSync(path.join(debian, v, 'bin', 'pg_ctl')))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (versions[0]) return path.join(debian, versions[0], 'bin')
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'pg_ctl')) && fs.existsSync(path.join(dir, 'initdb'))) return dir
  }
  throw new Error(
    'PostgreSQL is not installed (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or PATH): ' +
      'install Debian\'s "postgresql" package (.ci/run does)',
  )
}

/** The `postgres://` URL of the superuser's `postgres` database of a cluster started in `root`. */
export function testPostgresUrl(root: string): string {
  return `postgres://lever@${encodeURIComponent(path.join(root, 'sock'))}/postgres`
}

/** The same server's URL for another database (`name` is one of Lever's own, no quoting needed). */
export function databaseUrl(serverUrl: string, name: string): string {
  return serverUrl.replace(/\/postgres$/, `/${name}`)
}

/**
 * Starts a new PostgreSQL cluster in a temporary folder (or in `root`, an empty folder the caller
 * made, whose URL `testPostgresUrl(root)` knows beforehand), listening only on a Unix socket there.
 * `maxConnections` and `quickCopies` are for a cluster many test files share at once, each test
 * on a database of its own copied from a template.
 */
export async function startTestPostgres({
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-pg-')),
  maxConnections = 50,
  quickCopies = false,
}: {
  root?: string
  maxConnections?: number
  quickCopies?: boolean
} = {}): Promise<TestPostgres> {
  const bin = postgresBinDir()
  const dataDir = path.join(root, 'data')
  const socketDir = path.join(root, 'sock')
  const logFile = path.join(root, 'server.log')
  fs.mkdirSync(socketDir)
  if (isRoot()) await run('chown', ['-R', 'postgres:postgres', root])
  const pgCtl = path.join(bin, 'pg_ctl')
  let started = false
  const stop = async () => {
    if (started) {
      started = false
      await runPg(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {})
    }
    fs.rmSync(root, { recursive: true, force: true })
  }
  try {
    await runPg(path.join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'lever',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ])
    // Without WAL for replication or torn pages, creating a database from a template is several times faster.
    const quick = quickCopies ? ' -c wal_level=minimal -c max_wal_senders=0 -c full_page_writes=off' : ''
    // No TCP at all: the socket in the test's folder is the only way in. fsync is off because the
    // machine's crash safety is not what these tests check (PostgreSQL's commit semantics are).
    const options = `-k ${socketDir} -c listen_addresses= -c fsync=off -c max_connections=${maxConnections}${quick}`
    started = true
    await runPg(pgCtl, ['-D', dataDir, '-l', logFile, '-o', options, '-w', '-t', '60', 'start'])
  } catch (error) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : ''
    await stop()
    throw new Error(`starting PostgreSQL failed: ${String(error)}\n${log}`)
  }
  // postmaster.pid's first line is the postmaster's process id.
  const pid = () => {
    if (!started) return null
    const first = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]
    const n = Number(first)
    return Number.isInteger(n) && n > 0 ? n : null
  }
  return { url: testPostgresUrl(root), pid, stop }
}

/** The path of `redis-server`. */
export function redisServerPath(): string {
  for (const dir of ['/usr/bin', '/usr/local/bin', ...(process.env.PATH ?? '').split(path.delimiter)]) {
    if (dir && fs.existsSync(path.join(dir, 'redis-server'))) return path.join(dir, 'redis-server')
  }
  throw new Error('Redis is not installed (no redis-server): install Debian\'s "redis-server" package (.ci/run does)')
}

/** Starts a Redis server with no TCP port and no persistence, on a socket in a temporary folder. */
export async function startTestRedis(): Promise<TestRedis> {
  const server = redisServerPath()
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-redis-'))
  const socket = path.join(root, 'redis.sock')
  let child: ReturnType<typeof spawn> | null = null
  let output = ''

  const start = async () => {
    output = ''
    const proc = spawn(
      server,
      ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', root],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    child = proc
    proc.stdout?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-4000)
    })
    proc.stderr?.on('data', (d: Buffer) => {
      output = (output + d.toString()).slice(-4000)
    })
    const deadline = Date.now() + 30_000
    while (!/ready to accept connections/i.test(output)) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL')
        throw new Error(`starting redis-server failed:\n${output}`)
      }
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const kill = async () => {
    const proc = child
    child = null
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    proc.kill('SIGKILL')
    await exited
    fs.rmSync(socket, { force: true })
  }
  try {
    await start()
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true })
    throw error
  }
  return {
    socket,
    url: `unix://${socket}`,
    pid: () => (child && child.exitCode === null ? (child.pid ?? null) : null),
    kill,
    restart: start,
    async stop() {
      await kill()
      fs.rmSync(root, { recursive: true, force: true })
    },
  }
}

/** PostgreSQL and Redis together, for several Lever servers; `stop()` stops both. */
export interface TestServices {
  postgres: TestPostgres
  redis: TestRedis
  stop(): Promise<void>
}

/**
 * Starts two services at once. If either fails, the one that started is stopped again and the
 * error thrown, so a test's cleanup never has half a pair to stop.
 */
export async function startPair<A, B>(
  first: { start: () => Promise<A>; stop: (a: A) => Promise<unknown> },
  second: { start: () => Promise<B>; stop: (b: B) => Promise<unknown> },
): Promise<{ a: A; b: B; stop(): Promise<void> }> {
  const [a, b] = await Promise.allSettled([first.start(), second.start()])
  if (a.status === 'rejected' || b.status === 'rejected') {
    await Promise.allSettled([
      a.status === 'fulfilled' ? first.stop(a.value) : null,
      b.status === 'fulfilled' ? second.stop(b.value) : null,
    ])
    throw a.status === 'rejected' ? a.reason : (b as PromiseRejectedResult).reason
  }
  return {
    a: a.value,
    b: b.value,
    async stop() {
      await Promise.allSettled([first.stop(a.value), second.stop(b.value)])
    },
  }
}

/** Starts PostgreSQL and Redis at once (see `startPair`). */
export async function startTestServices(): Promise<TestServices> {
  const pair = await startPair(
    { start: startTestPostgres, stop: (postgres) => postgres.stop() },
    { start: startTestRedis, stop: (redis) => redis.stop() },
  )
  return { postgres: pair.a, redis: pair.b, stop: pair.stop }
}
