import { generateKeyBetween } from 'fractional-indexing'
import * as Y from 'yjs'

/**
 * Order inside collections that several people edit at once. Items live in a Y.Map by id and
 * carry a fractional `order` key; moving an item rewrites its key, so concurrent moves never
 * duplicate an item (as delete + insert in a Y.Array would) and concurrent inserts both survive.
 */

const VALID_KEY = /^[a-zA-Z][0-9a-zA-Z]*$/

function isUsableKey(key: unknown): key is string {
  if (typeof key !== 'string' || !VALID_KEY.test(key)) return false
  try {
    generateKeyBetween(key, null)
    return true
  } catch {
    return false
  }
}

/** A key strictly between a and b (either may be null for the ends), tolerant of bad or equal keys. */
export function keyBetween(a: string | null, b: string | null): string {
  const lo = isUsableKey(a) ? a : null
  let hi = isUsableKey(b) ? b : null
  if (lo !== null && hi !== null && lo >= hi) hi = null
  return generateKeyBetween(lo, hi)
}

export interface Ordered {
  id: string
  order: string
}

/** Sorts by order key, then by id, so every replica shows the same order. */
export function compareOrdered(a: Ordered, b: Ordered): number {
  if (a.order !== b.order) return a.order < b.order ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** The order key that puts an item at `index` of an already sorted list (excluding the item). */
export function orderKeyAt(sorted: readonly Ordered[], index: number): string {
  const i = Math.max(0, Math.min(index, sorted.length))
  return keyBetween(sorted[i - 1]?.order ?? null, sorted[i]?.order ?? null)
}

export function readOrder(map: Y.Map<unknown>): string {
  const order = map.get('order')
  return typeof order === 'string' ? order : ''
}

/**
 * A collection of Y.Map items kept in a parent Y.Map by id, in `order`-key order.
 * `wrap` turns an item's map into its model class.
 */
export class OrderedCollection<T> {
  constructor(
    readonly map: Y.Map<Y.Map<unknown>>,
    private readonly wrap: (item: Y.Map<unknown>) => T,
    private readonly create: (item: Y.Map<unknown>) => void,
  ) {}

  private sortedEntries(): Array<Ordered & { item: Y.Map<unknown> }> {
    const entries: Array<Ordered & { item: Y.Map<unknown> }> = []
    for (const [id, item] of this.map) {
      if (item instanceof Y.Map) entries.push({ id, order: readOrder(item), item })
    }
    return entries.sort(compareOrdered)
  }

  /** Items in display order. */
  list(): T[] {
    return this.sortedEntries().map((e) => this.wrap(e.item))
  }

  get size(): number {
    return this.sortedEntries().length
  }

  get(id: string): T | null {
    const item = this.map.get(id)
    return item instanceof Y.Map ? this.wrap(item) : null
  }

  /** Adds a new item (at the end unless an index is given) and returns it. */
  add(id: string, index?: number): T {
    const sorted = this.sortedEntries()
    const item = new Y.Map<unknown>()
    item.set('id', id)
    item.set('order', orderKeyAt(sorted, index ?? sorted.length))
    this.map.set(id, item)
    this.create(item)
    return this.wrap(item)
  }

  /** Moves an item to `index` of the list as it would be without it. */
  move(id: string, index: number): void {
    const item = this.map.get(id)
    if (!(item instanceof Y.Map)) return
    const others = this.sortedEntries().filter((e) => e.id !== id)
    item.set('order', orderKeyAt(others, index))
  }

  remove(id: string): void {
    this.map.delete(id)
  }
}
