import { findCommentMarks, PlanModel, sectionField, ThreadsModel } from '@lever/shared'
import { getSchema } from '@tiptap/core'
import type { MarkType, Node as PMNode } from '@tiptap/pm/model'
import { findWrapping, Transform } from '@tiptap/pm/transform'
import StarterKit from '@tiptap/starter-kit'
import {
  prosemirrorToYXmlFragment,
  updateYFragment,
  ySyncPluginKey,
  yXmlFragmentToProseMirrorRootNode,
} from '@tiptap/y-tiptap'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { COMMENT_ORIGIN } from '../collab/origins.ts'
import { createUndoManager, planUndoScope } from '../collab/undo.ts'
import { AnchorKeeper, BASELINE_WAIT_MS, CHECK_DELAY_MS } from './AnchorKeeper.ts'
import { quoteOf, segmentsForRange } from './anchors.ts'
import { CommentMark, commentMarkKey } from './commentMark.ts'
import { createTextThread } from './threadActions.ts'

/** The editors' schema: StarterKit as RichTextEditor configures it, plus the comment mark. */
const schema = getSchema([
  StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] }, link: false }),
  CommentMark,
])
const FIELD = sectionField('problem')
const coach = { id: 'coach', name: 'Cory Coach' }
const lead = { id: 'lead', name: 'Boulder lead' }

/**
 * One person's browser without the DOM: a Y.Doc, the plan's undo manager, and edits made the
 * way the editor makes them (a ProseMirror transform on the document rendered from Yjs, written
 * back by y-prosemirror's diff under the binding's origin).
 */
class Replica {
  readonly doc = new Y.Doc()
  readonly undo = createUndoManager(planUndoScope(this.doc))
  readonly keeper = new AnchorKeeper(
    this.doc,
    () => new ThreadsModel(this.doc).list(),
    (change) => this.doc.transact(change, COMMENT_ORIGIN),
    (origin) => origin === 'remote',
  )

  get fragment(): Y.XmlFragment {
    return this.doc.getXmlFragment(FIELD)
  }

  pm(): PMNode {
    return yXmlFragmentToProseMirrorRootNode(this.fragment, schema)
  }

  /** Someone's change that takes thread `id`'s highlight off the first paragraph's words. */
  removeMark(id: string): void {
    this.doc.transact(() => {
      const text = (this.fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
      text.format(0, text.length, { [commentMarkKey(id)]: null })
    })
  }

  /** An edit in the editor: a transform of what the editor shows, written back to Yjs. */
  edit(change: (tr: Transform) => void): void {
    const tr = new Transform(this.pm())
    change(tr)
    this.doc.transact(() => {
      updateYFragment(this.doc, this.fragment, tr.doc, { mapping: new Map(), isOMark: new Map() })
    }, ySyncPluginKey)
    this.undo.stopCapturing()
  }

  /** Selects `words` (the n-th occurrence) and starts a thread on them, as the comment button does. */
  comment(words: string, author = coach, occurrence = 0): string {
    const doc = this.pm()
    const { from, to } = find(doc, words, occurrence)
    let id = ''
    this.doc.transact(() => {
      const thread = createTextThread(this.doc, this.doc, {
        field: FIELD,
        segments: segmentsForRange(this.fragment, doc, from, to),
        quote: quoteOf(doc, from, to),
        author,
        body: `About “${words}”`,
      })
      id = thread?.id ?? ''
    }, COMMENT_ORIGIN)
    expect(id).not.toBe('')
    return id
  }

  /** The words under a thread's mark, as the editor shows them. */
  marked(threadId: string): string {
    let text = ''
    this.pm().descendants((node) => {
      if (node.isText && node.marks.some((m) => m.type.name === 'comment' && m.attrs.threadId === threadId)) {
        text += node.text
      }
    })
    return text
  }

  paragraphs(): string[] {
    const out: string[] = []
    this.pm().descendants((node) => {
      if (node.isTextblock) out.push(node.textContent)
      return !node.isTextblock
    })
    return out
  }
}

function find(doc: PMNode, words: string, occurrence = 0): { from: number; to: number } {
  let seen = 0
  let found: { from: number; to: number } | null = null
  doc.descendants((node, pos) => {
    if (found || !node.isTextblock) return !found
    for (let at = node.textContent.indexOf(words); at !== -1; at = node.textContent.indexOf(words, at + 1)) {
      if (seen++ === occurrence) {
        found = { from: pos + 1 + at, to: pos + 1 + at + words.length }
        break
      }
    }
    return false
  })
  if (!found) throw new Error(`"${words}" is not in the document`)
  return found
}

/** Sends each replica what the other has (as the server would), tagged as a remote change. */
function exchange(a: Replica, b: Replica): void {
  const toB = Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc))
  const toA = Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc))
  Y.applyUpdate(b.doc, toB, 'remote')
  Y.applyUpdate(a.doc, toA, 'remote')
}

