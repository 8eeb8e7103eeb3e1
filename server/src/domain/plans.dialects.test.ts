import { AccessMode, DocKind, PlanModel, type User } from '@lever/shared'
import { beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/openDatabase.ts'
import { type Db, sqliteQueries } from '../db/queries.ts'
import { groupCommitRunner, transactionRunner } from '../db/queryScripts.ts'
import { quietLogger } from '../logger.ts'
import { seedTemplates } from '../seed/templates.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { SqliteDocStore } from '../storage/SqliteDocStore.ts'
import { describeDialects } from '../testing/dialects.ts'
import { JurisdictionService } from './jurisdictions.ts'
import { MAX_PLANS_PER_PERSON_PER_HOUR, PlanService } from './plans.ts'
import { TemplateService, templateDocumentType } from './templates.ts'

/** The services over one database, with the cohort's jurisdictions seeded. */
async function services(db: Db) {
  const store = new MemoryDocStore()
  const jurisdictions = new JurisdictionService(db)
  await jurisdictions.seed()
  return { store, jurisdictions, plans: new PlanService(db, store), templates: new TemplateService(db, store) }
}

const byCreation = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
  a.createdAt === b.createdAt ? (a.id < b.id ? -1 : 1) : a.createdAt < b.createdAt ? -1 : 1

describeDialects('plans, jurisdictions and templates', (fresh) => {
  // The first PostgreSQL database starts the file's cluster: slower than a test may take.
  beforeAll(async () => {
    await fresh()
  }, 180_000)

  describe('jurisdictions', () => {
    it('are seeded once, even by two servers starting at the same time', async () => {
      const { db } = await fresh()
      const added = await Promise.all([new JurisdictionService(db).seed(), new JurisdictionService(db).seed()])
      expect(added[0] + added[1]).toBe(20)
      expect(await new JurisdictionService(db).seed()).toBe(0)
      const list = await new JurisdictionService(db).list()
      expect(list).toHaveLength(20)
      expect(list.map((j) => j.name)).toEqual(list.map((j) => j.name).sort())
    })

    it('read one jurisdiction with its fields, and none for an unknown id', async () => {
      const { db } = await fresh()
      const { jurisdictions } = await services(db)
      expect(await jurisdictions.get('boulder-co')).toEqual({
        id: 'boulder-co',
        name: expect.any(String),
        kind: 'city',
        state: 'CO',
        agency: expect.any(String),
        planCount: 0,
      })
      expect(await jurisdictions.get('no-such-place')).toBeNull()
    })

    it('count each jurisdiction’s plans, as numbers', async () => {
      const { db } = await fresh()
      const { jurisdictions, plans } = await services(db)
      await plans.create({ jurisdictionId: 'boulder-co', title: 'One' })
      await plans.create({ jurisdictionId: 'boulder-co', title: 'Two' })
      await plans.create({ jurisdictionId: 'ohio', title: 'Three' })
      expect((await jurisdictions.get('boulder-co'))?.planCount).toBe(2)
      const counts = Object.fromEntries((await jurisdictions.list()).map((j) => [j.id, j.planCount]))
      expect(counts['boulder-co']).toBe(2)
      expect(counts.ohio).toBe(1)
      expect(counts['tulsa-ok']).toBe(0)
    })
  })

  describe('plans', () => {
    it('are created with their document, and read back by id, document name and jurisdiction', async () => {
      const { db } = await fresh()
      const { plans, store } = await services(db)
      const plan = await plans.create({ jurisdictionId: 'boulder-co', title: 'Good jobs', createdBy: 'u1' })
      expect(plan).toEqual({
        id: plan.id,
        jurisdictionId: 'boulder-co',
        title: 'Good jobs',
        docName: `${DocKind.Plan}:${plan.id}`,
        createdAt: plan.createdAt,
        updatedAt: plan.createdAt,
        sharedWithCohort: false,
      })
      expect(await plans.get(plan.id)).toEqual(plan)
      expect(await plans.getByDocName(plan.docName)).toEqual(plan)
      expect(await plans.get('nope')).toBeNull()
      expect(await plans.getByDocName('plan:nope')).toBeNull()
      const doc = new Y.Doc()
      for (const update of (await store.load(plan.docName)).updates) Y.applyUpdate(doc, update)
      expect(new PlanModel(doc).title).toBe('Good jobs')
    })

    it('list a jurisdiction’s plans, and all plans, in order of creation', async () => {
      const { db } = await fresh()
      const { plans } = await services(db)
      const made = []
      for (const [jurisdictionId, title] of [
        ['ohio', 'A'],
        ['boulder-co', 'B'],
        ['boulder-co', 'C'],
        ['ohio', 'D'],
      ] as const)
        made.push(await plans.create({ jurisdictionId, title }))
      expect((await plans.list('boulder-co')).map((p) => p.title)).toEqual(
        made
          .filter((p) => p.jurisdictionId === 'boulder-co')
          .sort(byCreation)
          .map((p) => p.title),
      )
      expect(await plans.list('tulsa-ok')).toEqual([])
      const all = await plans.listAll()
      expect(all.map((p) => p.id)).toEqual(
        [...made]
          .sort((a, b) =>
            a.jurisdictionId === b.jurisdictionId ? byCreation(a, b) : a.jurisdictionId < b.jurisdictionId ? -1 : 1,
          )
          .map((p) => p.id),
      )
    })

    it('name the template they started from, with its title as it is now', async () => {
      const { db } = await fresh()
      const { plans, templates } = await services(db)
      const template = await templates.create({ kind: 'plan', title: 'Skeleton' })
      const plan = await plans.create({
        jurisdictionId: 'ohio',
        title: 'From a template',
        template: { id: template.id, version: 3, fill: () => {} },
      })
      expect(plan.template).toEqual({ id: template.id, title: 'Skeleton', version: 3 })
      await templates.changed(template.id, 'Renamed skeleton')
      expect((await plans.listAll())[0]?.template).toEqual({ id: template.id, title: 'Renamed skeleton', version: 3 })
    })

    it('hold a member to the hourly bound even when their requests arrive at once', async () => {
      const { db } = await fresh()
      const { plans } = await services(db)
      const member = { id: 'm1', role: 'member', jurisdictionId: 'boulder-co' } as User
      const starts = await Promise.allSettled(
        Array.from({ length: MAX_PLANS_PER_PERSON_PER_HOUR + 5 }, (_, i) =>
          plans.create({ jurisdictionId: 'boulder-co', title: `Plan ${i}`, createdBy: member.id, startedBy: member }),
        ),
      )
      expect(starts.filter((s) => s.status === 'fulfilled')).toHaveLength(MAX_PLANS_PER_PERSON_PER_HOUR)
      for (const refused of starts.filter((s) => s.status === 'rejected')) {
        expect((refused as PromiseRejectedResult).reason).toMatchObject({ status: 429 })
      }
      expect(await plans.list('boulder-co')).toHaveLength(MAX_PLANS_PER_PERSON_PER_HOUR)
    })

    it('leave no row behind when the document cannot be stored', async () => {
      const { db } = await fresh()
      const { plans, store } = await services(db)
      await store.close()
      await expect(plans.create({ jurisdictionId: 'ohio', title: 'Lost' })).rejects.toThrow()
      expect(await plans.listAll()).toEqual([])
    })

    it('say whether sharing changed, with one conditional update', async () => {
      const { db } = await fresh()
      const { plans } = await services(db)
      const plan = await plans.create({ jurisdictionId: 'ohio', title: 'Shared' })
      expect(await plans.setShared(plan.id, true)).toBe(true)
      expect((await plans.get(plan.id))?.sharedWithCohort).toBe(true)
      expect(await plans.setShared(plan.id, true)).toBe(false)
      const both = await Promise.all([plans.setShared(plan.id, false), plans.setShared(plan.id, false)])
      expect(both.filter(Boolean)).toHaveLength(1)
      expect((await plans.get(plan.id))?.sharedWithCohort).toBe(false)
      expect(await plans.setShared('nope', true)).toBe(false)
    })

    it('mirror the document’s title and time of change with the touch script, in a transaction', async () => {
      const { db } = await fresh()
      const { plans } = await services(db)
      const write = transactionRunner(db)
      const plan = await plans.create({ jurisdictionId: 'ohio', title: 'Before' })
      const at = new Date('2031-05-06T07:08:09.010Z')
      expect(await write(plans.touch(plan.id, 'After', at))).toBe(1)
      expect(await plans.get(plan.id)).toMatchObject({ title: 'After', updatedAt: at.toISOString() })
      const later = new Date('2031-05-07T00:00:00.000Z')
      expect(await write(plans.touch(plan.id, null, later))).toBe(1)
      expect(await plans.get(plan.id)).toMatchObject({ title: 'After', updatedAt: later.toISOString() })
      expect(await write(plans.touch('nope', 'Nothing'))).toBe(0)
    })
  })

  describe('templates', () => {
    it('are created at version 1 with their document, and listed plan templates first, by title', async () => {
      const { db } = await fresh()
      const { templates, store } = await services(db)
      const initiative = await templates.create({ kind: 'initiative', title: 'Apprenticeships', createdBy: 'f1' })
      const b = await templates.create({ kind: 'plan', title: 'B plan', description: 'The second' })
      const a = await templates.create({ kind: 'plan', title: 'A plan' })
      expect(initiative).toEqual({
        id: initiative.id,
        kind: 'initiative',
        title: 'Apprenticeships',
        description: '',
        version: 1,
        docName: `${DocKind.Template}:${initiative.id}`,
        createdAt: initiative.createdAt,
        updatedAt: initiative.createdAt,
      })
      expect(b.description).toBe('The second')
      expect((await templates.list()).map((t) => t.id)).toEqual([a.id, b.id, initiative.id])
      expect(await templates.get(a.id)).toEqual(a)
      expect(await templates.get('nope')).toBeNull()
      const doc = new Y.Doc()
      for (const update of (await store.load(initiative.docName)).updates) Y.applyUpdate(doc, update)
      expect(new PlanModel(doc).initiatives()).toHaveLength(1)
    })

    it('go up a version on every change, mirroring the title when there is one', async () => {
      const { db } = await fresh()
      const { templates } = await services(db)
      const template = await templates.create({ kind: 'plan', title: 'First' })
      const at = new Date('2031-01-02T03:04:05.006Z')
      await templates.changed(template.id, 'Second', at)
      expect(await templates.get(template.id)).toMatchObject({
        version: 2,
        title: 'Second',
        updatedAt: at.toISOString(),
      })
      await Promise.all([templates.changed(template.id, null), templates.changed(template.id, null)])
      expect(await templates.get(template.id)).toMatchObject({ version: 4, title: 'Second' })
      await templates.setDescription(template.id, 'Now described')
      expect(await templates.get(template.id)).toMatchObject({ version: 4, description: 'Now described' })
    })

    it('with a seed key exist once, even when created twice at the same time', async () => {
      const { db } = await fresh()
      const { templates } = await services(db)
      const input = { kind: 'plan' as const, title: 'Shipped', seedKey: 'shipped' }
      const [one, two] = await Promise.all([templates.add(input), templates.add(input)])
      expect([one.created, two.created].sort()).toEqual([false, true])
      expect(one.template.id).toBe(two.template.id)
      expect(await templates.bySeedKey('shipped')).toEqual(one.template)
      expect(await templates.list()).toHaveLength(1)
      expect(await templates.bySeedKey('other')).toBeNull()
    })

    it('shipped with the server are seeded once, even by two servers starting at the same time', async () => {
      const { db } = await fresh()
      const store = new MemoryDocStore()
      const created = await Promise.all([
        seedTemplates(new TemplateService(db, store)),
        seedTemplates(new TemplateService(db, store)),
      ])
      expect(created[0] + created[1]).toBe(2)
      const templates = new TemplateService(db, store)
      expect(await seedTemplates(templates)).toBe(0)
      expect((await templates.list()).map((t) => t.kind)).toEqual(['plan', 'initiative'])
    })

    it('exist as documents when their row does; facilitators write them and others read them', async () => {
      const { db } = await fresh()
      const { templates } = await services(db)
      const template = await templates.create({ kind: 'plan', title: 'Doc' })
      const type = templateDocumentType(templates, quietLogger())
      expect(await type.exists(template.id)).toBe(true)
      expect(await type.exists('nope')).toBe(false)
      const person = (role: User['role']) => ({ id: 'p', role, active: true }) as User
      expect(await type.access(person('facilitator'), template.id)).toBe(AccessMode.ReadWrite)
      expect(await type.access(person('member'), template.id)).toBe(AccessMode.ReadOnly)
    })
  })
})

describe('plan metadata in the group commit (SQLite)', () => {
  it('is written by the touch script in the same commit as the document’s updates', async () => {
    const sqlite = openDatabase({ dataDir: ':memory:' })
    const db = sqliteQueries(sqlite)
    const store = new SqliteDocStore(sqlite)
    await new JurisdictionService(db).seed()
    const plans = new PlanService(db, store)
    const plan = await plans.create({ jurisdictionId: 'ohio', title: 'Before' })
    const commits = store.stats.commits
    const write = groupCommitRunner(sqlite, store)
    const at = new Date('2032-02-03T04:05:06.007Z')
    const appended = store.append(plan.docName, new Uint8Array([0, 0]))
    const written = write(plans.touch(plan.id, 'After', at))
    // Nothing yet: the row waits for the commit that stores the update.
    expect(sqlite.prepare('SELECT title FROM plans WHERE id = ?').get(plan.id)).toEqual({ title: 'Before' })
    expect(await written).toBe(1)
    await appended
    expect(store.stats.commits).toBe(commits + 1)
    expect(await plans.get(plan.id)).toMatchObject({ title: 'After', updatedAt: at.toISOString() })
    await store.close()
    sqlite.close()
  })
})
