import { PlanModel } from '@lever/shared'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { comparePlans } from './compare.ts'
import { samplePlan, textOf } from './testPlans.ts'

it('marks prose insertions with who wrote them and lists structured fields before → after', () => {
  const doc = new Y.Doc()
  doc.clientID = 1
  samplePlan(doc)
  const older = new Y.Doc()
  Y.applyUpdate(older, Y.encodeStateAsUpdate(doc))
  // Another person (client 2) edits the same document.
  const other = new Y.Doc()
  other.clientID = 2
  Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
  const model = new PlanModel(other)
  textOf(other, 'problem', 0).insert(0, 'Sadly, ')
  textOf(other, 'problem', 1).delete(0, 10)
  const first = model.initiatives()[0]
  first?.setStatus('atRisk')
  first?.text('owner')?.insert(0, 'Deputy ')
  model.removeInitiative(model.initiatives()[1]?.id as string)
  model.addInitiative('policy', { title: 'Living wage ordinance' })
  model.setStatus('adopted')

  const people = new Map([[2, { id: 'u2', name: 'Bo Team' }]])
  const result = comparePlans(older, other, (c) => people.get(c) ?? null, {
    from: { id: 'a', label: 'A' },
    to: { id: 'current', label: 'Now' },
  })
  const problem = result.prose.find((p) => p.field === 'section:problem')?.changes ?? []
  expect(problem.find((c) => c.kind === 'inserted')).toEqual({
    kind: 'inserted',
    text: 'Sadly, ',
    by: [{ id: 'u2', name: 'Bo Team' }],
  })
  expect(
    problem
      .filter((c) => c.kind === 'deleted')
      .map((c) => c.text)
      .join(''),
  ).toContain('Paragraph')
  expect(result.fields).toEqual(
    expect.arrayContaining([
      { scope: 'Plan', field: 'Status', before: 'Draft', after: 'Adopted' },
      { scope: 'Initiative “Good-jobs scoring in RFPs”', field: 'Status', before: 'On track', after: 'At risk' },
      {
        scope: 'Initiative “Good-jobs scoring in RFPs”',
        field: 'Owner',
        before: 'Procurement office',
        after: 'Deputy Procurement office',
      },
    ]),
  )
  expect(result.initiativesAdded.map((i) => i.title)).toEqual(['Living wage ordinance'])
  expect(result.initiativesRemoved.map((i) => i.title)).toEqual(['Apprenticeships in public works'])
  // Nothing changed, nothing listed.
  const same = comparePlans(older, older, () => null, { from: { id: 'a', label: 'A' }, to: { id: 'a', label: 'A' } })
  expect([same.prose, same.fields, same.initiativesAdded, same.initiativesRemoved]).toEqual([[], [], [], []])
})
