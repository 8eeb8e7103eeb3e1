import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { copyInitiative, copyPlanContent } from './copy.ts'
import { PlanModel } from './PlanModel.ts'

function planWithInitiative(): { doc: Y.Doc; model: PlanModel; id: string } {
  const doc = new Y.Doc()
  const model = PlanModel.initialize(doc, { title: 'Source', jurisdictionId: 'ohio' })
  let id = ''
  doc.transact(() => {
    const initiative = model.addInitiative('procurement', { title: 'Wage floor in contracts' })
    initiative.setStatus('atRisk')
    initiative.setComponent('wages', true)
    initiative.milestones.add('ms').title?.insert(0, 'Adopt the standard')
    initiative.milestones.get('ms')?.setDone(true)
    initiative.metrics.add('me').text('name')?.insert(0, 'Median wage')
    initiative.funding.add('fu').setAmount('budgeted', 1000)
    const p = new Y.XmlElement('paragraph')
    const t = new Y.XmlText()
    t.insert(0, 'Pay ')
    t.insert(4, 'a living wage', { 'comment--x1': { threadId: 't1' }, bold: {} })
    p.insert(0, [t])
    initiative.description?.insert(0, [p])
    id = initiative.id
  })
  return { doc, model, id }
}

describe('copying plan content', () => {
  it('copies an initiative with fresh ids for it and its items, no comment marks, and its progress reset', () => {
    const source = planWithInitiative()
    const target = PlanModel.initialize(new Y.Doc(), { title: 'Target', jurisdictionId: 'boulder-co' })
    const original = source.model.initiative(source.id)
    if (!original) throw new Error('no source initiative')
    const copyId = copyInitiative(target, original, { lever: 'policy', extra: { note: 'copied' } })
    const copy = target.initiative(copyId)
    expect(copyId).not.toBe(source.id)
    expect(copy?.lever).toBe('policy')
    expect(copy?.title).toBe('Wage floor in contracts')
    expect(copy?.status).toBe('notStarted')
    expect(copy?.components).toEqual(['wages'])
    expect(copy?.map.get('note')).toBe('copied')
    const [milestone] = copy?.milestones.list() ?? []
    expect(milestone?.id).not.toBe('ms')
    expect(milestone?.title?.toString()).toBe('Adopt the standard')
    expect(milestone?.done).toBe(false)
    expect(copy?.metrics.list()[0]?.id).not.toBe('me')
    expect(copy?.funding.list()[0]?.amount('budgeted')).toBe(1000)
    const paragraph = copy?.description?.toArray()[0] as Y.XmlElement
    const delta = paragraph.toArray()[0] as Y.XmlText
    expect(delta.toDelta()).toEqual([{ insert: 'Pay ' }, { insert: 'a living wage', attributes: { bold: {} } }])
    // The copy is independent: editing it leaves the original alone.
    copy?.text('owner')?.insert(0, 'Boulder')
    expect(original.text('owner')?.toString()).toBe('')
  })

  it('copies a whole plan’s sections, targets and initiatives, twice over without sharing ids', () => {
    const source = planWithInitiative()
    source.doc.transact(() => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('Janitors earn too little.')])
      source.model.section('problem').insert(0, [p])
      source.model.setTargetComponent('benefits', true)
    })
    const a = PlanModel.initialize(new Y.Doc(), { title: 'A', jurisdictionId: 'ohio' })
    const b = PlanModel.initialize(new Y.Doc(), { title: 'B', jurisdictionId: 'ohio' })
    const idsA = copyPlanContent(source.model, a)
    const idsB = copyPlanContent(source.model, b)
    expect(a.snapshot().sections.problem).toBe('Janitors earn too little.')
    expect(a.targetComponents).toEqual(['benefits'])
    expect(a.title).toBe('A')
    expect(idsA).toHaveLength(1)
    expect(idsA[0]).not.toBe(idsB[0])
    expect(idsA[0]).not.toBe(source.id)
  })
})
