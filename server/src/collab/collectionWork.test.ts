import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { collectionWork } from './collectionWork.ts'

function paragraphs(doc: Y.Doc, count: number): void {
  const section = doc.getXmlFragment('section')
  section.insert(
    section.length,
    Array.from({ length: count }, (_, i) => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText(`Paragraph ${i}`)])
      return p
    }),
  )
}

/** The update `change` makes to a copy of `doc`. */
function changeOf(doc: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  change(copy)
  return Y.encodeStateAsUpdate(copy, before)
}

describe('collectionWork', () => {
  it('counts each deleted paragraph’s structs times its client’s array, and for text only the split', () => {
    const doc = new Y.Doc()
    paragraphs(doc, 1000)
    const structs = doc.store.clients.get(doc.clientID)?.length ?? 0
    expect(structs).toBe(3000)
    const deleteAll = Y.decodeUpdate(changeOf(doc, (c) => c.getXmlFragment('section').delete(0, 1000)))
    // A paragraph, its text, and the text's string: three structs each.
    expect(collectionWork(doc, deleteAll, Number.POSITIVE_INFINITY)).toBe(3000 * structs)
    const deleteText = Y.decodeUpdate(
      changeOf(doc, (c) => ((c.getXmlFragment('section').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 5)),
    )
    // Text collects nothing; the deletion ends inside the text's item, which splits it: the rest
    // of the array (from the first paragraph's string, the third struct) moves.
    expect(collectionWork(doc, deleteText, Number.POSITIVE_INFINITY)).toBe(structs - 2)
  })

  it('stops counting past the limit', () => {
    const doc = new Y.Doc()
    paragraphs(doc, 1000)
    const deleteAll = Y.decodeUpdate(changeOf(doc, (c) => c.getXmlFragment('section').delete(0, 1000)))
    const work = collectionWork(doc, deleteAll, 10_000)
    expect(work).toBeGreaterThan(10_000)
    expect(work).toBeLessThan(20_000)
  })

  it('counts each type a hand-made update creates and deletes at once by the whole update', () => {
    const doc = new Y.Doc()
    const source = new Y.Doc()
    paragraphs(source, 100)
    // The paragraphs as items (not yet collected), with a delete set naming the first of them.
    const created = Y.decodeUpdate(Y.encodeStateAsUpdate(source))
    const first = created.structs[0] as Y.Item
    const ds = new Map([[first.id.client, [{ clock: first.id.clock, len: 1 }]]])
    const crafted = { structs: created.structs, ds: { clients: ds } } as unknown as Parameters<typeof collectionWork>[1]
    // The deleted paragraph once for the whole update, and its text and string, new structs under
    // it, each as much again.
    expect(collectionWork(doc, crafted, Number.POSITIVE_INFINITY)).toBe(300 + 2 * 300)
    // What a client really sends after making and deleting paragraphs: garbage, nothing to collect.
    source.getXmlFragment('section').delete(0, 100)
    expect(collectionWork(doc, Y.decodeUpdate(Y.encodeStateAsUpdate(source)), Number.POSITIVE_INFINITY)).toBe(0)
  })
})

describe('collectionWork across clients', () => {
  it('charges the structs under a deleted type by their own client’s array, not the type’s', () => {
    const doc = new Y.Doc()
    // One client makes the container; another fills it with many paragraphs.
    const container = new Y.XmlElement('list')
    doc.getXmlFragment('section').insert(0, [container])
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc))
    const list = other.getXmlFragment('section').get(0) as Y.XmlElement
    list.insert(
      0,
      Array.from({ length: 500 }, () => {
        const p = new Y.XmlElement('paragraph')
        p.insert(0, [new Y.XmlText('x')])
        return p
      }),
    )
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, Y.encodeStateVector(doc)))
    const filler = doc.store.clients.get(other.clientID)?.length ?? 0
    expect(filler).toBe(1500)
    // Deleting only the container (a hand-made update need not name what is under it).
    const deletion = Y.decodeUpdate(changeOf(doc, (c) => c.getXmlFragment('section').delete(0, 1)))
    const containerOnly = {
      structs: [],
      ds: { clients: new Map([[doc.clientID, deletion.ds.clients.get(doc.clientID) ?? []]]) },
    } as unknown as Parameters<typeof collectionWork>[1]
    expect(collectionWork(doc, containerOnly, Number.POSITIVE_INFINITY)).toBe(1 + 1500 * filler)
  })
})

describe('collectionWork of new structs and a deleted type', () => {
  /** Types `count` characters one by one at the start of a paragraph's text (each its own item). */
  const typeAtStart = (doc: Y.Doc, paragraph: number, count: number) => {
    const text = (doc.getXmlFragment('section').get(paragraph) as Y.XmlElement).get(0) as Y.XmlText
    for (let i = 0; i < count; i++) text.insert(0, 'y')
  }

  it('counts the new structs an update writes into the paragraph it deletes, so a few are cheap and many are not', () => {
    const doc = new Y.Doc()
    paragraphs(doc, 1)
    const alone = collectionWork(
      doc,
      Y.decodeUpdate(changeOf(doc, (c) => c.getXmlFragment('section').delete(0, 1))),
      Number.POSITIVE_INFINITY,
    )
    /** A hand-made update: `count` new items in the paragraph, kept as items (no collection), then the paragraph deleted. */
    const fillAndDelete = (count: number) =>
      Y.decodeUpdate(
        changeOf(doc, (c) => {
          c.gc = false
          typeAtStart(c, 0, count)
          c.getXmlFragment('section').delete(0, 1)
        }),
      )
    const few = fillAndDelete(3)
    expect(few.structs.length).toBe(3)
    expect(collectionWork(doc, few, Number.POSITIVE_INFINITY)).toBe(alone + 3 * 3)
    // 40,000 items in a chain of right origins, each found under the paragraph in one pass.
    expect(collectionWork(doc, fillAndDelete(40_000), 1e9)).toBeGreaterThan(1e9)
  })

  it('does not count new structs elsewhere: a long offline session’s answer that also deletes a paragraph is cheap', () => {
    const doc = new Y.Doc()
    paragraphs(doc, 2)
    const update = Y.decodeUpdate(
      changeOf(doc, (c) => {
        typeAtStart(c, 1, 40_000)
        c.getXmlFragment('section').delete(0, 1)
      }),
    )
    expect(update.structs.length).toBe(40_000)
    const deleteOnly = Y.decodeUpdate(changeOf(doc, (c) => c.getXmlFragment('section').delete(0, 1)))
    expect(collectionWork(doc, update, 1e9)).toBe(collectionWork(doc, deleteOnly, 1e9))
  })

  it('ends its walk on hand-made items that name each other as neighbours or parents', () => {
    const doc = new Y.Doc()
    paragraphs(doc, 1)
    const deletion = Y.decodeUpdate(changeOf(doc, (c) => c.getXmlFragment('section').delete(0, 1)))
    const a = new Y.Item(Y.createID(7, 0), null, Y.createID(7, 1), null, null, null, null, new Y.ContentAny([1]))
    const b = new Y.Item(Y.createID(7, 1), null, Y.createID(7, 0), null, null, null, null, new Y.ContentAny([2]))
    const c = new Y.Item(Y.createID(8, 0), null, null, null, null, Y.createID(8, 0), null, new Y.ContentAny([3]))
    const crafted = { structs: [a, b, c], ds: deletion.ds } as unknown as Parameters<typeof collectionWork>[1]
    expect(collectionWork(doc, crafted, 1e9)).toBe(collectionWork(doc, deletion, 1e9))
  })
})
