import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { completeness, coverageMatrix, planGaps, planWarnings } from './derived.ts'
import { PlanModel } from './PlanModel.ts'

function plan(): PlanModel {
  return PlanModel.initialize(new Y.Doc(), { title: 'Plan', jurisdictionId: 'tulsa-ok' })
}

describe('coverageMatrix', () => {
  it('counts initiatives per lever and job-quality component', () => {
    const p = plan()
    const a = p.addInitiative('procurement')
    a.setComponent('wages', true)
    a.setComponent('benefits', true)
    p.addInitiative('procurement').setComponent('wages', true)
    p.addInitiative('policy').setComponent('voice', true)
    const m = coverageMatrix(p.snapshot())
    expect(m.counts.procurement?.wages).toBe(2)
    expect(m.counts.procurement?.benefits).toBe(1)
    expect(m.counts.policy?.voice).toBe(1)
    expect(m.counts.hrPractices?.wages).toBe(0)
    expect(m.byComponent.wages).toBe(2)
    expect(m.byLever).toEqual({ procurement: 2, hrPractices: 0, policy: 1, empowerment: 0 })
    expect(m.components).toHaveLength(8)
  })
})

describe('completeness', () => {
  it('lists empty sections and fields and rises as they are filled', () => {
    const p = plan()
    const empty = completeness(p.snapshot())
    expect(empty.items.find((i) => i.key === 'section:problem')?.done).toBe(false)
    expect(empty.items.filter((i) => i.key.startsWith('lever:'))).toHaveLength(4)
    const problem = p.section('problem')
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('Too many low-wage contracts.')])
    problem.insert(0, [paragraph])
    const i = p.addInitiative('procurement', { title: 'Scoring' })
    const after = completeness(p.snapshot())
    expect(after.items.find((x) => x.key === 'section:problem')?.done).toBe(true)
    expect(after.items.find((x) => x.key === `initiative:${i.id}:owner`)?.done).toBe(false)
    i.text('owner')?.insert(0, 'Procurement office')
    expect(completeness(p.snapshot()).items.find((x) => x.key === `initiative:${i.id}:owner`)?.done).toBe(true)
    expect(completeness(p.snapshot()).done).toBeGreaterThan(empty.done)
  })
})

describe('planWarnings', () => {
  it('flags SLFRF-funded work past the obligation and spending deadlines', () => {
    const p = plan()
    const i = p.addInitiative('hrPractices', { title: 'Apprenticeships' })
    const line = i.funding.add('f')
    line.setSource('slfrf')
    line.setAmount('budgeted', 100000)
    line.setAmount('obligated', 40000)
    i.setDate('startDate', '2025-02-01')
    i.setDate('dueDate', '2027-03-31')
    const codes = planWarnings(p.snapshot(), '2025-06-01').map((w) => w.code)
    expect(codes).toContain('slfrfSpendDeadline')
    expect(codes).toContain('slfrfObligationDeadline')
    expect(codes).toContain('slfrfUnobligatedBalance')
    expect(codes.slice(0, 3).every((c) => c.startsWith('slfrf'))).toBe(true)
  })

  it('does not flag the same dates when the work is not SLFRF-funded', () => {
    const p = plan()
    const i = p.addInitiative('hrPractices')
    i.funding.add('f').setSource('local')
    i.setDate('startDate', '2025-02-01')
    i.setDate('dueDate', '2027-03-31')
    expect(planWarnings(p.snapshot()).some((w) => w.code.startsWith('slfrf'))).toBe(false)
  })

  it('flags initiatives with no metric, no owner or no evidence tier, and clears them when filled', () => {
    const p = plan()
    const i = p.addInitiative('policy', { title: 'Living wage ordinance' })
    expect(
      planWarnings(p.snapshot())
        .map((w) => w.code)
        .sort(),
    ).toEqual(['noEvidenceTier', 'noMetric', 'noOwner'])
    i.metrics.add('m')
    i.text('owner')?.insert(0, 'Council liaison')
    i.setEvidenceTier('strong')
    expect(planWarnings(p.snapshot())).toEqual([])
    i.setEvidenceTier('evidenceBuilding')
    expect(planWarnings(p.snapshot()).map((w) => w.code)).toEqual(['noEvaluationDesign'])
  })
})

