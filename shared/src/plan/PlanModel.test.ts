import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_LEVERS } from './catalog.ts'
import { PlanValidationError } from './errors.ts'
import { migratePlanDoc } from './migrations.ts'
import { PLAN_SCHEMA_VERSION, PlanModel } from './PlanModel.ts'
import { planSnapshotSchema } from './schemas.ts'

function newPlan(title = 'Boulder action plan'): PlanModel {
  return PlanModel.initialize(new Y.Doc(), { title, jurisdictionId: 'boulder-co' })
}

/** Two replicas of one plan, as two people would have it after syncing. */
function twoReplicas(): [PlanModel, PlanModel] {
  const a = newPlan()
  const b = new Y.Doc()
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a.doc))
  return [a, new PlanModel(b)]
}

function exchange(a: PlanModel, b: PlanModel): void {
  const fromA = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc))
  const fromB = Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc))
  Y.applyUpdate(b.doc, fromA)
  Y.applyUpdate(a.doc, fromB)
}

describe('PlanModel', () => {
  it('initializes a plan with the four levers in order, empty sections and the current schema version', () => {
    const plan = newPlan()
    expect(plan.schemaVersion).toBe(PLAN_SCHEMA_VERSION)
    expect(plan.title).toBe('Boulder action plan')
    expect(plan.status).toBe('draft')
    expect(plan.leverList().map((l) => l.id)).toEqual(DEFAULT_LEVERS.map((l) => l.id))
    const snapshot = plan.snapshot()
    expect(planSnapshotSchema.parse(snapshot)).toEqual(snapshot)
    expect(Object.values(snapshot.sections).every((s) => s === '')).toBe(true)
    expect(snapshot.initiatives).toEqual([])
  })

  it('reads back every initiative field it writes', () => {
    const plan = newPlan()
    const i = plan.addInitiative('procurement', { title: 'Good-jobs scoring in RFPs' })
    i.text('owner')?.insert(0, 'Purchasing Division')
    i.setStatus('onTrack')
    i.setDate('startDate', '2023-02-01')
    i.setDate('dueDate', '2024-06-30')
    i.setComponent('wages', true)
    i.setComponent('benefits', true)
    i.setComponent('benefits', false)
    i.setLaborPractice('prevailingWage', true)
    i.setEvidenceTier('evidenceBuilding')
    i.evidenceText('evaluationDesign')?.insert(0, 'Quasi-experimental comparison of awarded vendors')
    const line = i.funding.add('f1')
    line.setSource('slfrf')
    line.setCategory('2.10')
    line.setAmount('budgeted', 250000)
    line.setAmount('obligated', 125000.5)
    const metric = i.metrics.add('m1')
    metric.text('name')?.insert(0, 'Median wage of contractor staff')
    metric.setType('outcome')
    metric.setFrequency('quarterly')
    metric.setTargetDate('2024-12-31')
    metric.setDisaggregation('race', true)
    const milestone = i.milestones.add('ms1')
    milestone.title?.insert(0, 'Scoring rubric adopted')
    milestone.setDueDate('2023-05-01')
    milestone.setDone(true)

    const s = plan.snapshot().initiatives[0]
    expect(s).toMatchObject({
      lever: 'procurement',
      title: 'Good-jobs scoring in RFPs',
      owner: 'Purchasing Division',
      status: 'onTrack',
      startDate: '2023-02-01',
      dueDate: '2024-06-30',
      components: ['wages'],
      laborPractices: ['prevailingWage'],
      evidence: { tier: 'evidenceBuilding', evaluationDesign: 'Quasi-experimental comparison of awarded vendors' },
      funding: [{ id: 'f1', source: 'slfrf', category: '2.10', budgeted: 250000, obligated: 125000.5, spent: null }],
      metrics: [
        {
          id: 'm1',
          name: 'Median wage of contractor staff',
          type: 'outcome',
          frequency: 'quarterly',
          targetDate: '2024-12-31',
          disaggregation: ['race'],
        },
      ],
      milestones: [{ id: 'ms1', title: 'Scoring rubric adopted', dueDate: '2023-05-01', done: true }],
    })
    expect(planSnapshotSchema.safeParse(plan.snapshot()).success).toBe(true)
  })

  it('refuses values that do not fit, and leaves the document unchanged', () => {
    const plan = newPlan()
    const i = plan.addInitiative('policy')
    const before = Y.encodeStateVector(plan.doc)
    expect(() => i.setDate('dueDate', '2024-02-30')).toThrow(PlanValidationError)
    expect(() => i.setDate('dueDate', 'next week')).toThrow(/Use a date like/)
    expect(() => i.setStatus('finished' as never)).toThrow(PlanValidationError)
    expect(() => i.funding.add('f').setAmount('budgeted', -5)).toThrow(/negative/)
    expect(() => plan.setTitle('   ')).toThrow(/needs a title/)
    expect(() => plan.addInitiative('not a lever!')).toThrow(PlanValidationError)
    // Only the funding line added above changed the document.
    expect(plan.initiative(i.id)?.date('dueDate')).toBeNull()
    expect(Y.encodeStateVector(plan.doc)).not.toEqual(before)
    expect(plan.title).toBe('Boulder action plan')
  })

  it('keeps both initiatives when two people add one to the same lever at once', () => {
    const [a, b] = twoReplicas()
    a.addInitiative('procurement', { title: 'From Ana' })
    b.addInitiative('procurement', { title: 'From Ben' })
    exchange(a, b)
    const titlesA = a.initiatives('procurement').map((i) => i.title)
    const titlesB = b.initiatives('procurement').map((i) => i.title)
    expect(titlesA.sort()).toEqual(['From Ana', 'From Ben'])
    expect(a.initiatives('procurement').map((i) => i.id)).toEqual(b.initiatives('procurement').map((i) => i.id))
    expect(titlesB).toHaveLength(2)
  })

  it('never duplicates an initiative that two people move at once', () => {
    const [a, b] = twoReplicas()
    const first = a.addInitiative('hrPractices', { title: 'one' })
    a.addInitiative('hrPractices', { title: 'two' })
    a.addInitiative('hrPractices', { title: 'three' })
    exchange(a, b)
    a.moveInitiative(first.id, 'hrPractices', 2)
    b.moveInitiative(first.id, 'policy', 0)
    exchange(a, b)
    const all = a.initiatives().map((i) => i.id)
    expect(new Set(all).size).toBe(3)
    expect(a.initiatives().map((i) => i.id)).toEqual(b.initiatives().map((i) => i.id))
  })

  it('keeps concurrent metrics and milestones added to the same initiative', () => {
    const [a, b] = twoReplicas()
    const id = a.addInitiative('empowerment').id
    exchange(a, b)
    a.initiative(id)?.metrics.add('ma')
    b.initiative(id)?.metrics.add('mb')
    a.initiative(id)?.milestones.add('sa')
    b.initiative(id)?.milestones.add('sb')
    exchange(a, b)
    expect(
      a
        .initiative(id)
        ?.metrics.list()
        .map((m) => m.id)
        .sort(),
    ).toEqual(['ma', 'mb'])
    expect(
      b
        .initiative(id)
        ?.milestones.list()
        .map((m) => m.id)
        .sort(),
    ).toEqual(['sa', 'sb'])
  })

  it('reorders items of a collection', () => {
    const plan = newPlan()
    const i = plan.addInitiative('policy')
    for (const id of ['a', 'b', 'c']) i.metrics.add(id)
    i.metrics.move('c', 0)
    expect(i.metrics.list().map((m) => m.id)).toEqual(['c', 'a', 'b'])
    i.metrics.move('c', 2)
    expect(i.metrics.list().map((m) => m.id)).toEqual(['a', 'b', 'c'])
    i.metrics.remove('b')
    expect(i.metrics.list().map((m) => m.id)).toEqual(['a', 'c'])
  })

  it('lets a plan add a lever as data', () => {
    const plan = newPlan()
    plan.addLever({
      id: 'educationEnforcement',
      label: 'Education & Enforcement',
      description: 'Enforcing labor standards.',
    })
    expect(
      plan
        .leverList()
        .map((l) => l.id)
        .at(-1),
    ).toBe('educationEnforcement')
    plan.addInitiative('educationEnforcement', { title: 'Wage theft outreach' })
    expect(plan.initiatives('educationEnforcement')).toHaveLength(1)
  })
})

