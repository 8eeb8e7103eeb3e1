import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SLFRF_CATEGORIES, SLFRF_CATEGORY_GROUPS } from './catalog.ts'
import { planWarnings } from './derived.ts'
import { countdownText, fundingLineProblems, fundingSummary, slfrfCountdown } from './funding.ts'
import { PlanModel } from './PlanModel.ts'
import type { FundingLineSnapshot } from './schemas.ts'

function plan(): PlanModel {
  return PlanModel.initialize(new Y.Doc(), { title: 'Plan', jurisdictionId: 'tulsa-ok' })
}

const line = (over: Partial<FundingLineSnapshot>): FundingLineSnapshot => ({
  id: 'f',
  source: 'slfrf',
  program: '',
  category: null,
  budgeted: null,
  obligated: null,
  spent: null,
  obligatedBy: null,
  spentBy: null,
  ...over,
})

describe('funding line rules', () => {
  it('checks spent ≤ obligated ≤ budgeted on each line', () => {
    expect(fundingLineProblems(line({ budgeted: 100, obligated: 100, spent: 100 }))).toEqual([])
    expect(fundingLineProblems(line({ budgeted: 100, obligated: 150, spent: 20 })).map((p) => p.code)).toEqual([
      'obligatedOverBudget',
    ])
    expect(fundingLineProblems(line({ budgeted: 100, obligated: 50, spent: 60 })).map((p) => p.code)).toEqual([
      'spentOverObligated',
    ])
    expect(fundingLineProblems(line({ budgeted: 100, spent: 160 })).map((p) => p.code)).toEqual(['spentOverBudget'])
  })

  it('flags SLFRF lines obligated after 2024-12-31 or spent after 2026-12-31, and only SLFRF lines', () => {
    const late = line({ obligatedBy: '2025-01-01', spentBy: '2027-01-01' })
    expect(fundingLineProblems(late).map((p) => [p.code, p.severity, p.field])).toEqual([
      ['slfrfLineObligatedLate', 'high', 'obligatedBy'],
      ['slfrfLineSpentLate', 'high', 'spentBy'],
    ])
    expect(fundingLineProblems(line({ obligatedBy: '2024-12-31', spentBy: '2026-12-31' }))).toEqual([])
    expect(fundingLineProblems({ ...late, source: 'iija' })).toEqual([])
  })

  it('stores each funding line’s own obligation and spending dates in the plan document', () => {
    const p = plan()
    const f = p.addInitiative('hrPractices', { title: 'Apprenticeships' }).funding.add('f1')
    f.setSource('slfrf')
    f.setDate('obligatedBy', '2024-06-30')
    f.setDate('spentBy', '2026-09-30')
    const snap = p.snapshot().initiatives[0]?.funding[0]
    expect(snap?.obligatedBy).toBe('2024-06-30')
    expect(snap?.spentBy).toBe('2026-09-30')
    expect(() => f.setDate('spentBy', '2026-02-30')).toThrow(/Spending date/)
  })

  it('names the line, the amounts and the deadline in the plan’s warnings', () => {
    const p = plan()
    const i = p.addInitiative('procurement', { title: 'Fair contracts' })
    i.funding.add('a').setSource('local')
    const f = i.funding.add('b')
    f.setSource('slfrf')
    f.setAmount('budgeted', 40000)
    f.setAmount('obligated', 50000)
    f.setDate('spentBy', '2027-03-31')
    const warnings = planWarnings(p.snapshot(), '2024-06-01')
    const messages = warnings.map((w) => w.message)
    expect(messages).toContain(
      'Fair contracts: funding line 2: SLFRF spent by 2027-03-31, after the spending deadline of 2026-12-31.',
    )
    expect(messages).toContain('Fair contracts: funding line 2: obligated ($50,000) is more than budgeted ($40,000).')
    expect(warnings.find((w) => w.code === 'slfrfLineSpentLate')?.item).toEqual({
      kind: 'funding',
      id: f.id,
      field: 'spentBy',
    })
  })
})

