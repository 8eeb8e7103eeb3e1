import * as encoding from 'lib0/encoding'
import * as prng from 'lib0/prng'
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
  const byClient = new Map<number, Array<[number, number]>>()
  for (const [client, clock, len] of deletes) byClient.set(client, [...(byClient.get(client) ?? []), [clock, len]])
  encoding.writeVarUint(e.restEncoder, byClient.size)
  for (const [client, ranges] of byClient) {
    e.resetDsCurVal()
    encoding.writeVarUint(e.restEncoder, client)
    encoding.writeVarUint(e.restEncoder, ranges.length)
    for (const [clock, len] of ranges) {
      e.writeDsClock(clock)
      e.writeDsLen(len)
    }
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

  it('judges the entry Yjs keeps when two clients write one key side by side, the other deleted at once', () => {
    const doc = serverDoc()
    // Same (no) origin: Yjs orders the two by client id and keeps client 9's, though it is read first.
    const update = encode(
      [
        [9, 0, [item(9, 0, new Y.ContentAny(['kept']), { parent: 'threads', parentSub: 'smuggled' })]],
        [5, 0, [item(5, 0, new Y.ContentAny(['decoy']), { parent: 'threads', parentSub: 'smuggled' })]],
      ],
      [[5, 0, 1]],
    )
    const result = read(doc, update)
    if (!result.ok) throw new Error(result.refusal.reason)
    expect(result.effect.inserted.map((i) => [i.item.id.client, i.place.key])).toContainEqual([9, 'smuggled'])
    Y.applyUpdate(doc, update)
    expect(doc.getMap('threads').get('smuggled')).toBe('kept')
  })

  it('judges the entry an item names as its right neighbour, which Yjs keeps', () => {
    const doc = serverDoc()
    const first = item(9, 0, new Y.ContentAny(['kept']), { parent: 'threads', parentSub: 'k' })
    // No origin, the first entry to its right: Yjs puts it left of that entry and deletes it.
    const second = item(9, 1, new Y.ContentAny(['decoy']), { rightOrigin: Y.createID(9, 0) })
    const update = encode([[9, 0, [first, second]]])
    const result = read(doc, update)
    if (!result.ok) throw new Error(result.refusal.reason)
    expect(result.effect.inserted.map((i) => i.item.id.clock)).toContain(0)
    Y.applyUpdate(doc, update)
    expect(doc.getMap('threads').get('k')).toBe('kept')
  })

  it('judges what is written under an entry that an entry beside it, with a lower client id, does not replace', () => {
    const doc = new Y.Doc()
    doc.clientID = 900
    const thread = new Y.Map<unknown>()
    doc.getMap('threads').set('k', thread)
    thread.set('authorId', 'cory')
    const current = doc.getMap('threads')._map.get('k') as Y.Item
    // A decoy under the same key with no origin and a lower client id: Yjs puts it left of the
    // current entry and deletes it. The write under the current entry must still be judged.
    const update = encode([
      [
        5,
        0,
        [
          item(5, 0, new Y.ContentDeleted(1), { parent: 'threads', parentSub: 'k' }),
          item(5, 1, new Y.ContentAny(['lee']), { parent: current.id, parentSub: 'forged' }),
        ],
      ],
    ])
    const result = read(doc, update)
    if (!result.ok) throw new Error(result.refusal.reason)
    // Its removal is judged, but it is not taken as gone.
    expect(result.effect.deleted.map((d) => [d.item, d.replaced])).toEqual([[current, true]])
    expect(result.effect.deletedAfter(current)).toBe(false)
    expect(result.effect.inserted.map((i) => i.place.key)).toEqual(['forged'])
    Y.applyUpdate(doc, update)
    expect((doc.getMap('threads').get('k') as Y.Map<unknown>).get('forged')).toBe('lee')
  })

  it('still takes an entry set twice in one update as replaced by the second', () => {
    const doc = serverDoc()
    const client = new Y.Doc()
    client.clientID = 9
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(doc)
    client.transact(() => {
      client.getMap('meta').set('owner', 'first')
      client.getMap('meta').set('owner', 'second')
    })
    const result = read(doc, Y.encodeStateAsUpdate(client, before))
    if (!result.ok) throw new Error(result.refusal.reason)
    expect(result.effect.inserted.map((i) => i.item.content.getContent())).toEqual([['second']])
  })

  it('judges every item that shows after the update, and reports every item it deletes, for concurrent writers (seeded)', () => {
    const seed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const gen = prng.create(seed)
    let judgedCases = 0
    for (let n = 0; n < 400; n++) {
      const where = `case ${n}; rerun with LEVER_SEED=${seed}`
      const base = serverDoc()
      // The base's entries come from a client whose id may be above or below the writers'.
      base.clientID = prng.uint32(gen, 2, 2 ** 31)
      base.getMap('m').set('a', 'base')
      base.getMap('m').set('nested', new Y.Map())
      const baseState = Y.encodeStateVector(base)
      // Two to four writers who each saw only the base, with ids in either order.
      const writers = Array.from({ length: prng.int32(gen, 2, 4) }, () => {
        const w = new Y.Doc()
        w.clientID = prng.uint32(gen, 2, 2 ** 31)
        Y.applyUpdate(w, Y.encodeStateAsUpdate(base))
        return w
      })
      for (const w of writers) {
        for (let op = prng.int32(gen, 1, 6); op > 0; op--) {
          const nested = w.getMap('m').get('nested')
          const map = prng.bool(gen) || !(nested instanceof Y.Map) ? w.getMap('m') : (nested as Y.Map<unknown>)
          const key = prng.oneOf(gen, ['a', 'b', 'nested'])
          const choice = prng.int32(gen, 0, 3)
          if (choice === 0) map.delete(key)
          else if (choice === 1) map.set(key, prng.word(gen, 1, 4))
          else {
            const inner = new Y.Map<unknown>()
            map.set(key, inner)
            inner.set('x', prng.word(gen, 1, 4))
          }
        }
      }
      let update = Y.mergeUpdates(writers.map((w) => Y.encodeStateAsUpdate(w, baseState)))
      // Sometimes by hand: an entry's origin turned into a right neighbour, or dropped (written
      // beside the entry it followed instead of after it).
      const tamper = prng.int32(gen, 0, 2)
      if (tamper === 1) update = withRightOrigins(update, gen)
      if (tamper === 2) update = withoutOrigins(update, base, gen)
      const result = read(base, update)
      if (!result.ok) continue
      judgedCases++
      const judged = new Set<string>()
      for (const { item: i } of result.effect.inserted) {
        for (let c = 0; c < i.length; c++) judged.add(`${i.id.client}:${i.id.clock + c}`)
      }
      const reported = new Set(result.effect.deleted.map((d) => `${d.item.id.client}:${d.item.id.clock}`))
      const alive = liveItems(base)
      const after = new Y.Doc()
      Y.applyUpdate(after, Y.encodeStateAsUpdate(base))
      Y.applyUpdate(after, update)
      expect(after.store.pendingStructs, where).toBeNull()
      for (const [client, structs] of after.store.clients) {
        for (const s of structs) {
          if (!(s instanceof Y.Item)) continue
          const id = `${client}:${s.id.clock}`
          const isNew = s.id.clock >= Y.getState(base.store, client)
          if (isNew && shows(s)) expect(judged.has(id), `${id} shows unjudged: ${where}`).toBe(true)
          if (!isNew && alive.has(id) && s.deleted)
            expect(reported.has(id), `${id} deleted unreported: ${where}`).toBe(true)
          // What the rules are told is gone (and so need not judge below it) is gone.
          const before = isNew ? null : baseItem(base, s)
          if (before && alive.has(id) && result.effect.deletedAfter(before)) {
            expect(s.deleted, `${id} taken as deleted but kept: ${where}`).toBe(true)
          }
        }
      }
    }
    // Worth something only if most updates were read (hand-made ones may be refused as malformed).
    expect(judgedCases).toBeGreaterThan(300)
  })

  it('reports nothing to change for an update the document already has', () => {
    const doc = serverDoc()
    const result = read(doc, Y.encodeStateAsUpdate(doc))
    expect(result.ok && result.effect.changes).toBe(false)
  })
})

