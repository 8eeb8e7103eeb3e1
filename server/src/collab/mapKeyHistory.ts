import * as Y from 'yjs'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The longest history a map key may have for an entry written without an origin to join it. Yjs
 * places such an entry by walking the key's whole history, at every integration and at every
 * load, so 40,000 of them on one key held the event loop for 6 s per message and 7–14 s per load.
 * A client writes one only the first time it sets a key it has never seen a value of (later
 * writes name the value they replace), so a real key never has more than a few.
 */
export const MAX_KEY_HISTORY = 1000

/**
 * The first map key `decoded` would give an origin-less entry while its history (entries in the
 * document before it, and origin-less entries of the update itself) is longer than
 * MAX_KEY_HISTORY; null when there is none.
 */
export function crowdedMapKey(doc: Y.Doc, decoded: DecodedUpdate): string | null {
  const added = new Map<string, number>()
  const historyOf = new Map<string, number>()
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item) || struct.parentSub === null || struct.origin !== null) continue
    const parent = struct.parent as unknown
    let where: string
    // biome-ignore lint/suspicious/noExplicitAny: any kind of map-holding type
    let type: Y.AbstractType<any> | null = null
    if (typeof parent === 'string') {
      where = `root:${parent}`
      type = doc.share.get(parent) ?? null
    } else if (parent instanceof Y.ID) {
      where = `${parent.client}:${parent.clock}`
      if (parent.clock < Y.getState(doc.store, parent.client)) {
        const holder = Y.getItem(doc.store, parent)
        if (holder instanceof Y.Item && holder.content instanceof Y.ContentType) type = holder.content.type
      }
    } else {
      continue
    }
    const key = `${where}\u0000${struct.parentSub}`
    let history = historyOf.get(key)
    if (history === undefined) {
      history = 0
      for (
        let item = type?._map.get(struct.parentSub) ?? null;
        item !== null && history <= MAX_KEY_HISTORY;
        item = item.left
      ) {
        history++
      }
      historyOf.set(key, history)
    }
    const count = (added.get(key) ?? 0) + 1
    added.set(key, count)
    if (history + count > MAX_KEY_HISTORY) return struct.parentSub
  }
  return null
}
