import { AccessMode, PlanModel, sectionField, ThreadsModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { replicaUpdate } from './replicaUpdate.ts'
import { policyFor, type UpdateVerdict } from './updatePolicy.ts'
import { planWriteRules } from './writeRules/planWriteRules.ts'

const planPolicy = policyFor(planWriteRules)

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
  it('accepts a new thread with a comment mark on the quoted words', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      doc.transact(() => {
        const thread = new ThreadsModel(doc).create({
          anchor: { kind: 'text', field: sectionField('problem'), quote: 'wages', before: 'Raise ', after: ' for' },
          author: coach,
          body: 'Which wage level?',
        })
        firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h1': { threadId: thread.id } })
      })
    })
    expect(commentOnlyVerdict(server, update)).toEqual({ kind: 'apply' })
  })

  it('accepts a comment mark inside an initiative description, replies, resolving and removing a mark', () => {
    const { server, initiativeId } = serverPlan()
    const field = `initiative:${initiativeId}:description`
    const plan = new PlanModel(server)
    const description = plan.initiative(initiativeId)?.description as Y.XmlFragment
    const text = (description.get(0) as Y.XmlElement).get(0) as Y.XmlText
    const markAndThread = replicaUpdate(server, (doc) => {
      const thread = new ThreadsModel(doc).create({
        anchor: { kind: 'text', field, quote: 'wage floor', before: 'Set a ', after: ' in' },
        author: coach,
        body: 'Cite the ordinance',
      })
      const copy = descriptionText(doc, initiativeId)
      copy.format(6, 10, { 'comment--h2': { threadId: thread.id } })
    })
    expect(commentOnlyVerdict(server, markAndThread).kind).toBe('apply')
    Y.applyUpdate(server, markAndThread)
    expect(text.toDelta().some((op: { attributes?: object }) => op.attributes)).toBe(true)
    const followUp = replicaUpdate(server, (doc) => {
      const thread = new ThreadsModel(doc).list()[0]
      thread?.reply(coach, 'Also the date')
      thread?.resolve(coach)
      const copy = descriptionText(doc, initiativeId)
      copy.format(0, copy.length, { 'comment--h2': null })
    })
    expect(commentOnlyVerdict(server, followUp).kind).toBe('apply')
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
  it('accepts a thread and its mark made and removed again, sent as one update on reconnect', () => {
    const { server } = serverPlan()
    const update = replicaUpdate(server, (doc) => {
      const threads = new ThreadsModel(doc)
      const thread = threads.create({
        anchor: { kind: 'text', field: sectionField('problem'), quote: 'wages', before: 'Raise ', after: ' for' },
        author: coach,
        body: 'Which wage level?',
      })
      firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h1': { threadId: thread.id } })
      firstText(doc, sectionField('problem')).format(6, 5, { 'comment--h1': null })
      threads.remove(thread.id)
    })
    expect(commentOnlyVerdict(server, update).kind).toBe('apply')
  })
})
