import * as Y from 'yjs'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The most one split adds to a document's encoding: a new struct with its info byte, its origin
 * and right origin (a client id and a clock each, up to five bytes apiece) and its length, and
 * the delete set's entry beside it. Measured: 10–12 bytes a split on a plan's ids.
 */
export const BYTES_PER_SPLIT = 32

export type Struct = Y.Item | Y.GC | Y.Skip

/** The splits an update makes, and what they add to the document's encoding at most. */
export interface Splits {
  /** Items cut in two: each is one more struct. */
  count: number
  /** Bytes the document grows by beyond the update's own, at most (zero when it shrinks). */
  growth: number
}

/**
 * The splits an update makes. A deleted range that starts or ends inside a live item splits it
 * (an item of the document or one the update itself brings: a client merging its offline edits
 * sends a typed run and a deletion inside it), and so does a new item whose origin or right
 * origin points inside one; each split is a struct the document then encodes (deleting every
 * other character of a paragraph, a few bytes of update, makes the paragraph's encoding about
 * twenty times larger). Text of the document the update deletes leaves the encoding, so it counts
 * against the growth (only strings: other content is counted as freeing nothing). Each client's
 * deleted ranges must be in order and apart (`checkUpdateShape` refuses others first).
 */
export function countSplits(doc: Y.Doc, decoded: DecodedUpdate): Splits {
  let count = 0
  let freed = 0
  const structs = decoded.structs as Struct[]
  const holding = structs.length > 0 ? structAt(doc, structs) : null
  for (const [client, ranges] of decoded.ds.clients) {
    const inDoc = doc.store.clients.get(client) ?? []
    const known = inDoc.length > 0 ? Y.getState(doc.store, client) : 0
    for (const range of ranges) {
      const end = range.clock + range.len
      const docEnd = Math.min(end, known)
      if (range.clock < docEnd) {
        const first = Y.findIndexSS(inDoc, range.clock)
        const last = Y.findIndexSS(inDoc, docEnd - 1)
        if (cutsLive(inDoc[first] as Struct, range.clock)) count++
        if (cutsLive(inDoc[last] as Struct, docEnd)) count++
        for (let i = first; i <= last; i++) {
          const struct = inDoc[i] as Struct
          if (!(struct instanceof Y.Item) || struct.deleted || !(struct.content instanceof Y.ContentString)) continue
          freed += Math.min(docEnd, struct.id.clock + struct.length) - Math.max(range.clock, struct.id.clock)
        }
      }
      // The part past the document's state: the update's own new items (the document's last item
      // ends at `known`, so no cut sits there).
      if (end > known && holding) {
        const from = Math.max(range.clock, known)
        const head = holding(Y.createID(client, from))
        if (head && cutsLive(head, from)) count++
        const tail = holding(Y.createID(client, end - 1))
        if (tail && cutsLive(tail, end)) count++
      }
    }
  }
  if (structs.length > 0) count += originSplits(structs, holding as NonNullable<typeof holding>)
  return { count, growth: Math.max(0, count * BYTES_PER_SPLIT - freed) }
}

/**
 * New items whose origin ends, or whose right origin starts, inside an item: Yjs cuts that item
 * there to place them (deleted items too). The item may be in the document or in the update.
 */
function originSplits(structs: Struct[], holding: (id: Y.ID) => Struct | null): number {
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

/** The look-up of each decoded update's structs, built once for the checks that all need it. */
const lookups = new WeakMap<Struct[], { doc: Y.Doc; lookup: (id: Y.ID) => Struct | null }>()

/**
 * Finds the struct holding an id, in the document or among an update's new structs (not yet
 * integrated); null when neither has it. Built once per array of structs (an update's checks
 * each ask for it before the update is applied; the document is read as it is at each call).
 */
export function structAt(doc: Y.Doc, structs: Struct[]): (id: Y.ID) => Struct | null {
  const built = lookups.get(structs)
  if (built?.doc === doc) return built.lookup
  const lookup = buildStructAt(doc, structs)
  lookups.set(structs, { doc, lookup })
  return lookup
}

function buildStructAt(doc: Y.Doc, structs: Struct[]): (id: Y.ID) => Struct | null {
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
