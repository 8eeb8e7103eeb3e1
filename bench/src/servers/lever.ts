import path from 'node:path'
import { LEVER_SERVER_DIR } from '../paths.ts'
import { readStoredSize } from './readStoredSize.ts'
import { jsonLineUrl, spawnNodeProcess } from './spawnProcess.ts'
import type { ServerDriver, ServerUnderTest, StartOptions } from './types.ts'

/**
 * Lever as it ships: its real entry point (`server/src/main.ts`) in its own process, SQLite with
 * `SQLITE_SYNCHRONOUS` left at its default (FULL). The API it offers is still growing, so this
 * module adapts: it signs in when `/api/auth/login` exists and creates plans through the REST API
 * when that route exists, and the rest of the harness never needs to know.
 */

const JURISDICTION = 'boulder-co'
const DEMO_LOGIN = { email: 'facilitator@demo.test', password: 'demo-password' }

export const leverDriver: ServerDriver = {
  kind: 'lever',
  persistent: true,
  start: startLever,
  storedSize: (dataDir, docName) =>
    readStoredSize(
      path.join(dataDir, 'lever.db'),
      'SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM doc_updates WHERE doc_name = ?',
      docName,
    ),
}

async function startLever(options: StartOptions): Promise<ServerUnderTest> {
  const proc = await spawnNodeProcess({
    label: 'Lever',
    args: ['--import', 'tsx', 'src/main.ts'],
    cwd: LEVER_SERVER_DIR,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      LOG_LEVEL: 'info',
      DEMO: '1',
      // pnpm sets INIT_CWD; Lever resolves relative paths from it. Ours are absolute.
      INIT_CWD: '',
      ...options.env,
    },
    readyWhen: (line) => jsonLineUrl(line, 'Lever is listening'),
  })
  const httpUrl = proc.url
  let token: string | null
  try {
    token = await signIn(httpUrl)
  } catch (error) {
    await proc.kill()
    throw error
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers.authorization = `Bearer ${token}`
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
    kind: 'lever',
    pid: proc.pid,
    target: {
      protocol: 'y-websocket',
      url: `${httpUrl.replace(/^http/, 'ws')}/collab`,
      params: token ? { token } : {},
      seedPlans: false,
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
  }
}

/** Signs in as the demo facilitator; null while the server has no sign-in yet (404). */
async function signIn(httpUrl: string): Promise<string | null> {
  const res = await fetch(`${httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_LOGIN),
  })
  if (res.status === 404) return null
  if (res.status !== 200) throw new Error(`signing in to Lever failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { token?: unknown }
  if (typeof body.token !== 'string') throw new Error('signing in to Lever returned no token')
  return body.token
}
