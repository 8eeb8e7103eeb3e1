import { PlanModel, planProseJson, ThreadsModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { restoreInto } from './restoreContent.ts'
import { markComment, paragraph, samplePlan, textOf } from './testPlans.ts'

/** A plan's fields and prose as plain values, sharing aside (a restore leaves it). */
function content(doc: Y.Doc) {
  const { sharedWithCohort: _ignored, ...plan } = new PlanModel(doc).snapshot()
  return { plan, prose: planProseJson(doc) }
}

function stateVectorGrew(before: Map<number, number>, after: Map<number, number>): boolean {
  for (const [client, clock] of before) if ((after.get(client) ?? 0) < clock) return false
  return true
}

/** A stored version: the live document's state as one update, read into a document of its own. */
function versionOf(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

function editEverything(doc: Y.Doc): void {
  const model = new PlanModel(doc)
  doc.transact(() => {
    model.setTitle('Renamed plan')
    model.setStatus('inReview')
    textOf(doc, 'problem', 0).insert(5, ' (rewritten)')
    textOf(doc, 'problem', 1).delete(0, 10)
    textOf(doc, 'problem', 1).format(0, 4, { italic: {} })
    model.section('problem').delete(2, 1)
    model.section('problem').insert(0, [paragraph('A brand new first paragraph')])
    const [first, second] = model.initiatives()
    first?.text('owner')?.insert(0, 'Chief ')
    first?.setStatus('atRisk')
    first?.setComponent('wages', false)
    first?.setComponent('benefits', true)
    if (second) model.removeInitiative(second.id)
    model.addInitiative('policy', { title: 'Added later' })
  })
}

describe('restoreInto', () => {
  it('reproduces a version’s prose and fields exactly while the state vector only grows', () => {
    const live = new Y.Doc()
    samplePlan(live)
    const versionA = versionOf(live)
    const wanted = content(versionA)
    editEverything(live)
    expect(content(live)).not.toEqual(wanted)

    const before = Y.decodeStateVector(Y.encodeStateVector(live))
    live.transact(() => restoreInto(live, versionA, { kind: 'all' }))
    expect(content(live)).toEqual(wanted)
    expect(stateVectorGrew(before, Y.decodeStateVector(Y.encodeStateVector(live)))).toBe(true)
  })

  it('keeps unchanged text as the same items, so who wrote it and comment anchors survive, and leaves threads alone', () => {
    const live = new Y.Doc()
    samplePlan(live)
    const versionA = versionOf(live)
    const text = textOf(live, 'problem', 0)
    const threads = new ThreadsModel(live)
    threads.create({
      id: 'thread-1',
      anchor: { kind: 'initiative', initiativeId: 'x' },
      author: { id: 'coach', name: 'Cory Coach' },
      body: 'Which county?',
    })
    markComment(text, 0, 9, 'thread-1')
    text.insert(text.length, ' Added after.')
    live.transact(() => restoreInto(live, versionA, { kind: 'all' }))
    // The paragraph is the same Yjs type, edited in place, and keeps its comment anchor.
    expect(textOf(live, 'problem', 0)).toBe(text)
    const marked = (text.toDelta() as Array<{ insert: string; attributes?: Record<string, unknown> }>).filter(
      (op) => op.attributes?.['comment--thread-1'],
    )
    expect(marked.map((op) => op.insert).join('')).toBe('Paragraph')
    const plain = (t: Y.XmlText) => (t.toDelta() as Array<{ insert: string }>).map((op) => op.insert).join('')
    expect(plain(text)).toBe(plain(textOf(versionA, 'problem', 0)))
    // Comment threads are not rewound: the thread made after version A is still there.
    expect(threads.list().map((t) => t.id)).toEqual(['thread-1'])
  })

  it('restores one initiative or one section and leaves the rest of the plan as it is', () => {
    const live = new Y.Doc()
    const model = samplePlan(live)
    const versionA = versionOf(live)
    editEverything(live)
    const removedId = new PlanModel(versionA).initiatives()[1]?.id as string
    live.transact(() => restoreInto(live, versionA, { kind: 'initiative', initiativeId: removedId }))
    expect(model.initiative(removedId)?.snapshot()).toEqual(new PlanModel(versionA).initiative(removedId)?.snapshot())
    expect(model.title).toBe('Renamed plan')

    live.transact(() => restoreInto(live, versionA, { kind: 'section', section: 'problem' }))
    expect(planProseJson(live)['section:problem']).toEqual(planProseJson(versionA)['section:problem'])
    expect(model.status).toBe('inReview')
    expect(restoreInto(live, versionA, { kind: 'initiative', initiativeId: 'no-such' })).toBe(false)
  })

  it('restores a section of 30,000 paragraphs rewritten since, exactly, keeping the paragraphs that stayed', () => {
    const version = new Y.Doc()
    new PlanModel(version).section('problem').insert(
      0,
      Array.from({ length: 30_000 }, (_, i) => paragraph(`Old ${i}`)),
    )
    // The live plan: every 1000th paragraph rewritten and two replaced by a heading. Matching
    // 30,000 blocks against 30,000 by a table of every pair took the server's whole memory.
    const live = new Y.Doc()
    Y.applyUpdate(live, Y.encodeStateAsUpdate(version))
    const section = new PlanModel(live).section('problem')
    const heading = new Y.XmlElement('heading')
    heading.insert(0, [new Y.XmlText('A heading')])
    live.transact(() => {
      section.delete(1, 2)
      section.insert(1, [heading])
      for (let i = 1; i < 29_999; i += 1000) {
        const text = (section.get(i) as Y.XmlElement).get(0) as Y.XmlText
        text.insert(0, 'Rewritten ')
      }
    })
    const [first, last] = [section.get(0), section.get(section.length - 1)]
    live.transact(() => restoreInto(live, version, { kind: 'section', section: 'problem' }))
    expect(planProseJson(live)['section:problem']).toEqual(planProseJson(version)['section:problem'])
    // The common start and end are kept as they are, not replaced by copies.
    expect(section.get(0)).toBe(first)
    expect(section.get(section.length - 1)).toBe(last)
  })

  it('restores a section whose block kinds alternate with the version’s, exactly', () => {
    const version = new Y.Doc()
    new PlanModel(version).section('problem').insert(
      0,
      Array.from({ length: 2000 }, (_, i) => paragraph(`Version ${i}`)),
    )
    // Every other live block a heading: a thousand separate runs of blocks to remove.
    const live = new Y.Doc()
    new PlanModel(live).section('problem').insert(
      0,
      Array.from({ length: 2000 }, (_, i) => {
        const block = new Y.XmlElement(i % 2 ? 'heading' : 'paragraph')
        block.insert(0, [new Y.XmlText(`Live ${i}`)])
        return block
      }),
    )
    live.transact(() => restoreInto(live, version, { kind: 'section', section: 'problem' }))
    expect(planProseJson(live)['section:problem']).toEqual(planProseJson(version)['section:problem'])
  })

  it('restores a paragraph of 50,000 characters formatted differently every other character, exactly', () => {
    const textOfProblem = (doc: Y.Doc) =>
      (new PlanModel(doc).section('problem').get(0) as Y.XmlElement).get(0) as Y.XmlText
    const formatted = (doc: Y.Doc, mark: string) => {
      new PlanModel(doc).section('problem').insert(0, [paragraph('')])
      textOfProblem(doc).applyDelta(
        Array.from({ length: 50_000 }, (_, i) =>
          i % 2 ? { insert: 'x', attributes: { [mark]: {} } } : { insert: 'x' },
        ),
      )
    }
    const version = new Y.Doc()
    formatted(version, 'bold')
    const live = new Y.Doc()
    formatted(live, 'italic')
    live.transact(() => restoreInto(live, version, { kind: 'section', section: 'problem' }))
    expect(textOfProblem(live).toDelta()).toEqual(textOfProblem(version).toDelta())
  })

  it('merges a client’s offline edits into the restored plan without losing them', () => {
    const server = new Y.Doc()
    samplePlan(server)
    const versionA = versionOf(server)
    editEverything(server)
    const offline = new Y.Doc()
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(server))
    // While offline: a sentence in the definition, an edit to a new initiative, a new paragraph.
    const offlineModel = new PlanModel(offline)
    textOf(offline, 'jobQualityDefinition', 0).insert(0, 'Offline: ')
    offlineModel
      .initiatives()
      .find((i) => i.title === 'Added later')
      ?.text('owner')
      ?.insert(0, 'Policy team')
    offlineModel.section('communityEngagement').insert(0, [paragraph('Written on the train.')])

    server.transact(() => restoreInto(server, versionA, { kind: 'all' }))
    Y.applyUpdate(server, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(server)))
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(server, Y.encodeStateVector(offline)))

    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(offline))
    const text = (d: Y.Doc) => new PlanModel(d).snapshot().sections
    expect(text(server)).toEqual(text(offline))
    expect(text(server).jobQualityDefinition).toBe('Offline: A good job pays enough to live on.')
    expect(text(server).communityEngagement).toBe('Written on the train.')
    // The restored part is A's.
    expect(text(server).problem).toBe(text(versionA).problem)
  })
})