/** A team member and a coach with the same plan, one paragraph of prose in it. */
function twoPeople(...paragraphs: string[]): { team: Replica; coachSide: Replica } {
  const team = new Replica()
  PlanModel.initialize(team.doc, { title: 'Plan', jurisdictionId: 'boulder-co' })
  team.edit((tr) => {
    tr.replaceWith(
      0,
      tr.doc.content.size,
      paragraphs.map((p) => schema.node('paragraph', null, [schema.text(p)])),
    )
  })
  team.undo.clear()
  const coachSide = new Replica()
  exchange(team, coachSide)
  for (const r of [team, coachSide]) r.keeper.check(false)
  return { team, coachSide }
}

const TEXT = 'Contract janitors earn too little to live in Boulder.'

/** Types `text` at `pos` as the editor would: with the marks the caret has there. */
function typeAt(tr: Transform, pos: number, text: string): void {
  tr.insert(pos, schema.text(text, tr.doc.resolve(pos).marks()))
}

describe('comment anchors under concurrent edits', () => {
  it('stores the mark under the same attribute as the editor binding', () => {
    const doc = schema.node('doc', null, [
      schema.node('paragraph', null, [
        schema.text('x', [(schema.marks.comment as MarkType).create({ threadId: 't1' })]),
      ]),
    ])
    const fragment = prosemirrorToYXmlFragment(doc, new Y.Doc().getXmlFragment('prose'))
    const text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
    const attributes = (text.toDelta() as Array<{ attributes: Record<string, unknown> }>)[0]?.attributes
    expect(attributes).toEqual({ [commentMarkKey('t1')]: { threadId: 't1' } })
  })

  it('keeps the highlight on the same words while someone types before, inside and after them at the same time', () => {
    const { team, coachSide } = twoPeople(TEXT)
    const id = coachSide.comment('too little')
    // Meanwhile, the team types before the words, inside them and right after them.
    team.edit((tr) => typeAt(tr, find(tr.doc, 'Contract').from, 'Sadly, '))
    team.edit((tr) => typeAt(tr, find(tr.doc, 'little').from, 'very '))
    team.edit((tr) => typeAt(tr, find(tr.doc, ' in Boulder').from, ' decently'))
    exchange(team, coachSide)
    for (const r of [team, coachSide]) {
      expect(r.paragraphs()).toEqual(['Sadly, Contract janitors earn too very little to live decently in Boulder.'])
      expect(r.marked(id)).toBe('too very little')
    }
    // Typing right after the highlight, once it is there, does not extend it (inclusive: false).
    team.edit((tr) => typeAt(tr, find(tr.doc, 'little').to, '!'))
    exchange(team, coachSide)
    expect(coachSide.marked(id)).toBe('too very little')
    expect(findCommentMarks(coachSide.doc).get(id)).toMatchObject({ field: FIELD, text: 'too very little' })
  })

  it('keeps the highlight through a paragraph split and join, and a list wrapping, made after the comment', () => {
    const { team, coachSide } = twoPeople(TEXT)
    const id = coachSide.comment('too little')
    exchange(team, coachSide)
    team.edit((tr) => tr.split(find(tr.doc, 'janitors').to))
    exchange(team, coachSide)
    expect(coachSide.paragraphs()).toEqual(['Contract janitors', ' earn too little to live in Boulder.'])
    expect(coachSide.marked(id)).toBe('too little')
    team.edit((tr) => tr.join(find(tr.doc, ' earn').from - 1))
    exchange(team, coachSide)
    expect(coachSide.paragraphs()).toEqual([TEXT])
    expect(coachSide.marked(id)).toBe('too little')
    team.edit((tr) => {
      const range = tr.doc.resolve(1).blockRange(tr.doc.resolve(tr.doc.content.size - 1))
      const wrapping = range && findWrapping(range, schema.nodes.bulletList as never)
      if (!range || !wrapping) throw new Error('cannot wrap')
      tr.wrap(range, wrapping)
    })
    exchange(team, coachSide)
    expect(coachSide.pm().firstChild?.type.name).toBe('bulletList')
    for (const r of [team, coachSide]) expect(r.marked(id)).toBe('too little')
  })

  it.each([
    ['splits the paragraph before the words', (tr: Transform) => tr.split(find(tr.doc, 'janitors').to), 2],
    ['splits the paragraph after the words', (tr: Transform) => tr.split(find(tr.doc, ' to live').to), 2],
    [
      'wraps the paragraph in a bulleted list',
      (tr: Transform) => {
        const range = tr.doc.resolve(1).blockRange(tr.doc.resolve(tr.doc.content.size - 1))
        const wrapping = range && findWrapping(range, schema.nodes.bulletList as never)
        if (!range || !wrapping) throw new Error('cannot wrap')
        tr.wrap(range, wrapping)
      },
      1,
    ],
  ])('keeps the highlight on the same words when the team %s while the coach comments', (_name, change, blocks) => {
    const { team, coachSide } = twoPeople(TEXT)
    const id = coachSide.comment('too little')
    team.edit(change)
    exchange(team, coachSide)
    // The binding re-creates text it moves, so the concurrent mark may land on the old copy;
    // each side's keeper marks the words again, and both converge on the same highlight.
    for (const r of [team, coachSide]) r.keeper.check(true)
    exchange(team, coachSide)
    for (const r of [team, coachSide]) {
      expect(r.paragraphs()).toHaveLength(blocks)
      expect(r.paragraphs().join('')).toBe(TEXT)
      expect(r.marked(id)).toBe('too little')
    }
    expect(Y.encodeStateVector(team.doc)).toEqual(Y.encodeStateVector(coachSide.doc))
  })

  it('keeps the highlight on the same words when the team joins two paragraphs while the coach comments', () => {
    const { team, coachSide } = twoPeople('Contract janitors earn', 'too little to live in Boulder.')
    const id = coachSide.comment('too little')
    team.edit((tr) => tr.join(find(tr.doc, 'too little').from - 1))
    exchange(team, coachSide)
    for (const r of [team, coachSide]) r.keeper.check(true)
    exchange(team, coachSide)
    for (const r of [team, coachSide]) {
      expect(r.paragraphs()).toEqual(['Contract janitors earntoo little to live in Boulder.'])
      expect(r.marked(id)).toBe('too little')
    }
  })

  it('lets threads overlap, each keeping its own words', () => {
    const { team, coachSide } = twoPeople(TEXT)
    const coachThread = coachSide.comment('earn too little')
    const teamThread = team.comment('too little to live', lead)
    exchange(team, coachSide)
    team.edit((tr) => typeAt(tr, find(tr.doc, 'little').from, 'very '))
    exchange(team, coachSide)
    for (const r of [team, coachSide]) {
      expect(r.marked(coachThread)).toBe('earn too very little')
      expect(r.marked(teamThread)).toBe('too very little to live')
    }
    // Where they overlap, the words carry both marks.
    let both = ''
    coachSide.pm().descendants((node) => {
      if (node.isText && node.marks.filter((m) => m.type.name === 'comment').length === 2) both += node.text
    })
    expect(both).toBe('too very little')
    expect(new ThreadsModel(coachSide.doc).list()).toHaveLength(2)
  })

  it('keeps a thread whose words are deleted as an orphan with its quote, and undoing the deletion brings the highlight back', () => {
    const { team, coachSide } = twoPeople(TEXT)
    const id = coachSide.comment('too little')
    exchange(team, coachSide)
    team.edit((tr) => {
      const { from, to } = find(tr.doc, 'too little ')
      tr.delete(from, to)
    })
    exchange(team, coachSide)
    // The keeper does not invent an anchor for words that are really gone.
    for (const r of [team, coachSide]) expect(r.keeper.check(true)).toEqual([])
    for (const r of [team, coachSide]) {
      expect(r.paragraphs()).toEqual(['Contract janitors earn to live in Boulder.'])
      expect(findCommentMarks(r.doc).has(id)).toBe(false)
      expect(new ThreadsModel(r.doc).get(id)?.anchor).toMatchObject({ kind: 'text', quote: 'too little' })
    }
    team.undo.undo()
    exchange(team, coachSide)
    for (const r of [team, coachSide]) {
      expect(r.paragraphs()).toEqual([TEXT])
      expect(r.marked(id)).toBe('too little')
    }
    // The thread itself was never part of the undo: it is still there, with its comment.
    expect(new ThreadsModel(team.doc).get(id)?.snapshot().comments).toHaveLength(1)
  })

  it('does not move a thread to the same words elsewhere when its own words are deleted', () => {
    const { team, coachSide } = twoPeople(
      'Contract janitors earn too little to live in Boulder.',
      'Home care aides also earn too little, says the survey.',
    )
    const id = coachSide.comment('too little', coach, 0)
    exchange(team, coachSide)
    team.edit((tr) => tr.delete(0, tr.doc.child(0).nodeSize))
    exchange(team, coachSide)
    for (const r of [team, coachSide]) {
      expect(r.keeper.check(true)).toEqual([])
      expect(r.marked(id)).toBe('')
    }
  })

  it('re-reads only the prose fields a change touched, and still repairs a mark lost in one of them', () => {
    vi.useFakeTimers()
    try {
      const { team, coachSide } = twoPeople(TEXT)
      const id = coachSide.comment('too little')
      exchange(team, coachSide)
      let read = team.keeper.fieldsRead
      team.keeper.start()
      // Nothing is read as the plan arrives; the first check, at a quiet moment, reads every
      // prose field of the plan.
      expect(team.keeper.fieldsRead).toBe(read)
      vi.advanceTimersByTime(BASELINE_WAIT_MS)
      expect(team.keeper.fieldsRead - read).toBeGreaterThan(1)
      read = team.keeper.fieldsRead
      // Someone else types in the section: the next check reads that section alone.
      coachSide.edit((tr) => typeAt(tr, find(tr.doc, 'Boulder').to, '!'))
      exchange(team, coachSide)
      vi.advanceTimersByTime(CHECK_DELAY_MS + 50)
      expect(team.keeper.fieldsRead - read).toBe(1)
      read = team.keeper.fieldsRead
      // Someone else's change takes the highlight off the words: the keeper sees it in the one
      // field it re-reads, and marks the words again.
      coachSide.removeMark(id)
      exchange(team, coachSide)
      expect(team.marked(id)).toBe('')
      vi.advanceTimersByTime(CHECK_DELAY_MS + 50)
      expect(team.marked(id)).toBe('too little')
      // The repair is one more read of that field (the check, then the marks after the repair).
      expect(team.keeper.fieldsRead - read).toBe(2)
      team.keeper.stop()
    } finally {
      vi.useRealTimers()
    }
  })

  it('reads the plan as it arrived when a change comes before the page was quiet, and repairs what that change took off', () => {
    vi.useFakeTimers()
    try {
      const { team, coachSide } = twoPeople(TEXT)
      const id = coachSide.comment('too little')
      exchange(team, coachSide)
      // Someone opens the plan; their keeper starts as it arrives.
      const viewer = new Replica()
      Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(team.doc), 'remote')
      viewer.keeper.start()
      expect(viewer.keeper.fieldsRead).toBe(0)
      // Before their page is quiet, a change from elsewhere takes the highlight off the words.
      const before = Y.encodeStateVector(coachSide.doc)
      coachSide.removeMark(id)
      Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(coachSide.doc, before), 'remote')
      // The first reading was taken before that change applied: the keeper saw the words marked.
      expect(viewer.keeper.fieldsRead).toBeGreaterThan(0)
      expect(viewer.marked(id)).toBe('')
      vi.advanceTimersByTime(BASELINE_WAIT_MS + CHECK_DELAY_MS)
      expect(viewer.marked(id)).toBe('too little')
      viewer.keeper.stop()
    } finally {
      vi.useRealTimers()
    }
  })

  it('does not mark again, at someone else’s next change, a thread whose mark was missing before its thread document arrived', () => {
    vi.useFakeTimers()
    try {
      const { team, coachSide } = twoPeople(TEXT)
      const id = coachSide.comment('too little')
      exchange(team, coachSide)
      // The mark went before this page opened: the words are there, unmarked.
      coachSide.removeMark(id)
      exchange(team, coachSide)
      // Someone opens the plan: the plan arrives first, its threads (another document) later.
      const viewer = new Replica()
      let threadsArrived = false
      const keeper = new AnchorKeeper(
        viewer.doc,
        () => (threadsArrived ? new ThreadsModel(viewer.doc).list() : []),
        (change) => viewer.doc.transact(change, COMMENT_ORIGIN),
        (origin) => origin === 'remote',
      )
      Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(team.doc), 'remote')
      keeper.start()
      vi.advanceTimersByTime(BASELINE_WAIT_MS)
      threadsArrived = true
      keeper.learnThreads()
      // Someone else types elsewhere in the section.
      const before = Y.encodeStateVector(coachSide.doc)
      coachSide.edit((tr) => typeAt(tr, find(tr.doc, 'Boulder').to, '!'))
      Y.applyUpdate(viewer.doc, Y.encodeStateAsUpdate(coachSide.doc, before), 'remote')
      vi.advanceTimersByTime(CHECK_DELAY_MS + 50)
      expect(viewer.marked(id)).toBe('')
      keeper.stop()
    } finally {
      vi.useRealTimers()
    }
  })
})
