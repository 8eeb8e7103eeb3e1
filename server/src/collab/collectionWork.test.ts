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
    expect(collectionWork(doc, crafted, Number.POSITIVE_INFINITY)).toBe(300)
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

describe('collectionWork of new structs beside a deleted type', () => {
  it('counts an update’s new structs as if under the type it deletes, so a few are cheap and many are not', () => {
    const doc = new Y.Doc()
    paragraphs(doc, 1)
    const deleteFirst = Y.decodeUpdate(changeOf(doc, (c) => c.getXmlFragment('section').delete(0, 1)))
    const adding = (count: number) => {
      const source = new Y.Doc()
      paragraphs(source, count)
      return Y.decodeUpdate(Y.encodeStateAsUpdate(source)).structs
    }
    const withNew = (structs: ReturnType<typeof adding>) =>
      ({ structs, ds: deleteFirst.ds }) as unknown as Parameters<typeof collectionWork>[1]
    const alone = collectionWork(doc, deleteFirst, Number.POSITIVE_INFINITY)
    // Typing over a selected paragraph: a paragraph's three structs.
    expect(collectionWork(doc, withNew(adding(1)), Number.POSITIVE_INFINITY)).toBe(alone + 3 * (0 + 3))
    // A hand-made update filling it with 60,000 structs while deleting it.
    expect(collectionWork(doc, withNew(adding(20_000)), 1e9)).toBeGreaterThan(1e9)
  })
})
