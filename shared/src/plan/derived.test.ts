import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { completeness, coverageMatrix, planWarnings } from './derived.ts'
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