describe('limits and dates', () => {
  it('flags milestones due before the initiative starts or after it is due', () => {
    const p = plan()
    const i = p.addInitiative('policy', { title: 'Wage board' })
    i.setDate('startDate', '2025-03-01')
    i.setDate('dueDate', '2025-12-31')
    const early = i.milestones.add('m1')
    early.title?.insert(0, 'Kick-off')
    early.setDueDate('2025-02-01')
    const inside = i.milestones.add('m2')
    inside.setDueDate('2025-06-01')
    const late = i.milestones.add('m3')
    late.setDueDate('2026-01-15')
    const outside = planWarnings(p.snapshot()).filter((w) => w.code === 'milestoneOutsideDates')
    expect(outside.map((w) => w.message)).toEqual([
      'Wage board: milestone “Kick-off” is due 2025-02-01, before the initiative starts (2025-03-01).',
      'Wage board: a milestone is due 2026-01-15, after the initiative is due (2025-12-31).',
    ])
    expect(outside.map((w) => w.item?.id)).toEqual([early.id, late.id])
    late.setDueDate('2025-12-31')
    early.setDueDate('2025-03-01')
    expect(planWarnings(p.snapshot()).some((w) => w.code === 'milestoneOutsideDates')).toBe(false)
  })

  it('caps initiative titles at 200 characters and flags a longer one that arrived anyway', () => {
    const p = plan()
    expect(() => p.addInitiative('policy', { title: 'x'.repeat(201) })).toThrow(/200 characters/)
    const i = p.addInitiative('policy', { title: 'x'.repeat(200) })
    expect(planWarnings(p.snapshot()).some((w) => w.code === 'titleTooLong')).toBe(false)
    i.text('title')?.insert(0, 'y')
    expect(planWarnings(p.snapshot()).some((w) => w.code === 'titleTooLong')).toBe(true)
  })

  it('refuses a "last reviewed" date in the future or before 2020', () => {
    const p = plan()
    expect(() => p.setLastReviewed('2026-12-02', '2026-12-01')).toThrow(
      'Last reviewed: A review cannot be in the future',
    )
    expect(() => p.setLastReviewed('2019-12-31', '2026-12-01')).toThrow(/before 2020/)
    expect(p.lastReviewed).toBeNull()
    p.setLastReviewed('2026-12-01', '2026-12-01')
    p.setLastReviewed('2020-01-01', '2026-12-01')
    expect(p.lastReviewed).toBe('2020-01-01')
  })
})

describe('planGaps', () => {
  it('says what an empty plan is missing instead of calling it fine', () => {
    const p = plan()
    expect(planWarnings(p.snapshot())).toEqual([])
    const gaps = planGaps(p.snapshot())
    expect(gaps.map((g) => g.key)).toEqual(['initiatives', 'targetComponents', 'sections'])
    expect(gaps[0]?.message).toMatch(
      /^No initiatives yet: add one under a lever \(Procurement, HR practices, Policy, Empowerment\)/,
    )
    p.addInitiative('policy', { title: 'A' })
    p.setTargetComponent('wages', true)
    expect(planGaps(p.snapshot()).map((g) => g.key)).toEqual(['sections'])
  })
})

describe('coverageMatrix targets', () => {
  it('marks the components the plan says it targets, with short and full names', () => {
    const p = plan()
    p.setTargetComponent('learning', true)
    const m = coverageMatrix(p.snapshot())
    expect(m.components.filter((c) => c.targeted).map((c) => c.id)).toEqual(['learning'])
    expect(m.components.find((c) => c.id === 'learning')).toMatchObject({
      short: 'Learning',
      label: 'Learning and career development',
    })
  })
})