describe('SLFRF balances and totals', () => {
  it('counts down the days to 2026-12-31 for unspent SLFRF money', () => {
    const c = slfrfCountdown(
      [line({ budgeted: 100000, obligated: 80000, spent: 30000 }), line({ source: 'local', budgeted: 5 })],
      '2026-12-01',
    )
    expect(c).toEqual({ unspent: 50000, daysLeft: 30, deadline: '2026-12-31' })
    expect(countdownText(c as NonNullable<typeof c>)).toBe('30 days left to spend it (by 2026-12-31)')
    expect(countdownText({ unspent: 1, daysLeft: -2, deadline: '2026-12-31' })).toBe(
      'the spending deadline (2026-12-31) passed 2 days ago',
    )
    expect(slfrfCountdown([line({ budgeted: 100, obligated: 100, spent: 100 })], '2026-12-01')).toBeNull()
  })

  it('totals budgeted, obligated and spent per lever and for the plan', () => {
    const p = plan()
    const a = p.addInitiative('procurement', { title: 'A' })
    const fa = a.funding.add('x')
    fa.setSource('slfrf')
    fa.setAmount('budgeted', 100.5)
    fa.setAmount('obligated', 50.25)
    const fb = p.addInitiative('procurement', { title: 'B' }).funding.add('y')
    fb.setSource('iija')
    fb.setAmount('budgeted', 200)
    fb.setAmount('spent', 10)
    const fc = p.addInitiative('policy', { title: 'C' }).funding.add('z')
    fc.setSource('local')
    fc.setAmount('budgeted', 1000)
    const s = fundingSummary(p.snapshot(), '2025-12-31')
    expect(s.levers.find((l) => l.id === 'procurement')?.totals).toEqual({
      budgeted: 300.5,
      obligated: 50.25,
      spent: 10,
    })
    expect(s.levers.find((l) => l.id === 'policy')?.totals).toEqual({ budgeted: 1000, obligated: 0, spent: 0 })
    expect(s.levers.find((l) => l.id === 'empowerment')?.totals).toEqual({ budgeted: 0, obligated: 0, spent: 0 })
    expect(s.plan).toEqual({ budgeted: 1300.5, obligated: 50.25, spent: 10 })
    expect(s.slfrf).toEqual({ unspent: 50.25, daysLeft: 365, deadline: '2026-12-31' })
    expect(s.levers.find((l) => l.id === 'procurement')?.slfrf?.unspent).toBe(50.25)
  })
})

describe('SLFRF expenditure categories', () => {
  it('lists every category of the final rule, 1.1 to 7.2, in seven groups with names', () => {
    const ids = SLFRF_CATEGORIES.map((c) => c.id)
    const counts = Object.fromEntries(
      SLFRF_CATEGORY_GROUPS.map((g) => [g.id, ids.filter((id) => id.split('.')[0] === g.id).length]),
    )
    expect(counts).toEqual({ '1': 14, '2': 37, '3': 5, '4': 2, '5': 21, '6': 2, '7': 2 })
    // Numbered without gaps within each group, each with its group and a name.
    for (const g of SLFRF_CATEGORY_GROUPS) {
      const inGroup = SLFRF_CATEGORIES.filter((c) => c.group === g.id).map((c) => c.id)
      expect(inGroup).toEqual(Array.from({ length: inGroup.length }, (_, k) => `${g.id}.${k + 1}`))
    }
    expect(new Set(ids).size).toBe(ids.length)
    expect(SLFRF_CATEGORIES.every((c) => c.label.length > 3)).toBe(true)
    expect(SLFRF_CATEGORIES.find((c) => c.id === '1.1')?.label).toBe('COVID-19 Vaccination')
    expect(SLFRF_CATEGORIES.find((c) => c.id === '7.2')?.label).toBe('Transfers to Other Units of Government')
    expect(SLFRF_CATEGORIES.find((c) => c.id === '2.10')?.label).toMatch(
      /^Assistance to Unemployed or Underemployed Workers/,
    )
  })
})
