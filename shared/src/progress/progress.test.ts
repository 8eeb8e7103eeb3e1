import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { newId, PlanModel } from '../plan/index.ts'
import { CheckInsModel, checkInKey, periodOfCheckInKey, readCheckIns } from './CheckInsModel.ts'
import { checkInCounts, dashboardFigures, fundingTotals, leadingNumber, planFigures } from './figures.ts'
import { progressInputOf } from './fromDoc.ts'
import { isPeriodClosed, periodClosesAfter, periodOf, periodRange, recentPeriods } from './reporting.ts'

const monthly = { frequency: 'monthly', graceDays: 7 } as const

describe('reporting calendar', () => {
  it('names periods by month or quarter and knows their first and last days', () => {
    expect(periodOf('2026-02-14', 'monthly')).toBe('2026-02')
    expect(periodOf('2026-11-30', 'quarterly')).toBe('2026-Q4')
    expect(periodRange('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' })
    expect(periodRange('2026-Q1')).toEqual({ start: '2026-01-01', end: '2026-03-31' })
  })

  it('closes a period after its grace days unless a facilitator reopened it', () => {
    expect(periodClosesAfter('2026-11', monthly)).toBe('2026-12-07')
    expect(isPeriodClosed('2026-11', monthly, '2026-12-07')).toBe(false)
    expect(isPeriodClosed('2026-11', monthly, '2026-12-08')).toBe(true)
    expect(isPeriodClosed('2026-11', monthly, '2026-12-08', ['2026-11'])).toBe(false)
  })

  it('lists the current period and the ones before it, across a year boundary', () => {
    expect(recentPeriods(monthly, '2026-02-10', 3)).toEqual(['2026-02', '2026-01', '2025-12'])
    expect(recentPeriods({ frequency: 'quarterly', graceDays: 0 }, '2026-02-10', 2)).toEqual(['2026-Q1', '2025-Q4'])
  })
})

describe('check-ins in the plan document', () => {
  it('keep each field under its own key, so concurrent check-ins on one initiative merge', () => {
    const a = new Y.Doc()
    PlanModel.initialize(a, { title: 'Plan', jurisdictionId: 'boulder-co' })
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    const id = 'init1'
    new CheckInsModel(a).setStatus('2026-12', id, 'atRisk', 'ana')
    new CheckInsModel(b).setUpdate('2026-12', id, 'Vendor contract signed', 'ben')
    new CheckInsModel(b).setMetricActual('2026-12', id, 'm1', { value: 12, date: '2026-12-01' })
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    for (const doc of [a, b]) {
      const entry = new CheckInsModel(doc).get('2026-12', id)
      expect(entry).toMatchObject({
        status: 'atRisk',
        update: 'Vendor contract signed',
        metrics: { m1: { value: 12 } },
      })
    }
  })

  it('refuse values that do not validate, and skip stray keys when reading', () => {
    const doc = new Y.Doc()
    const model = new CheckInsModel(doc)
    expect(() => model.setStatus('2026-13', 'i', 'onTrack')).toThrow()
    expect(() => model.setFundingAsOf('2026-12', 'i', 'f', { obligated: -1, spent: null })).toThrow()
    model.map.set('not-a-key', 1)
    model.map.set(checkInKey('2026-12', 'i', 'status'), 'sideways')
    expect(readCheckIns(model.map)).toEqual([
      expect.objectContaining({ period: '2026-12', initiativeId: 'i', status: null }),
    ])
    expect(periodOfCheckInKey('2026-Q4/i/status')).toBe('2026-Q4')
    expect(periodOfCheckInKey('threads/x')).toBeNull()
  })
})

describe('figures', () => {
  const build = () => {
    const doc = new Y.Doc()
    const plan = PlanModel.initialize(doc, { title: 'Plan', jurisdictionId: 'boulder-co' })
    const first = plan.addInitiative('procurement', { title: 'First' })
    first.setStatus('onTrack')
    first.setComponent('wages', true)
    const line = first.funding.add(newId())
    line.setSource('slfrf')
    line.setAmount('budgeted', 0.1)
    line.setAmount('obligated', 0.2)
    const other = first.funding.add(newId())
    other.setAmount('budgeted', 100)
    const metric = first.metrics.add(newId())
    metric.text('target')?.insert(0, '$1,250.50 per hour')
    const second = plan.addInitiative('policy', { title: 'Second' })
    second.setStatus('done')
    const milestone = second.milestones.add(newId())
    milestone.setDueDate('2025-01-01')
    const checkIns = new CheckInsModel(doc)
    checkIns.setStatus('2026-11', first.id, 'onTrack')
    checkIns.setMetricActual('2026-11', first.id, metric.id, { value: 3, date: '2026-11-20' })
    checkIns.setFundingAsOf('2026-11', first.id, line.id, { obligated: 0.2, spent: 0.1 })
    return { doc, first, second }
  }

  it('count initiatives, funding in cents, components and check-ins due and done', () => {
    const { doc } = build()
    const { plan, checkIns } = progressInputOf(doc)
    const f = planFigures(plan, checkIns, { period: '2026-11', today: '2026-12-01' })
    expect(f.initiatives).toEqual({ notStarted: 0, onTrack: 1, atRisk: 0, offTrack: 0, done: 1 })
    expect(f.funding).toEqual({ budgeted: 100.1, obligated: 0.2, spent: 0 })
    expect(f.components.wages).toBe(1)
    // The done initiative owes nothing; the other checked in.
    expect(f.checkIns).toEqual({ due: 1, done: 1 })
    expect(checkInCounts(plan, checkIns, '2026-12')).toEqual({ due: 1, done: 0 })
    expect(
      fundingTotals([
        { budgeted: 0.1, obligated: null, spent: 0.2 },
        { budgeted: 0.2, obligated: 1, spent: null },
      ]),
    ).toEqual({
      budgeted: 0.3,
      obligated: 1,
      spent: 0.2,
    })
  })

  it('give metric series, SLFRF over time and overdue milestones', () => {
    const { doc, second } = build()
    const { plan, checkIns } = progressInputOf(doc)
    const d = dashboardFigures(plan, checkIns, { period: '2026-12', today: '2026-12-01' })
    expect(d.metrics[0]).toMatchObject({
      target: 1250.5,
      baseline: null,
      actuals: [{ period: '2026-11', date: '2026-11-20', value: 3 }],
    })
    expect(d.slfrfOverTime).toEqual([{ period: '2026-11', date: '2026-11-30', obligated: 0.2, spent: 0.1 }])
    expect(d.slfrfBudget).toBe(0.1)
    expect(d.fundingBySource.map((s) => s.source)).toEqual(['slfrf', 'iija', 'local', 'other', 'unspecified'])
    expect(d.overdueMilestones.map((m) => m.initiativeId)).toEqual([second.id])
    expect(d.statusByLever.find((l) => l.leverId === 'policy')?.counts.done).toBe(1)
    expect(leadingNumber('no number')).toBeNull()
  })
})
