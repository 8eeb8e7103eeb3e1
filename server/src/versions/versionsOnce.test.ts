import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { PlanModel } from '@lever/shared'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ServerChange } from '../collab/changeOrigin.ts'
import type { Room } from '../collab/Room.ts'
import { migrate, migrations } from '../db/migrations.ts'
import { sqliteQueries } from '../db/queries.ts'
import { sqliteImmediateRunner } from '../db/queryScripts.ts'
import { JurisdictionService } from '../domain/jurisdictions.ts'
import { PlanService } from '../domain/plans.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { contentKey } from './contentKey.ts'
import { paragraph } from './testPlans.ts'
import { versionRig, waitFor } from './testRig.ts'
import { contentSnapshot, VersionStore } from './VersionStore.ts'

type Rig = Awaited<ReturnType<typeof versionRig>>

/** Two servers on one SQLite file (two database handles, like two processes) and one document store. */
async function twoServers(timing: { idleMs?: number } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-versions-once-'))
  const docStore = new MemoryDocStore()
  const a = await versionRig({ dataDir, docStore, timing })
  const b = await versionRig({ dataDir, docStore, timing, planId: a.plan.id })
  return { a, b, dataDir }
}

/**
 * Opens the plan on both servers and relays each one's changes to the other as peer changes with
 * their author (what the Redis fan-out does). `hold` keeps a server's changes back until released.
 */
async function openOnBoth(a: Rig, b: Rig) {
  const roomA = a.rooms.get(a.plan.docName)
  const roomB = b.rooms.get(b.plan.docName)
  await Promise.all([roomA.loaded, roomB.loaded])
  const held: Array<() => void> = []
  let holding = false
  const relay = (from: Room, to: Room, instanceId: string) =>
    from.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (!(origin instanceof ServerChange)) return
      const send = () => to.applyPeerUpdate(update, { instanceId, author: origin.userId })
      if (holding) held.push(send)
      else send()
    })
  relay(roomA, roomB, 'a')
  relay(roomB, roomA, 'b')
  return {
    roomA,
    roomB,
    hold: () => {
      holding = true
    },
    release: () => {
      holding = false
      for (const send of held.splice(0)) send()
    },
  }
}

