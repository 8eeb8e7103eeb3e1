import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PlanValidationError } from '../plan/errors.ts'
import { PlanModel, sectionField } from '../plan/PlanModel.ts'
import { findCommentMarks } from './marks.ts'
import { ThreadsModel } from './ThreadModel.ts'

const ana = { id: 'ana', name: 'Ana' }
const ben = { id: 'ben', name: 'Ben' }

function planWithText(text: string): { doc: Y.Doc; ytext: Y.XmlText } {
  const doc = new Y.Doc()
  PlanModel.initialize(doc, { title: 'Plan', jurisdictionId: 'ohio' })
  const p = new Y.XmlElement('paragraph')
  const ytext = new Y.XmlText(text)
  p.insert(0, [ytext])
  doc.getXmlFragment(sectionField('problem')).insert(0, [p])
  return { doc, ytext }
}

describe('ThreadsModel', () => {
  it('keeps a conversation: replies, edits, deletions, reactions, resolve and reopen', () => {
    const { doc } = planWithText('x')
    const threads = new ThreadsModel(doc)
    const thread = threads.create({
      anchor: { kind: 'initiative', initiativeId: 'i1' },
      author: ana,
      body: 'First',
      mentions: ['ben'],
    })
    const reply = thread.reply(ben, 'Second')
    reply.toggleReaction('thumbsUp', 'ana')
    thread.comments()[0]?.edit('First, edited')
    reply.remove()
    thread.resolve(ben)
    let s = thread.snapshot()
    expect(s.status).toBe('resolved')
    expect(s.resolvedBy).toBe('Ben')
    expect(s.comments.map((c) => [c.authorName, c.body, c.deleted])).toEqual([
      ['Ana', 'First, edited', false],
      ['Ben', '', true],
    ])
    expect(s.comments[0]?.mentions).toEqual(['ben'])
    expect(s.comments[0]?.editedAt).not.toBeNull()
    expect(s.comments[1]?.reactions).toEqual({ thumbsUp: ['ana'] })
    thread.reopen()
    s = thread.snapshot()
    expect([s.status, s.resolvedBy]).toEqual(['open', null])
  })

  it('refuses an empty comment or a malformed anchor', () => {
    const { doc } = planWithText('x')
    const threads = new ThreadsModel(doc)
    expect(() =>
      threads.create({ anchor: { kind: 'initiative', initiativeId: 'i' }, author: ana, body: '   ' }),
    ).toThrow(PlanValidationError)
    expect(() => threads.create({ anchor: { kind: 'nowhere' } as never, author: ana, body: 'hi' })).toThrow(
      PlanValidationError,
    )
    expect(threads.list()).toEqual([])
  })

  it('keeps both replies when two people reply at once', () => {
    const { doc } = planWithText('x')
    const thread = new ThreadsModel(doc).create({
      anchor: { kind: 'initiative', initiativeId: 'i' },
      author: ana,
      body: 'Q',
    })
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    thread.reply(ana, 'from Ana')
    new ThreadsModel(other).get(thread.id)?.reply(ben, 'from Ben')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
    expect(
      thread
        .snapshot()
        .comments.map((c) => c.body)
        .sort(),
    ).toEqual(['Q', 'from Ana', 'from Ben'])
  })
})

describe('findCommentMarks', () => {
  it('finds marked text, overlapping threads, and loses a thread whose text is deleted until undo brings it back', () => {
    const { doc, ytext } = planWithText('Raise wages for janitors now.')
    ytext.format(6, 5, { 'comment--a': { threadId: 't1' } })
    ytext.format(6, 18, { 'comment--b': { threadId: 't2' } })
    let marks = findCommentMarks(doc)
    expect(marks.get('t1')?.text).toBe('wages')
    expect(marks.get('t2')?.text).toBe('wages for janitors')
    const undo = new Y.UndoManager(doc.getXmlFragment(sectionField('problem')))
    ytext.delete(0, ytext.length)
    expect(findCommentMarks(doc).size).toBe(0)
    undo.undo()
    marks = findCommentMarks(doc)
    expect(marks.get('t1')?.text).toBe('wages')
  })

  it('keeps the anchor on the same words while another replica types before, inside and after them', () => {
    const { doc, ytext } = planWithText('Raise wages now.')
    ytext.format(6, 5, { 'comment--a': { threadId: 't1' } })
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const otherText = (other.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText
    otherText.insert(0, 'Please ') // before
    otherText.insert(19, 'now ') // after the marked words
    ytext.insert(8, 'g') // inside, concurrently: "wagges"
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(other)))
    expect(findCommentMarks(doc).get('t1')?.text).toBe('wagges')
    expect(findCommentMarks(other).get('t1')?.text).toBe('wagges')
  })
})