/** Items of a document that are not deleted, by `client:clock`. */
function liveItems(doc: Y.Doc): Set<string> {
  const live = new Set<string>()
  for (const [client, structs] of doc.store.clients) {
    for (const s of structs) if (s instanceof Y.Item && !s.deleted) live.add(`${client}:${s.id.clock}`)
  }
  return live
}

/** An item that shows: not deleted, and nothing above it is. */
function shows(item: Y.Item): boolean {
  for (let at: Y.Item | null = item; at; at = (at.parent as Y.AbstractType<unknown>)._item) {
    if (at.deleted) return false
  }
  return true
}

/** The update re-encoded with each struct as `replace` returns it (the delete set as it was). */
function rewritten(update: Uint8Array, replace: (struct: Struct) => Struct): Uint8Array {
  const decoded = Y.decodeUpdate(update)
  const blocks = new Map<number, Struct[]>()
  for (const s of decoded.structs as Struct[]) {
    const list = blocks.get(s.id.client) ?? []
    list.push(replace(s))
    blocks.set(s.id.client, list)
  }
  const deletes: Array<[number, number, number]> = []
  for (const [client, ranges] of decoded.ds.clients) for (const r of ranges) deletes.push([client, r.clock, r.len])
  return encode(
    [...blocks].map(([client, structs]) => [client, (structs[0] as Struct).id.clock, structs]),
    deletes,
  )
}

/** The update with some items' origins sent as right neighbours instead (what no editor sends). */
function withRightOrigins(update: Uint8Array, gen: prng.PRNG): Uint8Array {
  return rewritten(update, (s) =>
    s instanceof Y.Item && s.origin && s.parentSub === null && prng.int32(gen, 0, 2) === 0
      ? item(s.id.client, s.id.clock, s.content, { rightOrigin: s.origin })
      : s,
  )
}

/** The item of `doc` with the id of `item` (from another copy of it). */
function baseItem(doc: Y.Doc, item: Y.Item): Y.Item | null {
  const found = Y.getItem(doc.store, item.id)
  return found instanceof Y.Item && found.id.clock === item.id.clock ? found : null
}

/**
 * The update with some items that follow an entry of `base` sent with no origin instead: under the
 * same parent and key, written beside that entry (ordered against it by client id).
 */
function withoutOrigins(update: Uint8Array, base: Y.Doc, gen: prng.PRNG): Uint8Array {
  const state = Y.decodeStateVector(Y.encodeStateVector(base))
  return rewritten(update, (s) => {
    const origin = s instanceof Y.Item ? s.origin : null
    if (!(s instanceof Y.Item) || !origin || origin.clock >= (state.get(origin.client) ?? 0) || !prng.bool(gen))
      return s
    const left = Y.getItem(base.store, origin) as Y.Item
    if (left.parentSub === null) return s
    const type = left.parent as Y.AbstractType<unknown>
    const parent = type._item ? type._item.id : (Y.findRootTypeKey(type) as string)
    return item(s.id.client, s.id.clock, s.content, { parent, parentSub: left.parentSub })
  })
}