describe('versions with several servers on one SQLite file', () => {
  const cleanup: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function servers(timing: { idleMs?: number } = {}) {
    const s = await twoServers(timing)
    cleanup.push(() => fs.rmSync(s.dataDir, { recursive: true, force: true }))
    cleanup.push(() => s.a.close())
    cleanup.push(() => s.b.close())
    return s
  }

  it('stores content two handles record once, with the authors both knew; different content twice; named always', async () => {
    const { a, b } = await servers()
    const storeA = new VersionStore(a.queries, { locked: sqliteImmediateRunner(a.db) })
    const storeB = new VersionStore(b.queries, { locked: sqliteImmediateRunner(b.db) })
    // The same content reached by updates in different orders (each server meets the writers'
    // client ids in its own order).
    const ada = new Y.Doc()
    const bo = new Y.Doc()
    new PlanModel(ada).setTitle('By Ada')
    new PlanModel(bo).section('problem').insert(0, [paragraph('By Bo')])
    const docA = new Y.Doc()
    const docB = new Y.Doc()
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(ada))
    Y.applyUpdate(docA, Y.encodeStateAsUpdate(bo))
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(bo))
    Y.applyUpdate(docB, Y.encodeStateAsUpdate(ada))
    expect([...Y.snapshot(docA).sv.keys()]).toEqual([...Y.snapshot(docB).sv.keys()].reverse())
    expect(contentKey(contentSnapshot(docA))).toBe(contentKey(contentSnapshot(docB)))

    const planId = a.plan.id
    const first = await storeA.addOnce({ planId, kind: 'auto', doc: docA, authors: ['ada'] })
    const second = await storeB.addOnce({ planId, kind: 'auto', doc: docB, authors: ['bo'] })
    expect([first.added, second.added]).toEqual([true, false])
    expect(second.version.id).toBe(first.version.id)
    expect(await storeA.list(planId)).toEqual([
      expect.objectContaining({ id: first.version.id, authors: ['ada', 'bo'] }),
    ])

    new PlanModel(docB).setTitle('Changed on B')
    expect((await storeB.addOnce({ planId, kind: 'event', doc: docB, authors: ['bo'] })).added).toBe(true)
    // docA's content is in a version already, though not the newest: not stored again.
    expect((await storeA.addOnce({ planId, kind: 'auto', doc: docA })).added).toBe(false)
    expect((await storeA.list(planId)).map((v) => v.kind)).toEqual(['event', 'auto'])

    // A person asked for a named version: stored even when its content is in a version already.
    await storeA.add({ planId, kind: 'named', name: 'Kept', doc: docA })
    expect((await storeA.list(planId)).map((v) => v.kind)).toEqual(['named', 'event', 'auto'])
  })

  it('two servers with a plan open take its first version and each automatic version of the same content once', async () => {
    const { a, b } = await servers()
    const { roomA, roomB } = await openOnBoth(a, b)
    const planId = a.plan.id
    await Promise.all([a.recorder.flush(), b.recorder.flush()])
    expect(await a.store.list(planId)).toHaveLength(1) // both loaded the plan without a version: one first version

    roomA.transactServer((doc) => new PlanModel(doc).setTitle('Written on A'), { userId: 'ada' })
    roomB.transactServer((doc) => new PlanModel(doc).section('problem').insert(0, [paragraph('Written on B')]), {
      userId: 'bo',
    })
    await Promise.all([roomA.whenDurable(), roomB.whenDurable()])
    // Both servers take the version (an idle pause and a session ending reach both).
    const fromA = await a.recorder.checkpoint(roomA, planId, 'auto')
    const fromB = await b.recorder.checkpoint(roomB, planId, 'auto')
    expect(fromA).not.toBeNull()
    expect(fromB).toBeNull()
    await b.recorder.sessionEnding({ title: 'June session' })
    await a.recorder.sessionEnding({ title: 'June session' })
    const versions = await b.store.list(planId)
    expect(versions).toHaveLength(2)
    expect(versions[0]).toMatchObject({ id: fromA?.id, kind: 'auto', authors: ['ada', 'bo'] })

    // Different content: a version each.
    roomA.transactServer((doc) => new PlanModel(doc).setTitle('Again on A'), { userId: 'ada' })
    expect(await a.recorder.checkpoint(roomA, planId, 'auto')).not.toBeNull()
    roomB.transactServer((doc) => new PlanModel(doc).setTitle('Then on B'), { userId: 'bo' })
    expect(await b.recorder.checkpoint(roomB, planId, 'auto')).not.toBeNull()
    expect(await a.store.list(planId)).toHaveLength(4)
  })

  it('a server a change behind stores its older moment, and not the newer one again once it catches up', async () => {
    const { a, b } = await servers()
    const { roomA, roomB, hold, release } = await openOnBoth(a, b)
    const planId = a.plan.id
    roomA.transactServer((doc) => new PlanModel(doc).setTitle('First'), { userId: 'ada' })
    hold() // A's next change has not reached B yet
    roomA.transactServer((doc) => new PlanModel(doc).setTitle('Second'), { userId: 'ada' })
    await roomA.whenDurable()
    expect(await a.recorder.checkpoint(roomA, planId, 'auto')).not.toBeNull()
    expect(await b.recorder.checkpoint(roomB, planId, 'auto')).not.toBeNull() // "First": B's own moment
    release()
    expect(new PlanModel(roomB.doc).title).toBe('Second')
    expect(await b.recorder.checkpoint(roomB, planId, 'auto')).toBeNull()
    const titles: string[] = []
    for (const v of await a.store.list(planId)) {
      titles.push(new PlanModel((await a.store.loadVersionDoc(planId, v.id)) as Y.Doc).title)
    }
    titles.sort()
    expect(titles).toEqual(['First', 'Rig plan', 'Second'])
  })

  it('during continuous editing on both servers, one version per interval, not one per server', async () => {
    let now = 1_000_000
    const MIN = 60_000
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-versions-interval-'))
    cleanup.push(() => fs.rmSync(dataDir, { recursive: true, force: true }))
    const docStore = new MemoryDocStore()
    const timing = { idleMs: 60 * MIN, maxIntervalMs: 30 * MIN }
    const a = await versionRig({ dataDir, docStore, timing, now: () => now })
    cleanup.push(() => a.close())
    const b = await versionRig({ dataDir, docStore, timing, now: () => now, planId: a.plan.id })
    cleanup.push(() => b.close())
    const { roomA, roomB, hold, release } = await openOnBoth(a, b)
    const planId = a.plan.id
    // At the same moment, a change on each server, each made before the other's arrived.
    const edit = async (minute: number) => {
      now = 1_000_000 + minute * MIN
      hold()
      roomA.transactServer((doc) => new PlanModel(doc).setTitle(`A at ${minute}`), { userId: 'ada' })
      roomB.transactServer((doc) => new PlanModel(doc).section('problem').insert(0, [paragraph(`B ${minute}`)]), {
        userId: 'bo',
      })
      await Promise.all([roomA.whenDurable(), roomB.whenDurable()])
      release()
      await Promise.all([roomA.whenDurable(), roomB.whenDurable()])
      await Promise.all([a.recorder.flush(), b.recorder.flush()])
    }
    for (const minute of [0, 10, 20, 29]) await edit(minute)
    expect(await a.store.list(planId)).toHaveLength(1) // the first version only
    await edit(31) // both reach the interval with different content: one version, not two
    expect(await a.store.list(planId)).toHaveLength(2)
    for (const minute of [40, 50, 60]) await edit(minute)
    expect(await a.store.list(planId)).toHaveLength(2)
    await edit(62)
    expect(await a.store.list(planId)).toHaveLength(3)
  })

  it('idle pauses and room unloads on both servers leave one version of each content', async () => {
    const { a, b } = await servers({ idleMs: 30 })
    const { roomA, roomB } = await openOnBoth(a, b)
    const planId = a.plan.id
    for (let i = 0; i < 5; i++) {
      roomA.transactServer((doc) => new PlanModel(doc).setTitle(`A ${i}`), { userId: 'ada' })
      roomB.transactServer((doc) => new PlanModel(doc).section('problem').insert(0, [paragraph(`B ${i}`)]), {
        userId: 'bo',
      })
    }
    await waitFor(async () => (await a.store.list(planId)).length >= 2, 'a version after the idle pause')
    roomA.transactServer((doc) => new PlanModel(doc).setTitle('Last words'), { userId: 'ada' })
    // Everyone leaves once the change is durable on A and has reached B.
    await Promise.all([roomA.whenDurable(), roomB.whenDurable()])
    await Promise.all([roomA.unloadIfIdle(), roomB.unloadIfIdle()])
    await waitFor(
      () => a.rooms.peek(a.plan.docName) === undefined && b.rooms.peek(b.plan.docName) === undefined,
      'unloads',
    )
    await waitFor(async () => (await a.store.list(planId)).length >= 3, 'a version at unload')
    await Promise.all([a.recorder.flush(), b.recorder.flush()])
    const versions = await a.store.list(planId)
    const keys: string[] = []
    for (const v of versions) {
      const doc = (await a.store.loadVersionDoc(planId, v.id)) as Y.Doc
      keys.push(contentKey(contentSnapshot(doc)))
    }
    expect(new Set(keys).size).toBe(keys.length)
    expect(versions).toHaveLength(3)
    expect(versions[0]?.authors).toContain('ada')
    expect(versions[1]?.authors).toEqual(['ada', 'bo'])
  })

  it('two processes storing the same versions at the same moments store each once', async () => {
    const { a, dataDir } = await servers()
    const planId = a.plan.id
    const live = new Y.Doc()
    const states: string[] = []
    for (let i = 0; i < 40; i++) {
      new PlanModel(live).section('problem').insert(0, [paragraph(`Paragraph ${i} `.repeat(20))])
      states.push(Buffer.from(Y.encodeStateAsUpdate(live)).toString('base64'))
    }
    const start = (author: string) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'src/versions/testAddOnceWorker.ts', dataDir, planId, author],
        {
          cwd: path.resolve(import.meta.dirname, '../..'),
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      )
      cleanup.push(() => {
        child.kill()
      })
      const lines = readline.createInterface({ input: child.stdout })
      const waiting: Array<(line: string) => void> = []
      lines.on('line', (line) => waiting.shift()?.(line))
      const next = () => new Promise<string>((resolve) => waiting.push(resolve))
      return { child, next }
    }
    const procs = [start('ada'), start('bo')]
    await Promise.all(procs.map((p) => p.next())) // ready
    const answers: string[] = []
    for (const state of states) {
      const replies = procs.map((p) => p.next())
      for (const p of procs) p.child.stdin.write(`${state}\n`)
      answers.push(...(await Promise.all(replies)))
    }
    for (const p of procs) p.child.stdin.end()
    expect(answers.filter((x) => x === 'added')).toHaveLength(states.length)
    const versions = await a.store.list(planId)
    expect(versions).toHaveLength(states.length)
    for (const v of versions) expect(v.authors).toEqual(['ada', 'bo'])
  })

  it('the migration gives versions stored before it their content key', async () => {
    const db = new BetterSqlite3(':memory:')
    cleanup.push(() => {
      db.close()
    })
    migrate(
      db,
      migrations.filter((m) => m.version < 20),
    )
    const queries = sqliteQueries(db)
    await new JurisdictionService(queries).seed()
    const plan = await new PlanService(queries, new MemoryDocStore()).create({
      jurisdictionId: 'boulder-co',
      title: 'Old',
    })
    const doc = new Y.Doc()
    new PlanModel(doc).setTitle('Stored long ago')
    db.prepare(
      `INSERT INTO plan_versions (id, plan_id, kind, created_at, authors, state, state_bytes, snapshot)
       VALUES ('old', ?, 'auto', 1, '[]', x'', 0, ?)`,
    ).run(plan.id, Y.encodeSnapshot(Y.snapshot(doc)))
    migrate(db)
    expect(db.prepare("SELECT content_key FROM plan_versions WHERE id = 'old'").get()).toEqual({
      content_key: contentKey(contentSnapshot(doc)),
    })
    expect((await new VersionStore(queries).addOnce({ planId: plan.id, kind: 'auto', doc })).added).toBe(false)
  })
})
