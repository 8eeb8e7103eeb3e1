import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readUpdateEffect } from './updateEffect.ts'

type Struct = Y.Item | Y.GC | Y.Skip

/** Encodes client blocks and deletes exactly as given, with Yjs's own V1 encoder. */
function encode(blocks: Array<[number, number, Struct[]]>, deletes: Array<[number, number, number]> = []): Uint8Array {
  const e = new Y.UpdateEncoderV1()
  encoding.writeVarUint(e.restEncoder, blocks.length)
  for (const [client, clock, structs] of blocks) {
    encoding.writeVarUint(e.restEncoder, structs.length)
    e.writeClient(client)
    encoding.writeVarUint(e.restEncoder, clock)
    for (const s of structs) s.write(e, 0)
  }
  encoding.writeVarUint(e.restEncoder, deletes.length)
  for (const [client, clock, len] of deletes) {
    e.resetDsCurVal()
    encoding.writeVarUint(e.restEncoder, client)
    encoding.writeVarUint(e.restEncoder, 1)
    e.writeDsClock(clock)
    e.writeDsLen(len)
  }
  return e.toUint8Array()
}

function item(
  client: number,
  clock: number,
  content: Y.Item['content'],
  at: { parent?: string | Y.ID; parentSub?: string; origin?: Y.ID; rightOrigin?: Y.ID },
): Y.Item {
  const neighbour = at.origin !== undefined || at.rightOrigin !== undefined
  return new Y.Item(
    Y.createID(client, clock),
    null,
    at.origin ?? null,
    null,
    at.rightOrigin ?? null,
    // biome-ignore lint/suspicious/noExplicitAny: an update carries a root's name or an item's id here
    (neighbour ? null : (at.parent ?? null)) as any,
    neighbour ? null : (at.parentSub ?? null),
    content,
  )
}

function serverDoc(): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = 1
  doc.getMap('meta').set('title', 'Plan')
  const threads = doc.getMap('threads')
  const thread = new Y.Map<unknown>()
  threads.set('t1', thread)
  thread.set('status', 'open')
  doc.getText('text').insert(0, 'hello')
  return doc
}

function read(doc: Y.Doc, update: Uint8Array) {
  return readUpdateEffect(doc, update, Y.decodeUpdate(update))
}

describe('readUpdateEffect', () => {
  it('counts a map entry as deleting the entry it replaces, though no delete set says so', () => {
    const doc = serverDoc()
    const update = encode([[9, 0, [item(9, 0, new Y.ContentDeleted(1), { parent: 'meta', parentSub: 'title' })]]])
    const result = read(doc, update)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.effect.deleted.map((d) => [d.place.root, d.place.key, d.replaced])).toEqual([['meta', 'title', true]])
    expect(result.effect.inserted).toEqual([]) // sent deleted: it shows nothing itself
  })

  it('places an item by its neighbour, not by what the bytes name', () => {
    const doc = serverDoc()
    const statusItem = (doc.getMap('threads').get('t1') as Y.Map<unknown>)._map.get('status') as Y.Item
    // Its origin is the thread's `status` entry: Yjs puts it under that key, in that thread.
    const update = encode([[9, 0, [item(9, 0, new Y.ContentAny(['done']), { origin: statusItem.lastId })]]])
    const result = read(doc, update)
    if (!result.ok) throw new Error(result.refusal.reason)
    const place = result.effect.inserted[0]?.place
    expect([place?.root, place?.key]).toEqual(['threads', 'status'])
  })

  it('refuses a struct starting inside what the document has of its client', () => {
    const doc = serverDoc()
    const known = Y.getState(doc.store, 1)
    const update = encode([[1, known - 1, [item(1, known - 1, new Y.ContentString('xx'), { parent: 'threads' })]]])
    expect(read(doc, update)).toMatchObject({ ok: false, refusal: { problem: 'overlap' } })
  })

  it('refuses gaps, dependencies nobody sent and deletes of unknown clocks as missing', () => {
    const doc = serverDoc()
    const gap = encode([[9, 1, [item(9, 1, new Y.ContentString('x'), { parent: 'text' })]]])
    const unknownOrigin = encode([[9, 0, [item(9, 0, new Y.ContentString('x'), { origin: Y.createID(77, 3) })]]])
    const unknownDelete = encode([], [[1, 0, 10_000]])
    // An empty range at or past the state is kept pending by Yjs too.
    const emptyPastState = encode([], [[1, Y.getState(doc.store, 1), 0]])
    for (const update of [gap, unknownOrigin, unknownDelete, emptyPastState]) {
      expect(read(doc, update)).toMatchObject({ ok: false, refusal: { problem: 'missing' } })
    }
  })

  it('checks the dependencies of structs the document already has, as Yjs does', () => {
    const doc = serverDoc()
    const known = item(1, 0, new Y.ContentString('x'), { origin: Y.createID(77, 3) })
    expect(read(doc, encode([[1, 0, [known]]]))).toMatchObject({ ok: false, refusal: { problem: 'missing' } })
  })

  it('refuses what Yjs would throw on or silently drop: later parents, non-type parents, repeated clients, empty structs', () => {
    const doc = serverDoc()
    const laterParent = encode([
      [
        9,
        0,
        [
          item(9, 0, new Y.ContentString('x'), { parent: Y.createID(9, 1) }),
          item(9, 1, new Y.ContentType(new Y.Map()), { parent: 'threads', parentSub: 'k' }),
        ],
      ],
    ])
    const textItem = doc.getText('text')._start as Y.Item
    const stringParent = encode([[9, 0, [item(9, 0, new Y.ContentAny([1]), { parent: textItem.id, parentSub: 'k' })]]])
    const repeated = encode([
      [9, 0, [item(9, 0, new Y.ContentString('a'), { parent: 'text' })]],
      [9, 1, [item(9, 1, new Y.ContentString('b'), { parent: 'text' })]],
    ])
    const empty = encode([[9, 0, [item(9, 0, new Y.ContentString(''), { parent: 'text' })]]])
    for (const update of [laterParent, stringParent, repeated, empty]) {
      expect(read(doc, update)).toMatchObject({ ok: false, refusal: { problem: 'malformed' } })
    }
  })

  it('follows a parent that comes later in Yjs’s order but from another client, as Yjs integrates it', () => {
    const doc = serverDoc()
    // Client 5's item hangs from client 9's map; Yjs integrates client 9 first (higher id).
    const update = encode([
      [9, 0, [item(9, 0, new Y.ContentType(new Y.Map()), { parent: 'threads', parentSub: 'new' })]],
      [5, 0, [item(5, 0, new Y.ContentAny(['v']), { parent: Y.createID(9, 0), parentSub: 'k' })]],
    ])
    const result = read(doc, update)
    if (!result.ok) throw new Error(result.refusal.reason)
    expect(result.effect.inserted.map((i) => [i.place.root, i.place.ancestors.length, i.place.key])).toEqual([
      ['threads', 0, 'new'],
      ['threads', 1, 'k'],
    ])
    Y.applyUpdate(doc, update)
    expect(doc.store.pendingStructs).toBeNull()
  })

  it('reports nothing to change for an update the document already has', () => {
    const doc = serverDoc()
    const result = read(doc, Y.encodeStateAsUpdate(doc))
    expect(result.ok && result.effect.changes).toBe(false)
  })
})
