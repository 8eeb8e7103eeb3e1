import * as Y from 'yjs'
import { cutsLive, type Struct, structAt } from './splitGrowth.ts'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The most collection work one update may cause (see `collectionWork`): at most about a second of
 * Yjs's time on this project's 2-core machine (the bound is loose: undoing a paste of thousands of
 * paragraphs, which Yjs collects in well under that, stays under it).
 */
export const MAX_COLLECTION_WORK = 1e9

/**
 * Collection work accepted since the log was last merged past which it is merged now: a log is
 * applied in one transaction when its document loads, so everything it deletes is collected at
 * once, and deletions the limit let through one at a time would add up (about a second of Yjs's
 * time at this much).
 */
export const MERGE_AFTER_COLLECTION_WORK = 2e9

/**
 * An upper bound of what Yjs will do for an update's deletions, in units of "structs moved":
 * - Splits: a deleted range that starts or ends inside a live item splits it, and Yjs inserts the
 *   new half into the client's struct array, moving everything after it (30,000 such ranges at
 *   the front of a 60,000-item array held the event loop for seconds).
 * - Garbage collection: when a type (a paragraph, an initiative) is deleted, every struct under it
 *   becomes a garbage struct, and Yjs merges neighbouring ones one splice at a time, each moving
 *   the rest of that struct's client array. Deleting 25,000 paragraphs made one after another is
 *   a 12-byte update that takes Yjs 2.5 s, and 100,000 take about 40 s (quadratic; yjs/yjs#541,
 *   #707). Each deleted type counts its subtree, each struct by its own client's array length.
 * - Types the update itself creates and deletes (a client sends those when its undo history keeps
 *   them): each counts its client's array plus the update's structs.
 * - New structs that land under a deleted type (one the update deletes, one it creates deleted,
 *   or one deleted before), found through their parents and origins: each counts its client's
 *   array plus the update's structs (typing over a selection of paragraphs counts a few; a
 *   hand-made update that fills a paragraph with 100,000 new children while deleting it, which
 *   took Yjs 2.2 s, counts far past the limit). New structs elsewhere count nothing, so a long
 *   offline session's answer that also deletes a paragraph is not refused.
 * Counting stops once it passes `limit` (the result is then some value above it). Each client's
 * ranges must be in order and apart (`checkUpdateShape` refuses others first).
 */
export function collectionWork(doc: Y.Doc, decoded: DecodedUpdate, limit: number): number {
  let work = 0
  // Structs under a counted type: a client's delete set names them too, and they count once.
  const counted = new Set<Y.Item>()
  // The live types this update deletes.
  const deletedTypes = new Set<Y.Item>()
  const arrayLength = (client: number) => doc.store.clients.get(client)?.length ?? 0
  // Each struct under a deleted type is spliced in its own client's array.
  const subtree = (type: Y.AbstractType<unknown>): void => {
    const stack = [type]
    while (stack.length > 0 && work <= limit) {
      const t = stack.pop() as Y.AbstractType<unknown>
      const visit = (item: Y.Item) => {
        work += arrayLength(item.id.client)
        counted.add(item)
        if (item.content instanceof Y.ContentType) stack.push(item.content.type)
      }
      for (let item = t._start; item !== null && work <= limit; item = item.right) visit(item)
      for (const last of t._map.values()) {
        for (let item: Y.Item | null = last; item !== null && work <= limit; item = item.left) visit(item)
      }
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs || structs.length === 0) continue
    const factor = structs.length
    const known = Y.getState(doc.store, client)
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known)
      if (range.clock >= end) continue
      const first = Y.findIndexSS(structs, range.clock)
      // A range that starts or ends inside a live item splits it: Yjs inserts the new half into
      // the client's array, moving everything after it.
      if (cutsLive(structs[first] as Y.Item | Y.GC, range.clock)) work += structs.length - first
      const lastIndex = Y.findIndexSS(structs, end - 1)
      if (cutsLive(structs[lastIndex] as Y.Item | Y.GC, end)) work += structs.length - lastIndex
      for (let i = first; i < structs.length && work <= limit; i++) {
        const struct = structs[i] as Y.Item | Y.GC
        if (struct.id.clock >= end) break
        if (
          struct instanceof Y.Item &&
          !struct.deleted &&
          struct.content instanceof Y.ContentType &&
          !counted.has(struct)
        ) {
          work += factor
          deletedTypes.add(struct)
          subtree(struct.content.type)
        }
      }
    }
    if (work > limit) return work
  }
  const newStructs = decoded.structs.length
  if (newStructs === 0) return work
  // New types the update deletes at once: their structs are not in the document yet, so each
  // counts as if the whole update were under it once (its client's array and the update's structs).
  const deletedNewTypes = new Set<Y.Item>()
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentType)) continue
    if (!Y.isDeleted(decoded.ds, struct.id)) continue
    deletedNewTypes.add(struct)
    work += arrayLength(struct.id.client) + newStructs
    if (work > limit) return work
  }
  // New structs placed under a deleted type (one this update deletes, one it creates deleted, or
  // one deleted before) are deleted as they arrive and collected with it, one splice each.
  const under = placedUnderDeleted(
    doc,
    decoded.structs as Struct[],
    (item) => deletedTypes.has(item) || deletedNewTypes.has(item) || (!isNew(item) && item.deleted),
  )
  if (under > 0) {
    const first = decoded.structs[0] as Struct
    work += under * (arrayLength(first.id.client) + newStructs)
  }
  return work
}

