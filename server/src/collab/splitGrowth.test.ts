import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BYTES_PER_SPLIT, countSplits, type Struct, structAt } from './splitGrowth.ts'

const splitGrowth = (doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>) => countSplits(doc, decoded).growth

/** A document with one paragraph of `text`, written in one go (one item). */
function paragraphOf(text: string): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc()
  const p = new Y.XmlElement('paragraph')
  doc.getXmlFragment('section').insert(0, [p])
  const t = new Y.XmlText()
  p.insert(0, [t])
  t.insert(0, text)
  return { doc, text: t }
}

/** What `change` does to a copy of `doc`, decoded. */
function changeOf(doc: Y.Doc, change: (text: Y.XmlText) => void) {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  const p = copy.getXmlFragment('section').get(0) as Y.XmlElement
  change(p.get(0) as Y.XmlText)
  return Y.encodeStateAsUpdate(copy, before)
}

describe('countSplits', () => {
  it('counts a deletion that cuts out every other character by its splits, above what the encoding really gains', () => {
    const { doc } = paragraphOf('x'.repeat(2000))
    const update = changeOf(doc, (t) => {
      for (let i = 999; i >= 0; i--) t.delete(2 * i + 1, 1)
    })
    const growth = splitGrowth(doc, Y.decodeUpdate(update))
    // 1,000 ranges inside the one item: two cuts each but the last (which ends with the item).
    expect(growth).toBe(1999 * BYTES_PER_SPLIT - 1000)
    const before = Y.encodeStateAsUpdate(doc).byteLength
    Y.applyUpdate(doc, update)
    const real = Y.encodeStateAsUpdate(doc).byteLength - before
    expect(real).toBeGreaterThan(10_000)
    expect(growth).toBeGreaterThanOrEqual(real)
  })

  it('is zero for deleting a whole text, or a stretch whose characters outweigh its two cuts', () => {
    const { doc } = paragraphOf('x'.repeat(500))
    expect(splitGrowth(doc, Y.decodeUpdate(changeOf(doc, (t) => t.delete(0, 500))))).toBe(0)
    expect(splitGrowth(doc, Y.decodeUpdate(changeOf(doc, (t) => t.delete(100, 200))))).toBe(0)
    // A word from the middle: two cuts, five characters freed.
    expect(splitGrowth(doc, Y.decodeUpdate(changeOf(doc, (t) => t.delete(100, 5))))).toBe(2 * BYTES_PER_SPLIT - 5)
  })

  it('counts typing inside a word as one cut, typing at the end as none', () => {
    const { doc } = paragraphOf('x'.repeat(100))
    expect(splitGrowth(doc, Y.decodeUpdate(changeOf(doc, (t) => t.insert(50, 'yyy'))))).toBe(BYTES_PER_SPLIT)
    expect(splitGrowth(doc, Y.decodeUpdate(changeOf(doc, (t) => t.insert(100, 'yyy'))))).toBe(0)
  })

  it('counts new items placed inside an item the same update brings', () => {
    const doc = new Y.Doc()
    const source = new Y.Doc()
    const t = source.getText('t')
    t.insert(0, 'x'.repeat(100))
    // Yjs merges the typed run into one item; a second client then writes inside it.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(source))
    other.getText('t').insert(40, 'y')
    other.getText('t').insert(70, 'z')
    const both = Y.mergeUpdates([
      Y.encodeStateAsUpdate(source),
      Y.encodeStateAsUpdate(other, Y.encodeStateVector(source)),
    ])
    expect(splitGrowth(doc, Y.decodeUpdate(both))).toBe(2 * BYTES_PER_SPLIT)
  })

  it('counts cuts a deletion makes in the update’s own new text (a client’s merged offline edits), for the struct cap and the size', () => {
    const doc = new Y.Doc()
    const source = new Y.Doc()
    const text = source.getText('t')
    text.insert(0, 'x'.repeat(2000))
    const typed = Y.encodeStateAsUpdate(source)
    const before = Y.encodeStateVector(source)
    for (let i = 999; i >= 0; i--) text.delete(2 * i + 1, 1)
    // Merged as a client keeps its unsent changes: the typed run whole, and 1,000 ranges inside it.
    const merged = Y.mergeUpdates([typed, Y.encodeStateAsUpdate(source, before)])
    const decoded = Y.decodeUpdate(merged)
    expect(decoded.structs).toHaveLength(1)
    const splits = countSplits(doc, decoded)
    expect(splits.count).toBe(1999)
    expect(splits.growth).toBe(1999 * BYTES_PER_SPLIT)
  })
})

describe('structAt', () => {
  it('builds the look-up of an update’s structs once for every check that asks, and again for another document', () => {
    const source = new Y.Doc()
    source.getText('t').insert(0, 'hello')
    const structs = Y.decodeUpdate(Y.encodeStateAsUpdate(source)).structs as Struct[]
    const doc = new Y.Doc()
    const first = structAt(doc, structs)
    expect(structAt(doc, structs)).toBe(first)
    expect(first(Y.createID(source.clientID, 3))).toBe(structs[0])
    expect(structAt(new Y.Doc(), structs)).not.toBe(first)
  })
})
