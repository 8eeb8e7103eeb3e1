import { AccessMode, PlanModel, sectionField, ThreadsModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { replicaUpdate } from './replicaUpdate.ts'
import { policyFor, type UpdateVerdict } from './updatePolicy.ts'
import { planWriteRules } from './writeRules/planWriteRules.ts'

/** Who started which thread (the thread documents know it; here, a table). */
const authors = new Map<string, string>([
  ['coach-thread', 'coach1'],
  ['team-thread', 'member1'],
])
const planPolicy = policyFor(planWriteRules((_doc, threadId) => authors.get(threadId) ?? null))

/** The plan's policy, for a comment-only connection of the coach. */
function commentOnlyVerdict(server: Y.Doc, update: Uint8Array): UpdateVerdict {
  const identity = { userId: coach.id, name: coach.name }
  const verdict = planPolicy({ mode: AccessMode.CommentOnly, doc: server, update, identity })
  return verdict.kind === 'reject' ? { kind: 'reject', reason: verdict.reason } : verdict
}

/** A plan with a paragraph of prose and an initiative, as the server holds it. */
function serverPlan(): { server: Y.Doc; paragraphText: Y.XmlText; initiativeId: string } {
  const server = new Y.Doc()
  const plan = PlanModel.initialize(server, { title: 'Plan', jurisdictionId: 'boulder-co' })
  const p = new Y.XmlElement('paragraph')
  const text = new Y.XmlText('Raise wages for contract janitors.')
  p.insert(0, [text])
  plan.section('problem').insert(0, [p])
  const initiative = plan.addInitiative('procurement', { title: 'Wage floor' })
  const description = initiative.description as Y.XmlFragment
  const dp = new Y.XmlElement('paragraph')
  dp.insert(0, [new Y.XmlText('Set a wage floor in service contracts.')])
  description.insert(0, [dp])
  return { server, paragraphText: text, initiativeId: initiative.id }
}

function firstText(doc: Y.Doc, field: string): Y.XmlText {
  const paragraph = doc.getXmlFragment(field).get(0) as Y.XmlElement
  return paragraph.get(0) as Y.XmlText
}

const coach = { id: 'coach1', name: 'Cory Coach' }

function descriptionText(doc: Y.Doc, initiativeId: string): Y.XmlText {
  const description = new PlanModel(doc).initiative(initiativeId)?.description
  if (!description) throw new Error('no description')
  return (description.get(0) as Y.XmlElement).get(0) as Y.XmlText
}

describe('commentOnlyVerdict', () => {
  it('accepts a comment mark on the quoted words (the thread itself goes to a thread document)', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h1': { threadId: 'coach-thread' } })
    })
    expect(commentOnlyVerdict(server, update)).toEqual({ kind: 'apply' })
  })

  it('accepts a comment mark inside an initiative description, and taking the mark of their own thread off', () => {
    const { server, initiativeId } = serverPlan()
    const plan = new PlanModel(server)
    const description = plan.initiative(initiativeId)?.description as Y.XmlFragment
    const text = (description.get(0) as Y.XmlElement).get(0) as Y.XmlText
    const mark = replicaUpdate(server, (doc) => {
      descriptionText(doc, initiativeId).format(6, 10, { 'comment--h2': { threadId: 'coach-thread' } })
    })
    expect(commentOnlyVerdict(server, mark).kind).toBe('apply')
    Y.applyUpdate(server, mark)
    expect(text.toDelta().some((op: { attributes?: object }) => op.attributes)).toBe(true)
    const unmark = replicaUpdate(server, (doc) => {
      const copy = descriptionText(doc, initiativeId)
      copy.format(0, copy.length, { 'comment--h2': null })
    })
    expect(commentOnlyVerdict(server, unmark).kind).toBe('apply')
  })

  it("refuses taking the comment mark of someone else's thread off words, in part or whole", () => {
    const { server } = serverPlan()
    // The team member marked "wages" for their thread.
    Y.applyUpdate(
      server,
      replicaUpdate(server, (doc) => {
        firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h3': { threadId: 'team-thread' } })
      }),
    )
    const removals: Array<(doc: Y.Doc) => void> = [
      (doc) => firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h3': null }),
      (doc) => firstText(doc, sectionField('problem')).format(8, 3, { 'comment--h3': null }),
    ]
    for (const removal of removals) {
      const verdict = commentOnlyVerdict(server, replicaUpdate(server, removal))
      expect(verdict).toEqual({
        kind: 'reject',
        reason: 'a comment-only connection may only remove the comment marks of threads they started',
      })
    }
    // Marking the same thread's words again (after a concurrent edit lost part of them) only adds.
    const grow = replicaUpdate(server, (doc) => {
      firstText(doc, sectionField('problem')).format(0, 11, { 'comment--h3': { threadId: 'team-thread' } })
    })
    expect(commentOnlyVerdict(server, grow).kind).toBe('apply')
  })

  it('refuses handing the words of someone else’s mark to another thread under the same key', () => {
    const { server } = serverPlan()
    Y.applyUpdate(
      server,
      replicaUpdate(server, (doc) => {
        firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h3': { threadId: 'team-thread' } })
      }),
    )
    // Same key, same words: only the thread changes.
    const hijack = replicaUpdate(server, (doc) => {
      firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h3': { threadId: 'coach-thread' } })
    })
    expect(commentOnlyVerdict(server, hijack)).toEqual({
      kind: 'reject',
      reason: 'a comment-only connection may only remove the comment marks of threads they started',
    })
  })

  it('refuses more than 256 comment marks in one update (a mark counted in each text it touches), and accepts 256', () => {
    const { server, initiativeId } = serverPlan()
    const marks = (inProse: number, inDescription: number) =>
      replicaUpdate(server, (doc) => {
        const prose = firstText(doc, sectionField('problem'))
        const description = descriptionText(doc, initiativeId)
        for (let i = 0; i < inProse; i++) prose.format(i % 30, 1, { [`comment--k${i}`]: { threadId: `coach-t${i}` } })
        for (let i = 0; i < inDescription; i++) {
          description.format(i % 30, 1, { [`comment--k${i}`]: { threadId: `coach-t${i}` } })
        }
      })
    expect(commentOnlyVerdict(server, marks(200, 56)).kind).toBe('apply')
    expect(commentOnlyVerdict(server, marks(200, 57))).toEqual({
      kind: 'reject',
      reason: 'a comment-only connection may change at most 256 comment marks in one update',
    })
  })

  it('refuses a comment thread written into the plan (threads have documents of their own)', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      new ThreadsModel(doc).create({ anchor: { kind: 'initiative', initiativeId: 'x' }, author: coach, body: 'hi' })
    })
    expect(commentOnlyVerdict(server, update).kind).toBe('reject')
    const asEditor = planPolicy({
      mode: AccessMode.ReadWrite,
      doc: server,
      update,
      identity: { userId: 'member1', name: 'Mel Member' },
    })
    expect(asEditor.kind).toBe('reject')
  })

  it('refuses a text edit in prose', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => firstText(doc, sectionField('problem')).insert(0, 'Please '))
    expect(commentOnlyVerdict(server, update).kind).toBe('reject')
  })

  it('refuses deleting prose', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => firstText(doc, sectionField('problem')).delete(0, 6))
    expect(commentOnlyVerdict(server, update).kind).toBe('reject')
  })

  it('refuses other formatting, such as bold', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => firstText(doc, sectionField('problem')).format(0, 5, { bold: true }))
    expect(commentOnlyVerdict(server, update).kind).toBe('reject')
  })

  it('refuses a field change of an initiative', () => {
    const { server, initiativeId } = serverPlan()
    const update = replicaUpdate(server, (doc) => new PlanModel(doc).initiative(initiativeId)?.setStatus('done'))
    expect(commentOnlyVerdict(server, update).kind).toBe('reject')
  })

  it('refuses a structural change: adding or removing an initiative, a new paragraph, the title', () => {
    const { server, initiativeId } = serverPlan()
    const changes: Array<(doc: Y.Doc) => void> = [
      (doc) => new PlanModel(doc).addInitiative('policy', { title: 'Sneaky' }),
      (doc) => new PlanModel(doc).removeInitiative(initiativeId),
      (doc) => doc.getXmlFragment(sectionField('equityAccess')).insert(0, [new Y.XmlElement('paragraph')]),
      (doc) => new PlanModel(doc).setTitle('Renamed'),
      (doc) => doc.getMap('somethingNew').set('x', 1),
    ]
    for (const change of changes) expect(commentOnlyVerdict(server, replicaUpdate(server, change)).kind).toBe('reject')
  })

  it('ignores what the server already has', () => {
    const { server } = serverPlan()
    expect(commentOnlyVerdict(server, Y.encodeStateAsUpdate(server)).kind).toBe('ignore')
  })

  it('refuses a thread smuggled in together with a text edit', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      new ThreadsModel(doc).create({ anchor: { kind: 'initiative', initiativeId: 'x' }, author: coach, body: 'hi' })
      firstText(doc, sectionField('problem')).insert(0, 'X')
    })
    expect(commentOnlyVerdict(server, update).kind).toBe('reject')
  })
})

describe('commentOnlyVerdict on what a coach did and took back offline', () => {
  it('accepts a mark made and removed again, sent as one update on reconnect', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h1': { threadId: 'coach-thread' } })
      firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h1': null })
    })
    expect(commentOnlyVerdict(server, update).kind).toBe('apply')
  })
})
