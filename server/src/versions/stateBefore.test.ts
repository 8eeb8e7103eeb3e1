import { PlanModel, planProseJson } from '@lever/shared'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { docBeforeTransaction } from './stateBefore.ts'
import { samplePlan, textOf } from './testPlans.ts'

it('rebuilds the document as it was before a transaction that deleted and inserted, on a garbage-collected doc', () => {
  const doc = new Y.Doc()
  samplePlan(doc)
  textOf(doc, 'problem', 0).delete(0, 4) // an earlier deletion, already collected
  const expected = { plan: new PlanModel(doc).snapshot(), prose: planProseJson(doc) }
  let before: Y.Doc | null = null
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (!before) before = docBeforeTransaction(doc, tr)
  })
  doc.transact(() => {
    const model = new PlanModel(doc)
    model.setStatus('adopted')
    textOf(doc, 'problem', 1).delete(3, 20)
    model.section('problem').delete(2, 1)
    model.removeInitiative(model.initiatives()[0]?.id as string)
    textOf(doc, 'problem', 0).insert(0, 'New ')
  })
  expect(before).not.toBeNull()
  const rebuilt = before as unknown as Y.Doc
  expect({ plan: new PlanModel(rebuilt).snapshot(), prose: planProseJson(rebuilt) }).toEqual(expected)
  expect(new PlanModel(doc).status).toBe('adopted')
})
