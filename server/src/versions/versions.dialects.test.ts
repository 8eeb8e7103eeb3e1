import { PlanModel } from '@lever/shared'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Db } from '../db/queries.ts'
import { sqliteImmediateRunner, transactionRunner } from '../db/queryScripts.ts'
import { describeDialects } from '../testing/dialects.ts'
import { paragraph, samplePlan } from './testPlans.ts'
import { contentSnapshot, VersionHistoryFull, VersionStore } from './VersionStore.ts'

/** A jurisdiction, a plan and two people to write versions of it. */
async function seed(db: Db): Promise<string> {
  await db.insertInto('jurisdictions').values({ id: 'j', name: 'J', kind: 'city', state: 'CO', agency: 'x' }).execute()
  await db
    .insertInto('plans')
    .values({ id: 'p1', jurisdiction_id: 'j', title: 'P', doc_name: 'plan:p1', created_at: '', updated_at: '' })
    .execute()
  const person = (id: string, name: string) => ({
    id,
    email: `${id}@example.org`,
    name,
    role: 'member',
    jurisdiction_id: 'j',
    created_at: '',
    updated_at: '',
  })
  await db
    .insertInto('users')
    .values([person('ada', 'Ada Lovelace'), person('bo', 'Bo Diddley')])
    .execute()
  return 'p1'
}

function planWith(title: string): Y.Doc {
  const doc = new Y.Doc()
  samplePlan(doc, 5)
  new PlanModel(doc).setTitle(title)
  return doc
}

