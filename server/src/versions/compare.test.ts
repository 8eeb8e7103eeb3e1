import { PlanModel } from '@lever/shared'
import { expect, it } from 'vitest'
import * as Y from 'yjs'
import { comparePlans, MAX_WORD_EDITS, proseChanges } from './compare.ts'
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

/** A plan whose "problem" section holds `paragraphs`, each as one paragraph. */
function planWith(paragraphs: string[]): Y.Doc {
  const doc = new Y.Doc()
  const section = new PlanModel(doc).section('problem')
  section.insert(
    0,
    paragraphs.map((text) => {
      const p = new Y.XmlElement('paragraph')
      const t = new Y.XmlText()
      t.insert(0, text)
      p.insert(0, [t])
      return p
    }),
  )
  return doc
}

const labels = { from: { id: 'a', label: 'A' }, to: { id: 'b', label: 'B' } }
const problemChanges = (from: Y.Doc, to: Y.Doc) =>
  comparePlans(from, to, () => null, labels).prose.find((p) => p.field === 'section:problem')?.changes ?? []

it('shows a paragraph rewritten past MAX_WORD_EDITS as replaced whole, not word by word', () => {
  const before = Array.from({ length: MAX_WORD_EDITS }, (_, i) => `old${i}`).join(' ')
  const after = Array.from({ length: MAX_WORD_EDITS }, (_, i) => `new${i}`).join(' ')
  expect(problemChanges(planWith(['Intro', before]), planWith(['Intro', after]))).toEqual([
    { kind: 'same', text: 'Intro' },
    { kind: 'same', text: '\n' },
    { kind: 'deleted', text: before },
    { kind: 'inserted', text: after },
  ])
  // A small rewrite of the same paragraph still shows word by word.
  const edited = before.replace('old7 ', 'older7 ')
  expect(problemChanges(planWith([before]), planWith([edited])).filter((c) => c.kind !== 'same')).toEqual([
    { kind: 'deleted', text: 'old7' },
    { kind: 'inserted', text: 'older7' },
  ])
})

it('matches one added paragraph among 30,000 and shows just that paragraph as new', () => {
  const many = Array.from({ length: 30_000 }, (_, i) => `Paragraph ${i}`)
  const grown = [...many.slice(0, 20_000), 'A new paragraph', ...many.slice(20_000)]
  const changes = problemChanges(planWith(many), planWith(grown))
  expect(changes.filter((c) => c.kind !== 'same')).toEqual([{ kind: 'inserted', text: 'A new paragraph' }])
})

it('past its time budget, shows the changed paragraphs left as replaced whole', () => {
  const from = planWith(['Same start', 'one two three', 'Same end'])
  const to = planWith(['Same start', 'one 2 three', 'Same end'])
  const a = new PlanModel(from).section('problem')
  const b = new PlanModel(to).section('problem')
  const wordByWord = proseChanges(a, b, () => null)
  expect(wordByWord.filter((c) => c.kind !== 'same')).toEqual([
    { kind: 'deleted', text: 'two' },
    { kind: 'inserted', text: '2' },
  ])
  const spent = proseChanges(a, b, () => null, performance.now() - 1)
  expect(spent.filter((c) => c.kind !== 'same')).toEqual([
    { kind: 'deleted', text: 'one two three' },
    { kind: 'inserted', text: 'one 2 three' },
  ])
})
