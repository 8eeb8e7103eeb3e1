import * as Y from 'yjs'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The most collection work one update may cause (see `collectionWork`): about a tenth of a second
 * of Yjs's time on this project's 2-core machine. Deleting a few thousand paragraphs at once in a
 * large plan stays under it.
 */
export const MAX_COLLECTION_WORK = 5e8

/**
 * Collection work accepted since the log was last merged past which it is merged now: a log is
 * applied in one transaction when its document loads, so everything it deletes is collected at
 * once, and deletions the limit let through one at a time would add up (about a second of Yjs's
 * time at this much).
 */
export const MERGE_AFTER_COLLECTION_WORK = 2e9

/**
 * An upper bound of what Yjs's garbage collection will do for an update's deletions, in units of
 * "structs moved". When a type (a paragraph, an initiative) is deleted, every struct under it is
 * replaced by a garbage struct, and Yjs then merges neighbouring garbage structs one splice at a
 * time: each splice moves the rest of that client's struct array. Deleting 25,000 paragraphs
 * made one after another therefore takes Yjs 2.5 s for a 12-byte update, and 100,000 take about
 * 40 s (quadratic; yjs/yjs#541, #707). The bound counts, for each type the update deletes, the
 * structs under it times the length of its client's array.
 *
 * Counting stops once it passes `limit` (the result is then some value above it).
 * - Existing types inside the delete set's ranges: their subtrees are walked in the document.
 * - Types the update itself creates and deletes: a client's own document collects those before
 *   it sends them (they arrive as garbage structs), so only a hand-made update has them; each
 *   counts every struct of the update.
 */
export function collectionWork(doc: Y.Doc, decoded: DecodedUpdate, limit: number): number {
  let work = 0
  // Structs under a counted type: a client's delete set names them too, and they count once.
  const counted = new Set<Y.Item>()
  const arrayLength = (client: number) => doc.store.clients.get(client)?.length ?? 0
  const subtree = (type: Y.AbstractType<unknown>, factor: number): void => {
    const stack = [type]
    while (stack.length > 0 && work <= limit) {
      const t = stack.pop() as Y.AbstractType<unknown>
      const visit = (item: Y.Item) => {
        work += factor
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
    const last = structs[structs.length - 1] as Y.Item | Y.GC
    const known = last.id.clock + last.length
    for (const range of ranges) {
      const end = Math.min(range.clock + range.len, known)
      if (range.clock >= end) continue
      for (let i = Y.findIndexSS(structs, range.clock); i < structs.length && work <= limit; i++) {
        const struct = structs[i] as Y.Item | Y.GC
        if (struct.id.clock >= end) break
        if (
          struct instanceof Y.Item &&
          !struct.deleted &&
          struct.content instanceof Y.ContentType &&
          !counted.has(struct)
        ) {
          work += factor
          subtree(struct.content.type, factor)
        }
      }
    }
    if (work > limit) return work
  }
  // New types the update deletes at once (one is enough to count the whole update).
  const sorted = new Map<number, Array<{ clock: number; len: number }>>()
  const deletedNew = (id: Y.ID): boolean => {
    let ranges = sorted.get(id.client)
    if (!ranges) {
      // Sorted and joined where they overlap (a hand-made delete set may be in any order).
      ranges = []
      for (const r of [...(decoded.ds.clients.get(id.client) ?? [])].sort((a, b) => a.clock - b.clock)) {
        const previous = ranges[ranges.length - 1]
        if (previous && r.clock <= previous.clock + previous.len) {
          previous.len = Math.max(previous.len, r.clock + r.len - previous.clock)
        } else {
          ranges.push({ clock: r.clock, len: r.len })
        }
      }
      sorted.set(id.client, ranges)
    }
    let low = 0
    let high = ranges.length - 1
    while (low <= high) {
      const mid = (low + high) >>> 1
      const r = ranges[mid] as { clock: number; len: number }
      if (id.clock < r.clock) high = mid - 1
      else if (id.clock >= r.clock + r.len) low = mid + 1
      else return true
    }
    return false
  }
  const newStructs = decoded.structs.length
  for (const struct of decoded.structs) {
    if (
      !(struct instanceof Y.Item) ||
      !(struct.content instanceof Y.ContentType) ||
      !decoded.ds.clients.has(struct.id.client)
    ) {
      continue
    }
    if (deletedNew(struct.id)) return work + newStructs * (arrayLength(struct.id.client) + newStructs)
  }
  return work
}
