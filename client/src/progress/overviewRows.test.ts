import type { OverviewJurisdiction, OverviewPlan } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { filterRows, overviewRows, sortRows } from './overviewRows.ts'

const plan = (id: string, updatedAt: string, patch: Partial<OverviewPlan> = {}): OverviewPlan => ({
  id,
  title: `Plan ${id}`,
  status: 'draft',
  initiatives: { notStarted: 1, onTrack: 0, atRisk: 0, offTrack: 0, done: 0 },
  funding: { budgeted: 0.1, obligated: 0, spent: 0 },
  components: { wages: 1, benefits: 0, scheduling: 0, safety: 0, learning: 0, voice: 0, culture: 0, purpose: 0 },
  warnings: 0,
  checkIns: { due: 1, done: 0 },
  updatedAt,
  ...patch,
})

const cohort: OverviewJurisdiction[] = [
  {
    id: 'boulder-co',
    name: 'City of Boulder',
    plans: [
      plan('a', '2026-11-01'),
      plan('b', '2026-11-20', { status: 'adopted', warnings: 2, funding: { budgeted: 0.2, obligated: 0, spent: 0 } }),
    ],
  },
  { id: 'tulsa-ok', name: 'City of Tulsa', plans: [plan('c', '2026-10-01', { checkIns: { due: 1, done: 1 } })] },
  { id: 'ohio', name: 'State of Ohio', plans: [] },
]

describe('overview rows', () => {
  it('add up a jurisdiction’s plans and open the one changed last', () => {
    const [boulder, , ohio] = overviewRows(cohort)
    expect(boulder).toMatchObject({
      planCount: 2,
      status: 'adopted',
      budgeted: 0.3,
      warnings: 2,
      checkInsDue: 2,
      covered: 1,
    })
    expect(boulder?.mainPlan?.id).toBe('b')
    expect(boulder?.components.wages).toBe(2)
    expect(ohio).toMatchObject({ planCount: 0, status: null, mainPlan: null, initiativeTotal: 0 })
  })

  it('sort by any column both ways, ties by name, and filter by text, status, warnings and missing check-ins', () => {
    const rows = overviewRows(cohort)
    expect(sortRows(rows, 'budgeted', 'descending').map((r) => r.id)).toEqual(['boulder-co', 'tulsa-ok', 'ohio'])
    // Nothing due counts as all done; equal rows go by name.
    expect(sortRows(rows, 'checkIns', 'ascending').map((r) => r.id)).toEqual(['boulder-co', 'tulsa-ok', 'ohio'])
    expect(sortRows(rows, 'name', 'descending').map((r) => r.id)).toEqual(['ohio', 'tulsa-ok', 'boulder-co'])
    const none = { query: '', status: '', withWarnings: false, checkInsMissing: false } as const
    expect(filterRows(rows, { ...none, query: 'plan c' }).map((r) => r.id)).toEqual(['tulsa-ok'])
    expect(filterRows(rows, { ...none, status: 'none' }).map((r) => r.id)).toEqual(['ohio'])
    expect(filterRows(rows, { ...none, withWarnings: true }).map((r) => r.id)).toEqual(['boulder-co'])
    expect(filterRows(rows, { ...none, checkInsMissing: true }).map((r) => r.id)).toEqual(['boulder-co'])
  })
})
