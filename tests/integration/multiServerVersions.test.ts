import { postgresQueries, VersionStore } from '@lever/server'
import { type TestServices, testServices } from '@lever/server/testing/databases'
import { PlanModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, converged, synced, type TestClient } from '../support/clients.ts'
import { createPlan, signIn, tempDir, wsUrl } from '../support/server.ts'
import { type SpawnedServer, spawnServer } from '../support/spawnServer.ts'
import { sleep, waitFor } from '../support/wait.ts'

/** How long a plan must be quiet before an automatic version (VERSIONS_IDLE_MINUTES=0.01). */
const IDLE_MS = 600

/**
 * Two Lever server processes on one PostgreSQL, one Redis and one data folder (one SQLite file),
 * both with the same plan open: each takes the automatic versions (after an idle pause, when its
 * room unloads), and the plan's history holds each content once.
 */
describe('several servers: version history', () => {
  let services: TestServices | undefined
  const servers: SpawnedServer[] = []
  const clients: TestClient[] = []

  beforeAll(async () => {
    services = await testServices()
    const env = {
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redis.url,
      VERSIONS_IDLE_MINUTES: String(IDLE_MS / 60_000),
      ROOM_UNLOAD_GRACE_MS: '200',
    }
    // Data folders of their own (everything shared is in PostgreSQL), one after the other: the
    // first migrates and seeds, the second finds it done.
    servers.push(await spawnServer({ ...env, DATA_DIR: tempDir() }))
    servers.push(await spawnServer({ ...env, DATA_DIR: tempDir() }))
  }, 120_000)

  afterAll(async () => {
    for (const c of clients) c.destroy()
    for (const s of servers) {
      if (s.child.exitCode === null && s.child.signalCode === null) {
        s.child.kill('SIGTERM')
        await s.exited
      }
    }
    await services?.stop()
  }, 60_000)

  it('stores each automatic version of a plan edited on both servers once', async () => {
    const [one, two] = servers as [SpawnedServer, SpawnedServer]
    const token = await signIn(one)
    const plan = await createPlan(one, { token, title: 'Versions across servers' })
    const onOne = connectClient(wsUrl(one), plan.docName, { params: { token } })
    const onTwo = connectClient(wsUrl(two), plan.docName, { params: { token } })
    clients.push(onOne, onTwo)
    await Promise.all([synced(onOne), synced(onTwo)])

    // The versions as both servers stored them, read from PostgreSQL.
    const { db: queries, close } = await postgresQueries((services as TestServices).databaseUrl, { max: 2 })
    const store = new VersionStore(queries)
    try {
      // Rounds of edits on both servers, each followed by a pause both servers take a version in.
      for (let round = 0; round < 3; round++) {
        const before = (await store.list(plan.id)).length
        for (let i = 0; i < 3; i++) {
          new PlanModel(onOne.doc).setTitle(`Round ${round} edit ${i} on one`)
          new PlanModel(onTwo.doc).section('problem').insert(0, [paragraph(`Round ${round} line ${i} on two`)])
          // Each pair of edits reaches the other server before the next: the servers' changes interleave.
          await converged([onOne.doc, onTwo.doc])
        }
        await waitFor(async () => (await store.list(plan.id)).length > before, {
          timeoutMs: 15_000,
          message: 'a version after the pause',
        })
        await sleep(IDLE_MS) // both servers' idle timers have fired
      }
      // A last edit, then everyone leaves: both rooms unload, each with a change not in a version.
      new PlanModel(onOne.doc).setTitle('Last words')
      await converged([onOne.doc, onTwo.doc])
      const before = (await store.list(plan.id)).length
      onOne.destroy()
      onTwo.destroy()
      await waitFor(async () => (await store.list(plan.id)).length > before, {
        timeoutMs: 15_000,
        message: 'a version at unload',
      })
      await sleep(1_000) // both rooms have unloaded

      const versions = await store.list(plan.id)
      const docs: Y.Doc[] = []
      for (const v of versions) docs.push((await store.loadVersionDoc(plan.id, v.id)) as Y.Doc)
      for (let i = 0; i < docs.length; i++) {
        for (let j = i + 1; j < docs.length; j++) {
          const same = Y.equalSnapshots(Y.snapshot(docs[i] as Y.Doc), Y.snapshot(docs[j] as Y.Doc))
          expect(same, `versions ${i} and ${j} hold the same content`).toBe(false)
        }
      }
      expect(new PlanModel(docs[0] as Y.Doc).title).toBe('Last words')
      // Edits from both servers, by the one person signed in on both.
      expect(versions[1]?.authors).toHaveLength(1)
    } finally {
      await close()
    }
  })
})

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  return p
}
