import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { baselineServerDir, LEVER_SERVER_DIR } from '../paths.ts'
import { readStoredSize } from './readStoredSize.ts'
import { jsonLineUrl, spawnNodeProcess } from './spawnProcess.ts'
import type { ServerDriver, ServerKind, ServerUnderTest, StartOptions } from './types.ts'

/**
 * Lever as it ships: its real entry point (`server/src/main.ts`, built into `server/dist/` as
 * `pnpm start` does; checkouts from before that build existed run it through tsx) in its own process, SQLite with
 * `SQLITE_SYNCHRONOUS` left at its default (FULL). The API it offers is still growing, so this
 * module adapts: it signs in when `/api/auth/login` exists and creates plans through the REST API
 * when that route exists, and the rest of the harness never needs to know.
 */

const JURISDICTION = 'boulder-co'
const DEMO_LOGIN = { email: 'facilitator@demo.test', password: 'demo-password' }

export const leverDriver: ServerDriver = leverDriverOf('lever', () => LEVER_SERVER_DIR)

/** Lever from another checkout (`BENCH_BASELINE_DIR`), measured the same way. */
export const leverBaselineDriver: ServerDriver = leverDriverOf('lever-baseline', baselineServerDir)

function leverDriverOf(kind: ServerKind, serverDir: () => string): ServerDriver {
  return {
    kind,
    persistent: true,
    storesUpdateLog: true,
    start: (options) => startLever(kind, serverDir(), options),
    storedSize: (dataDir, docName) =>
      readStoredSize(
        path.join(dataDir, 'lever.db'),
        'SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc_name = ?',
        docName,
      ),
  }
}

const untripped = { messagesPerSecond: 1e9, messageBurst: 1e9, bytesPerSecond: 1e12, byteBurst: 1e12 }
const UNTRIPPED_LIMITS = JSON.stringify({ updates: untripped, presence: untripped, syncRequests: untripped })

/** Builds each checkout's server once per benchmark run, as `pnpm start` does. */
const builds = new Map<string, Promise<string[]>>()

/** The Node arguments that start `serverDir`'s Lever the way `pnpm start` does. */
function entryArgs(serverDir: string): Promise<string[]> {
  let args = builds.get(serverDir)
  if (!args) {
    const script = path.join(serverDir, 'scripts', 'build.mjs')
    args = fs.existsSync(script)
      ? promisify(execFile)(process.execPath, [script], { cwd: serverDir }).then(() => [path.join('dist', 'main.js')])
      : Promise.resolve(['--import', 'tsx', 'src/main.ts'])
    builds.set(serverDir, args)
  }
  return args
}

async function startLever(kind: ServerKind, serverDir: string, options: StartOptions): Promise<ServerUnderTest> {
  const proc = await spawnNodeProcess({
    label: kind === 'lever' ? 'Lever' : 'Lever-baseline',
    args: await entryArgs(serverDir),
    cwd: serverDir,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DEMO: '1',
      // pnpm sets INIT_CWD; Lever resolves relative paths from it. Ours are absolute.
      INIT_CWD: '',
      // A benchmark client stands in for many people (a writer offering thousands of updates a
      // second, a builder sending 100,000): the per-connection buckets still run, but never trip.
      COLLAB_RATE_LIMITS: UNTRIPPED_LIMITS,
      // One demo account opens every benchmark connection (500 observers of one document): the
      // per-person counts still run, but never trip.
      MAX_CONNECTIONS_PER_PERSON: '1000000',
      MAX_CONNECTIONS_PER_PERSON_PER_DOCUMENT: '1000000',
      ...options.env,
    },
    readyWhen: (line) => jsonLineUrl(line, 'Lever is listening'),
  })
  const httpUrl = proc.url
  let session: DemoSession | null
  try {
    session = await signIn(httpUrl)
  } catch (error) {
    await proc.kill()
    throw error
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (session) headers.authorization = `Bearer ${session.token}`
  let planRoute = true
  let created = 0

  const createDoc = async (): Promise<string> => {
    const n = ++created
    if (planRoute) {
      const res = await fetch(`${httpUrl}/api/jurisdictions/${JURISDICTION}/plans`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ title: `Benchmark plan ${n}` }),
      })
      if (res.status === 201) return ((await res.json()) as { docName: string }).docName
      if (res.status !== 404) throw new Error(`creating a plan failed: ${res.status} ${await res.text()}`)
      planRoute = false
    }
    return `plan:bench-${process.pid}-${Date.now().toString(36)}-${n}`
  }

  return {
    kind,
    pid: proc.pid,
    recentOutput: proc.recentOutput,
    target: {
      protocol: 'y-websocket',
      url: `${httpUrl.replace(/^http/, 'ws')}/collab`,
      params: session ? { token: session.token } : {},
      seedPlans: false,
      presenceName: session?.name ?? null,
    },
    async createDocs(count) {
      const names: string[] = []
      for (let i = 0; i < count; i++) names.push(await createDoc())
      return names
    },
    async stop() {
      await proc.stop()
    },
    async kill() {
      await proc.kill()
    },
    collectGarbage: () => proc.collectGarbage(),
  }
}

interface DemoSession {
  token: string
  /** The person's name, which their presence (awareness) must carry. */
  name: string | null
}

/** Signs in as the demo facilitator; null while the server has no sign-in yet (404). */
async function signIn(httpUrl: string): Promise<DemoSession | null> {
  const res = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_LOGIN),
  })
  if (res.status === 404) return null
  if (res.status !== 200) throw new Error(`signing in to Lever failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { token?: unknown; user?: { name?: unknown } }
  if (typeof body.token !== 'string') throw new Error('signing in to Lever returned no token')
  return { token: body.token, name: typeof body.user?.name === 'string' ? body.user.name : null }
}