describeDialects('VersionStore', (fresh, dialect) => {
  it('stores versions compressed and reads them back: list newest first, get, latest, load, rename, counts', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    const store = new VersionStore(db)
    expect(await store.latest(planId)).toBeNull()
    expect(await store.list(planId)).toEqual([])
    const doc = planWith('First')
    const first = await store.add({ planId, kind: 'named', name: 'One', createdBy: 'ada', doc, at: 1000 })
    new PlanModel(doc).section('problem').insert(0, [paragraph('More')])
    const second = await store.add({ planId, kind: 'auto', doc, at: 2000, authors: ['bo', 'ada', 'bo'] })
    expect(first).toMatchObject({ planId, kind: 'named', name: 'One', createdBy: 'ada', createdAt: 1000, authors: [] })
    expect(second.authors).toEqual(['ada', 'bo'])
    expect(first.storedBytes).toBeGreaterThan(0)
    expect(first.storedBytes).toBeLessThan(first.stateBytes)
    expect((await store.list(planId)).map((v) => v.id)).toEqual([second.id, first.id])
    expect(await store.get(planId, first.id)).toEqual(first)
    expect(await store.get('other', first.id)).toBeNull()
    expect((await store.latest(planId))?.id).toBe(second.id)
    expect(await store.isLatest(planId, doc)).toBe(true)
    const older = (await store.loadVersionDoc(planId, first.id)) as Y.Doc
    expect(new PlanModel(older).title).toBe('First')
    expect(await store.isLatest(planId, older)).toBe(false)
    expect(await store.loadVersionDoc(planId, 'nosuch')).toBeNull()
    // Naming an automatic version keeps it for good; a named one stays named.
    expect(await store.rename(planId, second.id, 'Kept')).toMatchObject({ kind: 'named', name: 'Kept' })
    expect(await store.rename(planId, first.id, 'Renamed')).toMatchObject({ kind: 'named', name: 'Renamed' })
    expect(await store.rename(planId, 'nosuch', 'x')).toBeNull()
    expect(await store.countSince(planId, ['named'], 1500)).toBe(1)
    expect(await store.countSince(planId, ['named', 'auto'], 0)).toBe(2)
    expect(await store.countSince(planId, ['before-restore'], 0)).toBe(0)
    expect(await store.storedBytes(planId)).toBe(first.storedBytes + second.storedBytes)
    expect(await store.storedBytes('other')).toBe(0)
  })

  it('names people in summaries, and those no longer here as such', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    const store = new VersionStore(db)
    const v = await store.add({
      planId,
      kind: 'named',
      name: 'N',
      createdBy: 'ada',
      authors: ['bo', 'gone'],
      doc: planWith('T'),
      at: 5,
    })
    expect(await store.summaries([v])).toEqual([
      {
        id: v.id,
        kind: 'named',
        name: 'N',
        createdAt: new Date(5).toISOString(),
        createdBy: { id: 'ada', name: 'Ada Lovelace' },
        authors: [
          { id: 'bo', name: 'Bo Diddley' },
          { id: 'gone', name: 'Someone no longer here' },
        ],
      },
    ])
  })

  it('addOnce stores a content once and merges the authors of later tries into it', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    const store = new VersionStore(db)
    const doc = planWith('Same')
    const first = await store.addOnce({ planId, kind: 'auto', doc, authors: ['ada'], at: 10 })
    expect(first.added).toBe(true)
    // The same content as an encoded state (another server's copy).
    const again = await store.addOnce({
      planId,
      kind: 'event',
      doc: Y.encodeStateAsUpdate(doc),
      authors: ['bo'],
      at: 20,
    })
    expect(again).toMatchObject({ added: false, version: { id: first.version.id, authors: ['ada', 'bo'] } })
    expect((await store.addOnce({ planId, kind: 'auto', doc, authors: ['ada'] })).added).toBe(false)
    expect(await store.list(planId)).toEqual([
      expect.objectContaining({ id: first.version.id, authors: ['ada', 'bo'] }),
    ])
    new PlanModel(doc).setTitle('Different')
    expect((await store.addOnce({ planId, kind: 'auto', doc, at: 30 })).added).toBe(true)
    expect(await store.list(planId)).toHaveLength(2)
  })

  it('addOnce called twice at once with the same content stores one version with both authors', async () => {
    const { db, sqlite } = await fresh()
    const planId = await seed(db)
    // Two stores, like two servers; on SQLite also through the connection's own immediate runner.
    const runners = dialect === 'sqlite' && sqlite ? [undefined, sqliteImmediateRunner(sqlite)] : [undefined]
    let round = 0
    for (const locked of runners) {
      const one = new VersionStore(db, { locked })
      const two = new VersionStore(db, { locked })
      for (let i = 0; i < 5; i++) {
        const doc = planWith(`Round ${round++}`)
        const state = Y.encodeStateAsUpdate(doc)
        const results = await Promise.all([
          one.addOnce({ planId, kind: 'auto', doc, authors: ['ada'] }),
          two.addOnce({ planId, kind: 'auto', doc: state, authors: ['bo'] }),
        ])
        expect(results.map((r) => r.added).sort()).toEqual([false, true])
      }
    }
    const versions = await new VersionStore(db).list(planId)
    expect(versions).toHaveLength(round)
    for (const v of versions) expect(v.authors).toEqual(['ada', 'bo'])
  })

  it('a plan’s first version is stored once by however many servers load it (a script)', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    const store = new VersionStore(db)
    const write = transactionRunner(db)
    const a = store.prepare({ planId, kind: 'auto', doc: planWith('Loaded on A'), at: 1 })
    const b = store.prepare({ planId, kind: 'auto', doc: planWith('Loaded on B'), at: 2 })
    const results = await Promise.all([
      write(() => store.addOnceScript(a, { unlessAny: true })),
      write(() => store.addOnceScript(b, { unlessAny: true })),
    ])
    expect(results.filter((r) => r.added)).toHaveLength(1)
    expect(await store.list(planId)).toHaveLength(1)
  })

  it('during continuous editing stores nothing when another server took the interval’s version first', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    const store = new VersionStore(db)
    const MIN = 60_000
    await store.add({ planId, kind: 'auto', doc: planWith('Start'), at: 0 })
    const since = 1 * MIN
    // Another server's version at minute 31: ours at minute 32 (different content) is not stored.
    await store.add({ planId, kind: 'auto', doc: planWith('On the other server'), at: 31 * MIN })
    const ours = store.prepare({ planId, kind: 'auto', doc: planWith('Here'), authors: ['ada'], at: 32 * MIN })
    expect(await store.addUnlessNewer(ours, { since, withinMs: 30 * MIN })).toEqual({
      version: null,
      added: false,
      newerAt: 31 * MIN,
    })
    // Thirty minutes after that one, it is.
    const later = store.prepare({ planId, kind: 'auto', doc: planWith('Later'), at: 61 * MIN })
    expect(await store.addUnlessNewer(later, { since: 32 * MIN, withinMs: 30 * MIN })).toMatchObject({ added: true })
    expect(await store.list(planId)).toHaveLength(3)
  })

  it('removing versions hands their authors to the next newer version kept', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    const store = new VersionStore(db)
    const doc = new Y.Doc()
    const add = (at: number, authors: string[]) => store.add({ planId, kind: 'auto', doc, at, authors })
    await add(1, ['ada'])
    const b = await add(2, ['bo'])
    const c = await add(3, ['cy'])
    await add(4, ['di'])
    expect(await store.remove(planId, new Set())).toBe(0)
    expect(await store.remove(planId, new Set([b.id, c.id, 'nosuch']))).toBe(2)
    expect((await store.list(planId)).map((v) => v.authors)).toEqual([['bo', 'cy', 'di'], ['ada']])
  })

  it('equal content reached in different orders has one content key', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    const store = new VersionStore(db)
    const ada = new Y.Doc()
    const bo = new Y.Doc()
    new PlanModel(ada).setTitle('By Ada')
    new PlanModel(bo).section('problem').insert(0, [paragraph('By Bo')])
    const one = new Y.Doc()
    const two = new Y.Doc()
    Y.applyUpdate(one, Y.encodeStateAsUpdate(ada))
    Y.applyUpdate(one, Y.encodeStateAsUpdate(bo))
    Y.applyUpdate(two, Y.encodeStateAsUpdate(bo))
    Y.applyUpdate(two, Y.encodeStateAsUpdate(ada))
    expect((await store.addOnce({ planId, kind: 'auto', doc: one })).added).toBe(true)
    const snapshot = contentSnapshot(two)
    expect(
      (await store.addOnce({ planId, kind: 'auto', doc: Y.encodeStateAsUpdate(two), snapshot, authors: ['bo'] })).added,
    ).toBe(false)
  })

  it('past the plan’s byte budget unnamed versions make room, automatic ones first; once named ones fill it, new versions are refused, and a restore’s is kept anyway', async () => {
    const { db } = await fresh()
    const planId = await seed(db)
    // Versions of equal size (titles of one length): the budget holds three and a half.
    const first = await new VersionStore(db).add({
      planId,
      kind: 'auto',
      doc: planWith('Plan 1'),
      at: 1,
      authors: ['ada'],
    })
    const size = first.storedBytes
    const store = new VersionStore(db, { maxBytesPerPlan: Math.floor(3.5 * size) })
    const add = (
      kind: 'auto' | 'named' | 'event' | 'before-restore',
      title: string,
      at: number,
      authors: string[] = [],
    ) => store.add({ planId, kind, name: kind === 'auto' ? null : title, doc: planWith(title), at, authors })
    const ids = async () => (await store.list(planId)).map((v) => v.id)
    const kept1 = await add('named', 'Plan 2', 2)
    const auto2 = await add('auto', 'Plan 3', 3, ['bo'])
    const kept2 = await add('named', 'Plan 4', 4) // the oldest automatic version goes
    expect(await ids()).toEqual([kept2.id, auto2.id, kept1.id])
    const event = await add('event', 'Plan 5', 5, ['cy']) // then the next oldest automatic one
    const list = await store.list(planId)
    expect(list.map((v) => v.id)).toEqual([event.id, kept2.id, kept1.id])
    // Who changed the plan since the previous version stays true.
    expect(list.map((v) => v.authors)).toEqual([['cy'], ['bo'], ['ada']])
    // No automatic version left: the event version goes, though it is the newest, and the new one
    // takes its authors.
    const kept3 = await add('named', 'Plan 6', 6, ['dee'])
    expect(await ids()).toEqual([kept3.id, kept2.id, kept1.id])
    expect((await store.list(planId))[0]?.authors).toEqual(['cy', 'dee'])
    expect(await store.storedBytes(planId)).toBeLessThanOrEqual(store.maxBytesPerPlan)

    // Named versions fill it: named, automatic and event versions are refused, deleting nothing.
    await expect(add('named', 'Plan 7', 7)).rejects.toBeInstanceOf(VersionHistoryFull)
    await expect(store.addOnce({ planId, kind: 'auto', doc: planWith('Plan 8'), at: 8 })).rejects.toBeInstanceOf(
      VersionHistoryFull,
    )
    await expect(store.addOnce({ planId, kind: 'event', doc: planWith('Plan 9'), at: 9 })).rejects.toBeInstanceOf(
      VersionHistoryFull,
    )
    const interval = store.prepare({ planId, kind: 'auto', doc: planWith('Plan X'), at: 10 })
    await expect(store.addUnlessNewer(interval, { since: 0, withinMs: 1 })).rejects.toBeInstanceOf(VersionHistoryFull)
    expect(await ids()).toEqual([kept3.id, kept2.id, kept1.id])

    // The version before a restore is kept anyway, and the next one takes its place.
    const undo1 = await add('before-restore', 'Plan Y', 11)
    expect(await ids()).toEqual([undo1.id, kept3.id, kept2.id, kept1.id])
    const undo2 = await add('before-restore', 'Plan Z', 12)
    expect(await ids()).toEqual([undo2.id, kept3.id, kept2.id, kept1.id])
  })

  it('versions stored at once cannot take the last room of a plan’s budget more than once', async () => {
    const { db, sqlite } = await fresh()
    const planId = await seed(db)
    const size = (await new VersionStore(db).add({ planId, kind: 'named', doc: planWith('Plan 0'), at: 0 })).storedBytes
    // Like servers sharing the database; on SQLite also through the connection's immediate runner.
    const runners = dialect === 'sqlite' && sqlite ? [undefined, sqliteImmediateRunner(sqlite)] : [undefined]
    let round = 0
    for (const locked of runners) {
      for (let i = 0; i < 3; i++) {
        // Room for one more version of this size.
        const maxBytesPerPlan = Math.floor((await new VersionStore(db).storedBytes(planId)) + 1.5 * size)
        const results = await Promise.allSettled(
          [1, 2, 3, 4].map((n) =>
            new VersionStore(db, { locked, maxBytesPerPlan }).add({
              planId,
              kind: 'named',
              doc: planWith(`Plan ${n}`),
              at: ++round,
            }),
          ),
        )
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(VersionHistoryFull)
      }
    }
    expect(await new VersionStore(db).list(planId)).toHaveLength(1 + 3 * runners.length)
  })
})
