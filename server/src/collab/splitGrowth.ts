import * as Y from 'yjs'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The most one split adds to a document's encoding: a new struct with its info byte, its origin
 * and right origin (a client id and a clock each, up to five bytes apiece) and its length, and
 * the delete set's entry beside it. Measured: 10–12 bytes a split on a plan's ids.
 */
export const BYTES_PER_SPLIT = 32

export type Struct = Y.Item | Y.GC | Y.Skip

/**
 * How much an update grows the document beyond its own bytes, at most: the splits it makes.
 * A deleted range that starts or ends inside a live item splits it, and so does a new item whose
 * origin or right origin points inside one; each split is a struct the document then encodes
 * (deleting every other character of a paragraph, a few bytes of update, makes the paragraph's
 * encoding about twenty times larger). Text the update deletes leaves the encoding, so it counts
 * against the splits (only strings: other content is counted as freeing nothing). Zero when the
 * update shrinks the document. Each client's deleted ranges must be in order and apart
 * (`checkUpdateShape` refuses others first).
 */
export function splitGrowth(doc: Y.Doc, decoded: DecodedUpdate): number {
  let splits = 0
  let freed = 0
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs || structs.length === 0) continue
    const known = Y.getState(doc.store, client)
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known)
      if (range.clock >= end) continue
      const first = Y.findIndexSS(structs, range.clock)
      const last = Y.findIndexSS(structs, end - 1)
      if (cutsLive(structs[first] as Struct, range.clock)) splits++
      if (cutsLive(structs[last] as Struct, end)) splits++
      for (let i = first; i <= last; i++) {
        const struct = structs[i] as Struct
        if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentString)) continue
        freed += Math.min(end, struct.id.clock + struct.length) - Math.max(range.clock, struct.id.clock)
      }
    }
  }
  if (decoded.structs.length > 0) splits += originSplits(doc, decoded.structs as Struct[])
  return Math.max(0, splits * BYTES_PER_SPLIT - freed)
}

/**
 * New items whose origin ends, or whose right origin starts, inside an item: Yjs cuts that item
 * there to place them (deleted items too). The item may be in the document or in the update.
 */
function originSplits(doc: Y.Doc, structs: Struct[]): number {
  const holding = structAt(doc, structs)
  let splits = 0
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    const { origin, rightOrigin } = struct
    const left = origin ? holding(origin) : null
    const right = rightOrigin ? holding(rightOrigin) : null
    const leftCut = origin !== null && left instanceof Y.Item && origin.clock < left.id.clock + left.length - 1
    const rightCut = rightOrigin !== null && right instanceof Y.Item && rightOrigin.clock > right.id.clock
    // Typing inside a word: both origins name the same cut.
    const sameCut = leftCut && rightCut && left === right && rightOrigin.clock === (origin as Y.ID).clock + 1
    splits += sameCut ? 1 : Number(leftCut) + Number(rightCut)
  }
  return splits
}

/**
 * Finds the struct holding an id, in the document or among an update's new structs (not yet
 * integrated); null when neither has it.
 */
export function structAt(doc: Y.Doc, structs: Struct[]): (id: Y.ID) => Struct | null {
  const own = new Map<number, Struct[]>()
  for (const struct of structs) {
    const list = own.get(struct.id.client)
    if (list) list.push(struct)
    else own.set(struct.id.client, [struct])
  }
  // An update lists each client's structs by clock; a hand-made one may not.
  for (const list of own.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  return (id) => {
    const inDoc = doc.store.clients.get(id.client)
    if (inDoc && id.clock < Y.getState(doc.store, id.client)) return inDoc[Y.findIndexSS(inDoc, id.clock)] as Struct
    const list = own.get(id.client)
    return list ? findIn(list, id.clock) : null
  }
}

/** The struct of one client's run (sorted by clock, as an update lists them) holding `clock`. */
function findIn(list: Struct[], clock: number): Struct | null {
  let low = 0
  let high = list.length - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    const struct = list[mid] as Struct
    if (clock < struct.id.clock) high = mid - 1
    else if (clock >= struct.id.clock + struct.length) low = mid + 1
    else return struct
  }
  return null
}

/** Whether cutting `struct` at `clock` splits a live item (a deletion splits only what is not deleted). */
export function cutsLive(struct: Y.Item | Y.GC | Y.Skip, clock: number): boolean {
  return (
    struct instanceof Y.Item && !struct.deleted && clock > struct.id.clock && clock < struct.id.clock + struct.length
  )
}
