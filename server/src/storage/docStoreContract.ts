import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { DocStore } from './DocStore.ts'

/** A store and a way to reopen it on the same storage (for stores that persist). */
export interface DocStoreHarness {
  store: DocStore
  /** Closes the store and opens a new one on the same storage; undefined if it cannot persist. */
  reopen?(): Promise<DocStore>
  dispose(): Promise<void>
}

function textUpdate(doc: Y.Doc, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc)
  doc.getText('t').insert(doc.getText('t').length, text)
  return Y.encodeStateAsUpdate(doc, before)
}

function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  for (const u of updates) Y.applyUpdate(doc, u)
  return doc
}

/**
 * The behaviour every DocStore must have. Run it against each implementation
 * (see DocStore.test.ts).
 */
export function describeDocStoreContract(name: string, create: () => Promise<DocStoreHarness>): void {
  describe(`DocStore contract: ${name}`, () => {
    let h: DocStoreHarness

    beforeEach(async () => {
      h = await create()
    })
    afterEach(async () => {
      await h.dispose()
    })

    it('loads an unknown document as an empty log', async () => {
      const stored = await h.store.load('plan:none')
      expect(stored).toEqual({ updates: [], lastSeq: 0, rows: 0, bytes: 0 })
    })

    it('returns appended updates in order, with increasing sequence numbers', async () => {
      const doc = new Y.Doc()
      const a = textUpdate(doc, 'a')
      const b = textUpdate(doc, 'b')
      const seqA = await h.store.append('plan:x', a)
      const seqB = await h.store.append('plan:x', b)
      expect(seqB).toBeGreaterThan(seqA)
      const stored = await h.store.load('plan:x')
      expect(stored.updates.map((u) => [...u])).toEqual([[...a], [...b]])
      expect(stored.rows).toBe(2)
      expect(stored.bytes).toBe(a.byteLength + b.byteLength)
      expect(stored.lastSeq).toBe(seqB)
    })

    it('keeps documents apart', async () => {
      const d1 = new Y.Doc()
      const d2 = new Y.Doc()
      await h.store.append('plan:one', textUpdate(d1, 'one'))
      await h.store.append('plan:two', textUpdate(d2, 'two'))
      expect(
        docFrom((await h.store.load('plan:one')).updates)
          .getText('t')
          .toString(),
      ).toBe('one')
      expect(
        docFrom((await h.store.load('plan:two')).updates)
          .getText('t')
          .toString(),
      ).toBe('two')
      expect(await h.store.list()).toEqual(['plan:one', 'plan:two'])
    })

    it('sees appends made in the same tick before they settle', async () => {
      const doc = new Y.Doc()
      const pending = h.store.append('plan:x', textUpdate(doc, 'hello'))
      const stored = await h.store.load('plan:x')
      await pending
      expect(docFrom(stored.updates).getText('t').toString()).toBe('hello')
    })

    it('resolves appends of one tick in the order they were made', async () => {
      const doc = new Y.Doc()
      const order: number[] = []
      const writes = Array.from({ length: 50 }, (_, i) =>
        h.store.append(`plan:${i % 3}`, textUpdate(doc, String(i))).then(() => order.push(i)),
      )
      await Promise.all(writes)
      expect(order).toEqual(Array.from({ length: 50 }, (_, i) => i))
    })

    it('compacts the log into one row with exactly the same content', async () => {
      const doc = new Y.Doc()
      let last = 0
      for (let i = 0; i < 20; i++) last = await h.store.append('plan:x', textUpdate(doc, `${i},`))
      doc.getText('t').delete(0, 3)
      const before = docFrom((await h.store.load('plan:x')).updates)
      const result = await h.store.compact('plan:x', Y.encodeStateAsUpdate(before), last)
      expect(result.rows).toBe(1)
      const stored = await h.store.load('plan:x')
      expect(stored.rows).toBe(1)
      const after = docFrom(stored.updates)
      expect(after.getText('t').toString()).toBe(before.getText('t').toString())
      expect(Y.encodeStateVector(after)).toEqual(Y.encodeStateVector(before))
    })

    it('keeps rows appended after the compaction point', async () => {
      const doc = new Y.Doc()
      const first = await h.store.append('plan:x', textUpdate(doc, 'a'))
      const mergedSoFar = Y.encodeStateAsUpdate(doc)
      await h.store.append('plan:x', textUpdate(doc, 'b'))
      await h.store.compact('plan:x', mergedSoFar, first)
      const stored = await h.store.load('plan:x')
      expect(stored.rows).toBe(2)
      expect(docFrom(stored.updates).getText('t').toString()).toBe('ab')
    })

    it('gives the rows after a sequence number, and what a compaction merged in their place', async () => {
      const doc = new Y.Doc()
      const a = textUpdate(doc, 'a')
      const b = textUpdate(doc, 'b')
      const c = textUpdate(doc, 'c')
      const seqA = await h.store.append('plan:x', a)
      const seqB = await h.store.append('plan:x', b)
      await h.store.append('plan:other', textUpdate(new Y.Doc(), 'other'))
      const seqC = await h.store.append('plan:x', c)
      expect(await h.store.updatesAfter('plan:x', seqA)).toEqual([
        { seq: seqB, update: b },
        { seq: seqC, update: c },
      ])
      expect(await h.store.updatesAfter('plan:x', seqC)).toEqual([])
      // A reader that had seen only the first row still gets everything after a compaction.
      await h.store.compact('plan:x', Y.encodeStateAsUpdate(doc), seqC)
      const reader = docFrom([a])
      for (const row of await h.store.updatesAfter('plan:x', seqA)) Y.applyUpdate(reader, row.update)
      expect(reader.getText('t').toString()).toBe('abc')
    })

    it('deletes a document and nothing else', async () => {
      await h.store.append('plan:a', textUpdate(new Y.Doc(), 'a'))
      await h.store.append('plan:b', textUpdate(new Y.Doc(), 'b'))
      await h.store.delete('plan:a')
      expect((await h.store.load('plan:a')).rows).toBe(0)
      expect((await h.store.load('plan:b')).rows).toBe(1)
    })

    it('keeps what it stored across a reopen', async (ctx) => {
      if (!h.reopen) {
        ctx.skip() // this store keeps nothing once closed, by design
        return
      }
      const doc = new Y.Doc()
      await h.store.append('plan:x', textUpdate(doc, 'persisted'))
      const store = await h.reopen()
      expect(
        docFrom((await store.load('plan:x')).updates)
          .getText('t')
          .toString(),
      ).toBe('persisted')
    })

    it('refuses to work once closed', async () => {
      await h.store.close()
      await expect(h.store.load('plan:x')).rejects.toThrow(/closed/)
      await expect(h.store.append('plan:x', new Uint8Array([0, 0]))).rejects.toThrow(/closed/)
    })
  })
}
