import {
  CheckInsModel,
  dashboardFigures,
  newId,
  PlanModel,
  type PlanProgressInput,
  planFigures,
  progressInputOf,
} from '@lever/shared'
import type { Database } from 'better-sqlite3'
import { expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import type { Db } from '../db/queries.ts'
import { groupCommitRunner, type ScriptRunner, transactionRunner } from '../db/queryScripts.ts'
import { SqliteDocStore } from '../storage/SqliteDocStore.ts'
import { describeDialects } from '../testing/dialects.ts'
import { FIGURES_VERSION, PlanProjection } from './PlanProjection.ts'
import { ReportingCalendarService } from './ReportingCalendarService.ts'

const TODAY = '2026-11-05'
const PERIOD = '2026-11'

/**
 * Three jurisdictions: "Boulder" and "austin" (a byte order and a dictionary order disagree on
 * them) and "Cary", with no plan. Boulder has two plans, austin one.
 */
async function seed(db: Db): Promise<void> {
  await db
    .insertInto('jurisdictions')
    .values([
      { id: 'boulder-co', name: 'Boulder', kind: 'city', state: 'CO', agency: 'Finance' },
      { id: 'austin-tx', name: 'austin', kind: 'city', state: 'TX', agency: 'Finance' },
      { id: 'cary-nc', name: 'Cary', kind: 'city', state: 'NC', agency: 'Finance' },
    ])
    .execute()
  const plan = (id: string, jurisdiction: string, createdAt: string) => ({
    id,
    jurisdiction_id: jurisdiction,
    title: `Plan ${id}`,
    doc_name: `plan:${id}`,
    created_by: null,
    created_at: createdAt,
    updated_at: createdAt,
  })
  await db
    .insertInto('plans')
    .values([
      plan('p-later', 'boulder-co', '2026-10-02T00:00:00.000Z'),
      plan('p-first', 'boulder-co', '2026-10-01T00:00:00.000Z'),
      plan('p-austin', 'austin-tx', '2026-10-03T00:00:00.000Z'),
    ])
    .execute()
}

/** A plan with two initiatives, funding (with fractions) and a check-in this period. */
function samplePlan(budgeted = 250_000): PlanProgressInput {
  const doc = new Y.Doc()
  const model = new PlanModel(doc)
  const initiative = model.addInitiative('procurement', { title: 'Good-jobs scoring in RFPs' })
  initiative.setStatus('onTrack')
  initiative.setComponent('wages', true)
  const line = initiative.funding.add(newId())
  line.setSource('slfrf')
  line.setAmount('budgeted', budgeted)
  line.setAmount('obligated', 120_000.5)
  line.setAmount('spent', 40_000.25)
  const metric = initiative.metrics.add(newId())
  metric.text('name')?.insert(0, 'Contracts scored')
  metric.text('target')?.insert(0, '40')
  new CheckInsModel(doc).setStatus(PERIOD, initiative.id, 'onTrack')
  new CheckInsModel(doc).setMetricActual(PERIOD, initiative.id, metric.id, { value: 12, date: TODAY })
  model.addInitiative('hrPractices', { title: 'Paid apprenticeships' }).setStatus('atRisk')
  const input = progressInputOf(doc)
  doc.destroy()
  return input
}

describeDialects('plan figures and the reporting calendar', (fresh, dialect) => {
  const runners: Array<[string, (db: Db, sqlite: Database | null) => ScriptRunner]> = [
    ['a transaction', (db) => transactionRunner(db)],
  ]
  if (dialect === 'sqlite')
    runners.push([
      'the group commit',
      (_db, sqlite) => {
        if (!sqlite) throw new Error('the group commit is SQLite’s')
        return groupCommitRunner(sqlite, new SqliteDocStore(sqlite))
      },
    ])

  for (const [how, runner] of runners) {
    it(`stores a plan's figures through ${how} and reads them back for its dashboard and the cohort`, async () => {
      const { db, sqlite } = await fresh()
      await seed(db)
      const projection = new PlanProjection(db)
      const write = runner(db, sqlite)
      const input = samplePlan()
      await write(projection.write('p-first', input, TODAY, PERIOD))

      const expected = planFigures(input.plan, input.checkIns, { today: TODAY, period: PERIOD })
      const own = dashboardFigures(input.plan, input.checkIns, { today: TODAY, period: PERIOD })
      const dashboard = await projection.dashboard('p-first', TODAY, PERIOD)
      expect(dashboard?.plan).toMatchObject({
        id: 'p-first',
        title: 'Plan p-first',
        updatedAt: '2026-10-01T00:00:00.000Z',
        status: expected.status,
        funding: { budgeted: 250_000, obligated: 120_000.5, spent: 40_000.25 },
        initiatives: expected.initiatives,
        components: expected.components,
        warnings: expected.warnings,
        checkIns: { due: 2, done: 1 },
      })
      expect(dashboard?.metrics).toEqual(own.metrics)
      expect(dashboard?.fundingBySource).toEqual(own.fundingBySource)
      expect(dashboard?.statusByLever).toEqual(own.statusByLever)
      // A period nobody reported on: every initiative not done is due.
      expect((await projection.dashboard('p-first', TODAY, '2026-12'))?.plan.checkIns).toEqual({ due: 2, done: 0 })
      expect(await projection.dashboard('p-later', TODAY, PERIOD)).toBeNull()

      const { jurisdictions, missing } = await projection.overview(null, PERIOD)
      // Byte order of names, as SQLite sorts, on both engines: "Boulder" < "Cary" < "austin".
      expect(jurisdictions.map((j) => [j.id, j.plans.map((p) => p.id)])).toEqual([
        ['boulder-co', ['p-first']],
        ['cary-nc', []],
        ['austin-tx', []],
      ])
      expect(jurisdictions[0]?.plans[0]).toEqual(dashboard?.plan)
      expect(missing).toEqual(['p-later', 'p-austin'])
      expect(await projection.projected()).toEqual(['p-first'])
    })
  }

  it('replaces a plan’s figures when written again, and writes none for a plan that is gone', async () => {
    const { db } = await fresh()
    await seed(db)
    const projection = new PlanProjection(db)
    const write = transactionRunner(db)
    await write(projection.write('p-first', samplePlan(100), TODAY, PERIOD))
    await write(projection.write('p-first', samplePlan(300.75), TODAY, PERIOD))
    expect((await projection.dashboard('p-first', TODAY, PERIOD))?.plan.funding.budgeted).toBe(300.75)
    expect(await db.selectFrom('plan_figures').select('plan_id').execute()).toEqual([{ plan_id: 'p-first' }])

    await write(projection.write('no-such-plan', samplePlan(), TODAY, PERIOD))
    expect(await projection.projected()).toEqual(['p-first'])
  })

  it('lists as missing the plans with no figures, older figures or figures older than the plan', async () => {
    const { db } = await fresh()
    await seed(db)
    const projection = new PlanProjection(db)
    const write = transactionRunner(db)
    expect(await projection.missing()).toEqual(['p-austin', 'p-later', 'p-first'])
    for (const id of ['p-first', 'p-later', 'p-austin']) await write(projection.write(id, samplePlan(), TODAY, PERIOD))
    expect(await projection.missing()).toEqual([])

    await db.updateTable('plans').set({ updated_at: '2999-01-01T00:00:00.000Z' }).where('id', '=', 'p-later').execute()
    await db
      .updateTable('plan_figures')
      .set({ figures_version: FIGURES_VERSION - 1 })
      .where('plan_id', '=', 'p-austin')
      .execute()
    expect(await projection.missing()).toEqual(['p-later', 'p-austin'])
    // Figures of an older version are not shown: the overview lists the plan as missing.
    const { jurisdictions, missing } = await projection.overview(null, PERIOD)
    expect(missing).toEqual(['p-austin'])
    expect(jurisdictions.find((j) => j.id === 'austin-tx')?.plans).toEqual([])
    expect(await projection.dashboard('p-austin', TODAY, PERIOD)).toBeNull()
  })

  it('limits the overview to the listed jurisdictions', async () => {
    const { db } = await fresh()
    await seed(db)
    const projection = new PlanProjection(db)
    await transactionRunner(db)(projection.write('p-austin', samplePlan(), TODAY, PERIOD))
    const scoped = await projection.overview(['austin-tx', 'nowhere'], PERIOD)
    expect(scoped.jurisdictions.map((j) => [j.id, j.plans.map((p) => p.id)])).toEqual([['austin-tx', ['p-austin']]])
    expect(scoped.missing).toEqual([])
    expect(await projection.overview([], PERIOD)).toEqual({ jurisdictions: [], missing: [] })
    const many = ['boulder-co', ...Array.from({ length: 1200 }, (_, i) => `j-${i}`)]
    const wide = await projection.overview(many, PERIOD)
    expect(wide.jurisdictions.map((j) => j.id)).toEqual(['boulder-co'])
    expect(wide.missing).toEqual(['p-first', 'p-later'])
  })

  it('keeps the calendar and the reopened periods, and answers isClosed from them', async () => {
    const { db } = await fresh()
    const calendar = new ReportingCalendarService(db)
    await calendar.load()
    expect(calendar.get()).toEqual({ frequency: 'monthly', graceDays: 7 })
    // October closes 7 days after its end.
    expect(calendar.isClosed('2026-10', TODAY)).toBe(false)
    expect(calendar.isClosed('2026-09', TODAY)).toBe(true)

    expect(await calendar.set({ frequency: 'monthly', graceDays: 0 }, 'fac')).toEqual({
      frequency: 'monthly',
      graceDays: 0,
    })
    expect(calendar.isClosed('2026-10', TODAY)).toBe(true)
    await calendar.set({ frequency: 'quarterly', graceDays: 10 }, null)
    expect(calendar.get()).toEqual({ frequency: 'quarterly', graceDays: 10 })
    expect(await db.selectFrom('reporting_calendar').select(['id', 'updated_by']).execute()).toEqual([
      { id: 1, updated_by: null },
    ])

    await calendar.reopen('2026-Q2', 'fac')
    await calendar.reopen('2026-Q2', 'other') // already open: kept as it was
    await calendar.reopen('2025-Q4', 'fac')
    expect(calendar.reopened()).toEqual(['2025-Q4', '2026-Q2'])
    expect(calendar.isClosed('2026-Q2', TODAY)).toBe(false)
    expect(calendar.isClosed('2026-Q1', TODAY)).toBe(true)
    expect(
      await db.selectFrom('reporting_reopened').select('reopened_by').where('period', '=', '2026-Q2').execute(),
    ).toEqual([{ reopened_by: 'fac' }])

    await calendar.close('2026-Q2')
    expect(calendar.reopened()).toEqual(['2025-Q4'])
    expect(calendar.isClosed('2026-Q2', TODAY)).toBe(true)

    // Another instance over the same database starts from what is stored.
    const restarted = new ReportingCalendarService(db)
    await restarted.load()
    expect(restarted.get()).toEqual({ frequency: 'quarterly', graceDays: 10 })
    expect(restarted.reopened()).toEqual(['2025-Q4'])
  })

  it('sees changes made through another instance over the same database after a refresh', async () => {
    const { db } = await fresh()
    const here = new ReportingCalendarService(db)
    const there = new ReportingCalendarService(db)
    await here.load()
    await there.load()
    expect(here.isClosed('2026-09', TODAY)).toBe(true)

    await there.reopen('2026-09', 'fac')
    await there.set({ frequency: 'monthly', graceDays: 0 }, 'fac')
    // Until it reads again, this instance answers from its copy.
    expect(here.isClosed('2026-09', TODAY)).toBe(true)
    expect(here.isClosed('2026-10', TODAY)).toBe(false)
    await here.refresh()
    expect(here.isClosed('2026-09', TODAY)).toBe(false)
    expect(here.isClosed('2026-10', TODAY)).toBe(true)
    expect(here.get()).toEqual({ frequency: 'monthly', graceDays: 0 })

    // Reading on an interval, it sees the next change without being asked.
    const failures: unknown[] = []
    here.startRefreshing((error) => failures.push(error), 10)
    try {
      await there.close('2026-09')
      await vi.waitFor(() => expect(here.isClosed('2026-09', TODAY)).toBe(true), { timeout: 15_000 })
      expect(here.reopened()).toEqual([])
      expect(failures).toEqual([])
    } finally {
      await here.stopRefreshing()
    }
  })
})
