import type { LeverServer } from '@lever/server'
import type { TestRedis } from '@lever/server/testing'
import { type TestServices, testServices } from '@lever/server/testing/databases'
import { PlanModel } from '@lever/shared'
import * as prng from 'lib0/prng'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, converged, snapshotOf, synced, type TestClient } from '../support/clients.ts'
import { randomEdit } from '../support/randomEdits.ts'
import { createPlan, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/** Set LEVER_SEED to replay a failing run. */
const seed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))

/** Two Lever servers on one PostgreSQL and one Redis (and, on this one machine, one SQLite file). */
describe('several servers: PostgreSQL for documents, Redis for fan-out', () => {
  let services: TestServices | undefined
  let redis: TestRedis | undefined
  const servers: LeverServer[] = []
  const clients: TestClient[] = []

  beforeAll(async () => {
    // Both assigned whatever happens to the other, so that afterAll stops what did start.
    services = await testServices()
    redis = services.redis
    const shared = { databaseUrl: services.databaseUrl, redisUrl: redis.url, metrics: { port: 0 } }
    // Data folders of their own (everything shared is in PostgreSQL), one after the other: the
    // first migrates and seeds, the second finds it done.
    servers.push(await startServer({ ...shared, dataDir: tempDir() }))
    servers.push(await startServer({ ...shared, dataDir: tempDir() }))
  }, 120_000)

  afterAll(async () => {
    for (const c of clients) c.destroy()
    await Promise.allSettled(servers.map((s) => s.close()))
    await services?.stop()
  }, 60_000)

  function clientOn(server: LeverServer, docName: string, token: string): TestClient {
    const client = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(client)
    return client
  }

  async function editRounds(gen: prng.PRNG, editors: TestClient[], rounds: number): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      for (const c of editors) {
        const edits = prng.int32(gen, 1, 4)
        for (let i = 0; i < edits; i++) randomEdit(gen, c.doc)
      }
      await new Promise((r) => setTimeout(r, prng.int32(gen, 0, 20)))
    }
  }

  it('clients on different servers co-edit one plan and converge, and see each other', async () => {
    console.info(`multi-server convergence seed: ${seed} (LEVER_SEED=${seed} to replay)`)
    const [one, two] = servers as [LeverServer, LeverServer]
    const token = await signIn(one)
    const plan = await createPlan(one, { token, title: 'Across servers' })
    const editors = [clientOn(one, plan.docName, token), clientOn(one, plan.docName, token)]
    editors.push(clientOn(two, plan.docName, token), clientOn(two, plan.docName, token))
    await Promise.all(editors.map((c) => synced(c)))

    await editRounds(prng.create(seed), editors, 30)
    await converged(
      editors.map((c) => c.doc),
      30_000,
    )

    // What both servers converged on is what PostgreSQL holds.
    const stored = new Y.Doc()
    for (const u of (await two.store.load(plan.docName)).updates) Y.applyUpdate(stored, u)
    expect(snapshotOf(stored)).toEqual(snapshotOf(editors[0]?.doc as Y.Doc))

    // Presence travels too: a person on the first server appears to one on the second.
    editors[0]?.provider.awareness.setLocalStateField('note', { at: 'across-servers' })
    await waitFor(
      () =>
        [...(editors[3]?.provider.awareness.getStates().values() ?? [])].some(
          (s) => (s.note as { at?: string } | undefined)?.at === 'across-servers',
        ),
      { timeoutMs: 15_000, message: 'presence from the other server' },
    )

    // The second server applied the first's changes as a peer's: counted, not stored again.
    const metrics = await (await fetch(two.metricsUrl as string)).text()
    expect(metrics).toMatch(/^lever_updates_total\{origin="peer"\} [1-9]/m)
    for (const c of editors) c.destroy()
  })

  it('a template open on both servers goes up one version per change, counted by the server that stored it', async () => {
    const [one, two] = servers as [LeverServer, LeverServer]
    const token = await signIn(one)
    const template = await one.templates.create({ kind: 'plan', title: 'Template across servers' })
    const onOne = clientOn(one, template.docName, token)
    const onTwo = clientOn(two, template.docName, token)
    await Promise.all([synced(onOne), synced(onTwo)])
    // Whatever opening it wrote is counted on both servers.
    const settled = async () => {
      await Promise.all([one.templates.versionOf(template.id), two.templates.versionOf(template.id)])
      return (await one.templates.get(template.id))?.version as number
    }
    const before = await settled()

    new PlanModel(onOne.doc).setTitle('Wage floor template, revised')
    // The second server has relayed the change to its client, so its hooks have seen it.
    await converged([onOne.doc, onTwo.doc])
    expect(new PlanModel(onTwo.doc).title).toBe('Wage floor template, revised')
    expect(await settled()).toBe(before + 1)
    expect((await two.templates.get(template.id))?.title).toBe('Wage floor template, revised')
    onOne.destroy()
    onTwo.destroy()
  })

  it('everyone still converges when Redis restarts in the middle of a session', async () => {
    const [one, two] = servers as [LeverServer, LeverServer]
    const token = await signIn(two)
    const plan = await createPlan(two, { token, title: 'Redis restarts' })
    const editors = [clientOn(one, plan.docName, token), clientOn(two, plan.docName, token)]
    editors.push(clientOn(two, plan.docName, token))
    await Promise.all(editors.map((c) => synced(c)))
    const gen = prng.create(seed + 1)

    await editRounds(gen, editors, 10)
    await converged(
      editors.map((c) => c.doc),
      30_000,
    )

    await redis?.kill()
    // While Redis is away only the first server's client writes: the second server has no write
    // of its own to notice a gap by, so only catching up when Redis returns brings these over.
    await editRounds(gen, editors.slice(0, 1), 10)
    editors[0]?.doc.getMap('map').set('outage', 'written while Redis was down')
    await waitFor(
      async () => {
        const stored = new Y.Doc()
        for (const u of (await one.store.load(plan.docName)).updates) Y.applyUpdate(stored, u)
        return stored.getMap('map').get('outage') === 'written while Redis was down'
      },
      { message: 'the outage edits to be stored' },
    )
    expect(editors[2]?.doc.getMap('map').get('outage')).toBeUndefined()
    await redis?.restart()
    await converged(
      editors.map((c) => c.doc),
      45_000,
    )
    expect(editors[2]?.doc.getMap('map').get('outage')).toBe('written while Redis was down')

    // And the session goes on as before.
    await editRounds(gen, editors, 10)
    await converged(
      editors.map((c) => c.doc),
      45_000,
    )
    for (const c of editors) c.destroy()
  })
})