describe('migratePlanDoc', () => {
  it('applies the missing migrations once, in order, and records the version', () => {
    const plan = newPlan()
    const ran: number[] = []
    const migrations = [
      { version: PLAN_SCHEMA_VERSION + 2, description: 'b', up: () => ran.push(2) },
      {
        version: PLAN_SCHEMA_VERSION + 1,
        description: 'a',
        up: (doc: Y.Doc) => {
          ran.push(1)
          doc.getMap('meta').set('migrated', true)
        },
      },
    ]
    expect(migratePlanDoc(plan.doc, migrations)).toEqual({
      from: PLAN_SCHEMA_VERSION,
      to: PLAN_SCHEMA_VERSION + 2,
      tooNew: false,
    })
    expect(ran).toEqual([1, 2])
    expect(plan.schemaVersion).toBe(PLAN_SCHEMA_VERSION + 2)
    expect(plan.meta.get('migrated')).toBe(true)
    migratePlanDoc(plan.doc, migrations)
    expect(ran).toEqual([1, 2])
  })

  it('leaves a document newer than the code, or not yet a plan, alone', () => {
    const plan = newPlan()
    plan.meta.set('schemaVersion', 99)
    expect(migratePlanDoc(plan.doc).tooNew).toBe(true)
    expect(plan.schemaVersion).toBe(99)
    const empty = new Y.Doc()
    expect(migratePlanDoc(empty)).toEqual({ from: 0, to: 0, tooNew: false })
    expect(empty.getMap('meta').size).toBe(0)
  })
})