/** An item of the update, not yet integrated: its parent is an id, a root's name or unknown. */
const isNew = (item: Y.Item): boolean => !(item.parent instanceof Y.AbstractType)

/**
 * How many of an update's new structs land under a type `deleted` says is deleted, at any depth.
 * A new item names its parent only when it has no neighbours; otherwise it shares its origin's
 * (or right origin's) parent, which may itself be new. Each item's answer is found once, walking
 * up without recursion, so a hand-made chain of 100,000 items costs one pass.
 */
function placedUnderDeleted(doc: Y.Doc, structs: Struct[], deleted: (item: Y.Item) => boolean): number {
  const holding = structAt(doc, structs)
  /** The item one step up from `item`: its parent's item, its neighbour (same parent), or the top. */
  const step = (item: Y.Item): { parent: Y.Item | null } | { sibling: Y.Item } | null => {
    if (!isNew(item)) return { parent: (item.parent as Y.AbstractType<unknown>)._item }
    if (item.parent instanceof Y.ID) {
      const p = holding(item.parent)
      return p instanceof Y.Item ? { parent: p } : null
    }
    if (typeof item.parent === 'string') return { parent: null }
    const neighbour = item.origin ? holding(item.origin) : item.rightOrigin ? holding(item.rightOrigin) : null
    return neighbour instanceof Y.Item ? { sibling: neighbour } : null
  }
  // For each item: whether what it is under (its ancestors) includes a deleted type.
  const known = new Map<Y.Item, boolean>()
  const isUnder = (start: Y.Item): boolean => {
    const path = new Set<Y.Item>()
    let answer = false
    let item: Y.Item | null = start
    // A hand-made update can make items each other's neighbours or parents: a loop ends the walk.
    while (item !== null && !path.has(item)) {
      const memo = known.get(item)
      if (memo !== undefined) {
        answer = memo
        break
      }
      path.add(item)
      const next = step(item)
      if (next === null) break
      if ('sibling' in next) {
        // A neighbour shares the parent: the same answer as the neighbour's.
        item = next.sibling
        continue
      }
      if (next.parent === null) break
      if (deleted(next.parent)) {
        answer = true
        break
      }
      item = next.parent
    }
    for (const visited of path) known.set(visited, answer)
    return answer
  }
  let under = 0
  for (const struct of structs) if (struct instanceof Y.Item && isUnder(struct)) under++
  return under
}
