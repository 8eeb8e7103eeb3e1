import fs from 'node:fs'
import path from 'node:path'
import { defaultConfig, type LeverServer } from '@lever/server'
import { type TestDatabase, testDatabase } from '@lever/server/testing/databases'
import type { PlanSummary } from '@lever/shared'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced } from '../support/clients.ts'
import {
  addPerson,
  apiCaller,
  createPlan,
  DEMO_PASSWORD,
  FACILITATOR,
  lead,
  signIn,
  startServer,
  tempDir,
  wsUrl,
} from '../support/server.ts'

/**
 * With DATABASE_URL, everything lives in PostgreSQL: two servers with data folders of their own
 * share people, plans, sessions, the library and search, and neither writes a SQLite database.
 */
describe('DATABASE_URL: every table in PostgreSQL', () => {
  let database: TestDatabase | undefined
  const servers: LeverServer[] = []
  const folders = [tempDir(), tempDir()]

  beforeAll(async () => {
    database = await testDatabase({ migrated: false })
    // One after the other: the first migrates and seeds, the second finds it done.
    for (const dataDir of folders) servers.push(await startServer({ dataDir, databaseUrl: database.url }))
  }, 120_000)

  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.close()))
    await database?.drop()
    for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true })
  }, 60_000)

  it('shares what one server writes with another that has its own data folder', async () => {
    const [one, two] = servers as [LeverServer, LeverServer]
    const facilitator = await signIn(one, FACILITATOR)
    const plan = await createPlan(one, {
      jurisdictionId: 'boulder-co',
      title: 'Quarry apprenticeship plan',
      token: facilitator,
    })
    await addPerson(one, {
      email: 'new.lead@boulder.example',
      name: 'New Lead',
      role: 'member',
      jurisdictionId: 'boulder-co',
    })
    const api = apiCaller(one)
    const session = await api(facilitator, 'POST', '/sessions', {
      title: 'Procurement standards clinic',
      startsAt: '2027-01-12T17:00:00Z',
    })
    expect(session.status).toBe(201)

    // The person invited on one server signs in on the other; the plan and the session are there.
    const member = await signIn(two, 'new.lead@boulder.example')
    const onTwo = apiCaller(two)
    const { plans } = (await (await onTwo(member, 'GET', '/jurisdictions/boulder-co/plans')).json()) as {
      plans: PlanSummary[]
    }
    expect(plans.map((p) => p.id)).toContain(plan.id)
    const sessions = (await (await onTwo(member, 'GET', '/sessions')).json()) as unknown
    expect(JSON.stringify(sessions)).toContain('Procurement standards clinic')
    // Search on the other server finds the plan by its title (indexed by the server that opens
    // it), and the session by its title (indexed by the database).
    const editor = connectClient(wsUrl(one), plan.docName, { params: { token: facilitator } })
    await synced(editor)
    editor.destroy()
    await expect
      .poll(async () => JSON.stringify(await (await onTwo(member, 'GET', '/search?q=quarry')).json()), {
        timeout: 15_000,
      })
      .toContain('Quarry apprenticeship plan')
    expect(JSON.stringify(await (await onTwo(member, 'GET', '/search?q=clinic')).json())).toContain(
      'Procurement standards clinic',
    )

    // The rows are PostgreSQL's.
    const client = new pg.Client({ connectionString: database?.url })
    await client.connect()
    try {
      const people = await client.query('SELECT name FROM users WHERE email = $1', ['new.lead@boulder.example'])
      expect(people.rows).toEqual([{ name: 'New Lead' }])
      const stored = await client.query('SELECT title FROM plans WHERE id = $1', [plan.id])
      expect(stored.rows).toEqual([{ title: 'Quarry apprenticeship plan' }])
    } finally {
      await client.end()
    }
  })

  it('counts failed sign-ins on one server against attempts on the other', async () => {
    // Two more servers on the same database that believe X-Forwarded-For (as behind a load
    // balancer), with waits long enough that none passes during the test on a slow machine.
    const [a, b] = (await Promise.all(
      [tempDir(), tempDir()].map((dataDir) =>
        startServer({
          dataDir,
          databaseUrl: database?.url,
          trustProxy: 1,
          auth: { throttle: { ...defaultConfig.auth.throttle, firstDelayMs: 10 * 60_000 } },
        }),
      ),
    )) as [LeverServer, LeverServer]
    try {
      const attempt = (server: LeverServer, password: string) =>
        fetch(`${server.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
          body: JSON.stringify({ email: lead('tulsa-ok'), password }),
        })
      const free = defaultConfig.auth.throttle.freeFailures['account-address']
      // The free failures of this account from this address, taken on both servers in turn…
      for (let i = 0; i < free; i++) {
        expect((await attempt(i % 2 === 0 ? a : b, `guess ${i}`)).status).toBe(401)
      }
      // …one more on the first sets a wait, which the second server keeps, right password or not.
      expect((await attempt(a, 'one guess too many')).status).toBe(401)
      const refused = await attempt(b, DEMO_PASSWORD)
      expect(refused.status).toBe(429)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
      expect((await attempt(a, DEMO_PASSWORD)).status).toBe(429)
      // From another address, the owner signs in on either.
      const owner = await fetch(`${b.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' },
        body: JSON.stringify({ email: lead('tulsa-ok'), password: DEMO_PASSWORD }),
      })
      expect(owner.status).toBe(200)
    } finally {
      await Promise.allSettled([a.close(), b.close()])
    }
  })

  it('writes no SQLite database into either data folder', () => {
    for (const dir of folders) {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir) : []
      expect(
        files.filter((f) => f.startsWith('lever.db')),
        path.basename(dir),
      ).toEqual([])
    }
  })
})
