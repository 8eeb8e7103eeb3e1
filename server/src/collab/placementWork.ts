import * as Y from 'yjs'
import { itemAt } from './docItems.ts'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The most placement steps (see `placementWork`) one update may cost: a fraction of a second of
 * Yjs's time on this machine (about 0.2 µs a step). A person's update costs next to none: typing,
 * pasting and merging offline edits place each item where nothing else sits.
 */
export const MAX_PLACEMENT_WORK = 2_000_000

/**
 * An estimate, from above, of how many items Yjs steps over to place an update's new items. Yjs
 * places an item by walking the items between its left and right origins (those others inserted
 * at the same spot concurrently), and when those come from lower client ids it walks all of them
 * for every new item: a few thousand items from as many client ids at one spot, sent after a few
 * thousand others, took 6.5 s in one message. Counted per spot (same left and right origin, same
 * key of a map): the items the document has between the two origins, plus the update's own
 * earlier items at that spot. Stops counting past `limit`.
 */
export function placementWork(doc: Y.Doc, decoded: DecodedUpdate, limit = MAX_PLACEMENT_WORK): number {
  let work = 0
  const between = new Map<string, number>()
  const own = new Map<string, number>()
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const spot = spotOf(struct)
    let inDoc = between.get(spot)
    if (inDoc === undefined) {
      inDoc = itemsBetween(doc, struct, limit - work + 1)
      between.set(spot, inDoc)
    }
    const earlier = own.get(spot) ?? 0
    own.set(spot, earlier + 1)
    work += inDoc + earlier
    if (work > limit) return work
  }
  return work
}

const idKey = (id: Y.ID | null): string => (id === null ? '-' : `${id.client}:${id.clock}`)

function spotOf(item: Y.Item): string {
  const { origin, rightOrigin, parentSub } = item
  // Without origins an item names its parent, which is then part of where it goes.
  const parent = origin === null && rightOrigin === null ? parentKey(item.parent) : ''
  return `${idKey(origin)}|${idKey(rightOrigin)}|${parent}|${parentSub ?? ''}`
}

function parentKey(parent: unknown): string {
  if (typeof parent === 'string') return `root:${parent}`
  if (parent instanceof Y.ID) return idKey(parent)
  return '?'
}

/** How many items of the document sit between `item`'s origins (at most `cap`). */
function itemsBetween(doc: Y.Doc, item: Y.Item, cap: number): number {
  const { origin, rightOrigin } = item
  const left = origin ? itemAt(doc, origin) : null
  const right = rightOrigin ? itemAt(doc, rightOrigin) : null
  let count = 0
  if (origin) {
    // An origin among the update's own items: what sits after it is the update's own, counted there.
    if (!left) return 0
    // Both origins inside one item (typing inside a word): nothing sits between them yet.
    if (right === left) return 0
    for (let o = left.right; o !== null && o !== right && count < cap; o = o.right) count++
    return count
  }
  if (rightOrigin) {
    if (!right) return 0
    for (let o = right.left; o !== null && count < cap; o = o.left) count++
    return count
  }
  // Neither: the start of its parent's list (map entries without an origin: see mapKeyHistory.ts).
  if (item.parentSub !== null) return 0
  const parent = item.parent as unknown
  let type: Y.AbstractType<unknown> | null = null
  if (typeof parent === 'string') type = (doc.share.get(parent) as Y.AbstractType<unknown> | undefined) ?? null
  else if (parent instanceof Y.ID) {
    const holder = itemAt(doc, parent)
    if (holder?.content instanceof Y.ContentType) type = holder.content.type
  }
  for (let o = type?._start ?? null; o !== null && count < cap; o = o.right) count++
  return count
}
