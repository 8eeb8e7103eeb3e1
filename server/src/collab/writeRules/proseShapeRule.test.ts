import { AccessMode, PlanModel, sectionField } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { replicaUpdate } from '../replicaUpdate.ts'
import { policyFor } from '../updatePolicy.ts'
import { planWriteRules } from './planWriteRules.ts'

const planPolicy = policyFor(planWriteRules(() => null))
const field = sectionField('problem')

/** A plan with two paragraphs in a section, as the server holds it. */
function serverPlan(): Y.Doc {
  const server = new Y.Doc()
  const plan = PlanModel.initialize(server, { title: 'Plan', jurisdictionId: 'boulder-co' })
  for (const words of ['First paragraph.', 'Second paragraph.']) {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText(words)])
    plan.section('problem').push([p])
  }
  return server
}

/** The same document as a server holds it right after loading: no root read yet, so none typed. */
function loadedFresh(doc: Y.Doc): Y.Doc {
  const fresh = new Y.Doc()
  Y.applyUpdate(fresh, Y.encodeStateAsUpdate(doc))
  return fresh
}

type Content = Y.ContentString | Y.ContentFormat | Y.ContentAny
/** Where to place an item, on a copy of the document: in `parent`, after `left` (null: first). */
type Pick = (doc: Y.Doc) => { parent: Y.XmlFragment | Y.XmlText; left: Y.Item | null }

/** An update placing one item with `content` where `pick` says. */
function placed(server: Y.Doc, content: Content, pick: Pick): Uint8Array {
  return replicaUpdate(server, (replica) => {
    Y.transact(replica, (tr) => {
      const { parent, left } = pick(replica)
      const right = left ? left.right : parent._start
      const id = Y.createID(replica.clientID, Y.getState(replica.store, replica.clientID))
      // biome-ignore lint/suspicious/noExplicitAny: Yjs types an item's parent as any kind of type
      const holder = parent as Y.AbstractType<any>
      const item = new Y.Item(id, left, left?.lastId ?? null, right, right?.id ?? null, holder, null, content)
      item.integrate(tr, 0)
    })
  })
}

const verdict = (server: Y.Doc, update: Uint8Array, mode: AccessMode = AccessMode.ReadWrite) => {
  const v = planPolicy({ mode, doc: server, update, identity: { userId: 'u1', name: 'Lee Lead' } })
  return v.kind === 'reject' ? v.reason : v.kind
}
const mark = () => new Y.ContentFormat('comment--x', { threadId: 't1' })
const paragraph = (doc: Y.Doc, i: number) => doc.getXmlFragment(field).get(i) as Y.XmlElement

describe('prose keeps the shape editors read', () => {
  it('refuses formatting or characters placed straight in a section or a paragraph, from any connection', () => {
    const server = serverPlan()
    const cases: Array<[string, Content, Pick]> = [
      ['a mark between paragraphs', mark(), (d) => ({ parent: d.getXmlFragment(field), left: paragraph(d, 0)._item })],
      ['a mark first in the section', mark(), (d) => ({ parent: d.getXmlFragment(field), left: null })],
      ['a mark in a paragraph, beside its text', mark(), (d) => ({ parent: paragraph(d, 1), left: null })],
      [
        'characters in a section',
        new Y.ContentString('loose'),
        (d) => ({ parent: d.getXmlFragment(field), left: null }),
      ],
    ]
    for (const [name, content, pick] of cases) {
      for (const doc of [server, loadedFresh(server)]) {
        const update = placed(server, content, pick)
        expect([name, verdict(doc, update)]).toEqual([name, 'may only put paragraphs and text in prose'])
        const forCoach =
          content instanceof Y.ContentFormat ? 'may only mark words in a text' : 'may not change section:problem'
        expect([name, verdict(doc, update, AccessMode.CommentOnly)]).toEqual([
          name,
          `a comment-only connection ${forCoach}`,
        ])
      }
    }
  })

  it('refuses anything but characters and formatting in a text of prose', () => {
    const server = serverPlan()
    const text: Pick = (d) => ({ parent: paragraph(d, 0).get(0) as Y.XmlText, left: null })
    const update = placed(server, new Y.ContentAny([{ image: 'x' }]), text)
    expect(verdict(loadedFresh(server), update)).toBe('may only put characters and formatting in a text of prose')
  })

  it('accepts what editors write: typing, formatting, new paragraphs, and a comment mark on words', () => {
    const server = serverPlan()
    const edits: Array<(doc: Y.Doc) => void> = [
      (d) => (paragraph(d, 0).get(0) as Y.XmlText).insert(5, ' more'),
      (d) => (paragraph(d, 0).get(0) as Y.XmlText).format(0, 5, { bold: true }),
      (d) => {
        const p = new Y.XmlElement('paragraph')
        p.insert(0, [new Y.XmlText('Third.')])
        d.getXmlFragment(field).push([p])
      },
      (d) => d.getXmlFragment(sectionField('theoryOfChange')).push([new Y.XmlElement('paragraph')]),
    ]
    for (const edit of edits) {
      const doc = loadedFresh(server)
      expect(verdict(doc, replicaUpdate(doc, edit))).toBe('apply')
    }
    const coachMark = replicaUpdate(server, (d) =>
      (paragraph(d, 1).get(0) as Y.XmlText).format(0, 6, { 'comment--x': { threadId: 't1' } }),
    )
    expect(verdict(loadedFresh(server), coachMark, AccessMode.CommentOnly)).toBe('apply')
  })
})
