import { findCommentMarks, initiativeDescriptionField, PlanModel, sectionField, ThreadsModel } from '@lever/shared'
import { getSchema } from '@tiptap/core'
import { type MarkType, Slice } from '@tiptap/pm/model'
import StarterKit from '@tiptap/starter-kit'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { PlanPerson } from '../api/comments.ts'
import { addCommentMark, flatten, segmentsOfFlat } from './anchors.ts'
import { CommentMark } from './commentMark.ts'
import { withoutForeignComments } from './editorExtensions.ts'
import { highlightCss } from './highlightCss.ts'
import { matchPeople, mentionQuery, mentionsIn } from './mentions.ts'
import { reanchorThread } from './threadActions.ts'
import { matchesFilter, threadViews } from './threadViews.ts'

const schema = getSchema([
  StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] }, link: false }),
  CommentMark,
])
const comment = (threadId: string) => (schema.marks.comment as MarkType).create({ threadId })
const ana = { id: 'ana', name: 'Ana Lopez' }
const ben = { id: 'ben', name: 'Ben' }

function paragraphs(fragment: Y.XmlFragment, ...texts: string[]): void {
  fragment.insert(
    fragment.length,
    texts.map((t) => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(t)])
      return p
    }),
  )
}

/** Marks `words` in a fragment for a thread, as the comment button would. */
function mark(fragment: Y.XmlFragment, words: string, threadId: string): void {
  const flat = flatten(fragment)
  const at = flat.text.indexOf(words)
  addCommentMark(segmentsOfFlat(flat, at, at + words.length), threadId)
}

describe('pasting commented text', () => {
  it('keeps comment marks of this plan’s threads and drops the others', () => {
    const slice = new Slice(
      schema.node('doc', null, [
        schema.node('paragraph', null, [
          schema.text('ours', [comment('here')]),
          schema.text(' and '),
          schema.text('theirs', [comment('elsewhere'), (schema.marks.bold as MarkType).create()]),
        ]),
      ]).content,
      0,
      0,
    )
    const pasted = withoutForeignComments(slice, (id) => id === 'here')
    const marks: Array<[string, string[]]> = []
    pasted.content.descendants((node) => {
      if (node.isText) marks.push([node.text ?? '', node.marks.map((m) => m.attrs.threadId ?? m.type.name)])
    })
    expect(marks).toEqual([
      ['ours', ['here']],
      [' and ', []],
      ['theirs', ['bold']],
    ])
  })
})

describe('the comments sidebar’s threads', () => {
  function plan(): { doc: Y.Doc; model: PlanModel; threads: ThreadsModel } {
    const doc = new Y.Doc()
    const model = PlanModel.initialize(doc, { title: 'Plan', jurisdictionId: 'boulder-co' })
    return { doc, model, threads: new ThreadsModel(doc) }
  }

  it('lists threads in document order: sections, then initiatives as shown, orphans last in their field', () => {
    const { doc, model, threads } = plan()
    const procurement = model.addInitiative('procurement', { title: 'Prevailing wage' })
    const policy = model.addInitiative('policy', { title: 'Fair scheduling law' })
    const metric = procurement.metrics.add('m1')
    metric.text('name')?.insert(0, 'Contracts with wage floors')
    paragraphs(model.section('problem'), 'Janitors earn too little.', 'Few have benefits.')
    paragraphs(model.section('theoryOfChange'), 'Better contracts, better jobs.')
    paragraphs(procurement.description as Y.XmlFragment, 'Add wage floors to county contracts.')
    const text = (field: string, quote: string, author = ana) =>
      threads.create({ anchor: { kind: 'text', field, quote, before: '', after: '' }, author, body: quote }).id
    doc.transact(() => {
      const ids = {
        theory: text(sectionField('theoryOfChange'), 'better jobs'),
        benefits: text(sectionField('problem'), 'benefits', ben),
        orphan: text(sectionField('problem'), 'deleted words'),
        janitors: text(sectionField('problem'), 'Janitors'),
        policy: threads.create({
          anchor: { kind: 'initiative', initiativeId: policy.id },
          author: ben,
          body: 'Which council?',
          mentions: ['ana'],
        }).id,
        metric: threads.create({
          anchor: { kind: 'metric', initiativeId: procurement.id, metricId: 'm1' },
          author: ana,
          body: 'Baseline?',
        }).id,
        description: text(initiativeDescriptionField(procurement.id), 'wage floors'),
        initiative: threads.create({
          anchor: { kind: 'initiative', initiativeId: procurement.id },
          author: ana,
          body: 'Owner?',
        }).id,
      }
      mark(model.section('theoryOfChange'), 'better jobs', ids.theory)
      mark(model.section('problem'), 'benefits', ids.benefits)
      mark(model.section('problem'), 'Janitors', ids.janitors)
      mark(procurement.description as Y.XmlFragment, 'wage floors', ids.description)
    })
    const views = threadViews(doc, model, teamThreads(doc), 'ana')
    expect(views.map((v) => [v.label, v.thread.comments[0]?.body, v.orphaned])).toEqual([
      ['Problem and baseline', 'Janitors', false],
      ['Problem and baseline', 'benefits', false],
      ['Problem and baseline', 'deleted words', true],
      ['Theory of change', 'better jobs', false],
      ['Prevailing wage', 'Owner?', false],
      ['Prevailing wage: description', 'wage floors', false],
      ['Prevailing wage: Contracts with wage floors', 'Baseline?', false],
      ['Fair scheduling law', 'Which council?', false],
    ])
    expect(views.filter((v) => matchesFilter(v, 'mentions')).map((v) => v.label)).toEqual(['Fair scheduling law'])
    expect(views.filter((v) => matchesFilter(v, 'mine'))).toHaveLength(6)
    // Resolved threads are not highlighted; the thread being read is, more strongly.
    threads.get(views[0]?.thread.id ?? '')?.resolve(ben)
    const css = highlightCss(threadViews(doc, model, teamThreads(doc), 'ana'), views[1]?.thread.id ?? null)
    expect(css).not.toContain(views[0]?.thread.id)
    expect(css).toContain(`[data-thread-id="${views[1]?.thread.id}"] {\n  background-color: var(--comment-active-bg)`)
  })
})

describe('@mentions', () => {
  const people: PlanPerson[] = [
    { id: 'a', name: 'City of Boulder lead', role: 'member', color: '#000', access: 'read-write' },
    { id: 'c', name: 'Cory Coach', role: 'coach', color: '#000', access: 'comment-only' },
    { id: 'f', name: 'Fran Facilitator', role: 'facilitator', color: '#000', access: 'read-write' },
  ]

  it('suggests people by the start of their name or of a word of it, not inside email addresses', () => {
    expect(mentionQuery('Ask @co', 7)).toEqual({ start: 4, query: 'co' })
    expect(mentionQuery('mail ana@example.org', 20)).toBeNull()
    expect(mentionQuery('@City of B', 10)).toEqual({ start: 0, query: 'City of B' })
    expect(matchPeople(people, 'co').map((p) => p.id)).toEqual(['c'])
    expect(matchPeople(people, 'city of b').map((p) => p.id)).toEqual(['a'])
    expect(matchPeople(people, 'fac').map((p) => p.id)).toEqual(['f'])
  })

  it('puts the writer last among the suggestions', () => {
    const all = matchPeople(people, '').map((p) => p.id)
    expect(matchPeople(people, '', all[0]).map((p) => p.id)).toEqual([...all.slice(1), all[0]])
    expect(matchPeople(people, 'fac', 'f').map((p) => p.id)).toEqual(['f'])
  })

  it('stores the ids of the people named with @ in a comment', () => {
    expect(mentionsIn('@Cory Coach and @Fran Facilitator, see this', people)).toEqual(['c', 'f'])
    expect(mentionsIn('Cory Coach without an at sign', people)).toEqual([])
  })
})

describe('re-anchoring an orphaned thread', () => {
  it('moves the thread to the words selected now, with their quote, and takes its mark off anything else', () => {
    const doc = new Y.Doc()
    const model = PlanModel.initialize(doc, { title: 'Plan', jurisdictionId: 'boulder-co' })
    paragraphs(model.section('problem'), 'Janitors earn too little.')
    paragraphs(model.section('equityPopulations'), 'Black and Latina janitors earn least.')
    const threads = new ThreadsModel(doc)
    const thread = threads.create({
      anchor: { kind: 'text', field: sectionField('problem'), quote: 'gone words', before: '', after: '' },
      author: ana,
      body: 'Where did this go?',
    })
    mark(model.section('problem'), 'Janitors', thread.id)
    const flat = flatten(model.section('equityPopulations'))
    const at = flat.text.indexOf('earn least')
    doc.transact(() => {
      const done = reanchorThread(doc, thread, {
        field: sectionField('equityPopulations'),
        segments: segmentsOfFlat(flat, at, at + 'earn least'.length),
        quote: { quote: 'earn least', before: 'Latina janitors ', after: '.' },
      })
      expect(done).toBe(true)
    })
    expect(findCommentMarks(doc).get(thread.id)).toMatchObject({
      field: sectionField('equityPopulations'),
      text: 'earn least',
    })
    expect(thread.anchor).toMatchObject({ field: sectionField('equityPopulations'), quote: 'earn least' })
  })
})

/** The threads of a document, as the team's (the tests keep threads and prose in one document). */
function teamThreads(doc: Y.Doc) {
  return new ThreadsModel(doc).list().map((thread) => ({ thread, visibility: 'team' as const }))
}
