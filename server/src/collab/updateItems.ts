import * as Y from 'yjs'

/** An update as Yjs decodes it: its structs and its delete set. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** The items of a decoded update, findable by id, and the ranges it sends as collected (GC). */
export class UpdateItems {
  private readonly byClient = new Map<number, Y.Item[]>()
  private readonly collectedByClient = new Map<number, Y.GC[]>()

  constructor(structs: DecodedUpdate['structs']) {
    for (const s of structs) {
      if (s instanceof Y.Item) add(this.byClient, s)
      else if (s instanceof Y.GC) add(this.collectedByClient, s)
    }
    // Updates list each client's structs in clock order; one made by hand need not.
    for (const index of [this.byClient, this.collectedByClient] as Array<Map<number, Array<Y.Item | Y.GC>>>) {
      for (const list of index.values()) list.sort((a, b) => a.id.clock - b.id.clock)
    }
  }

  find(id: Y.ID): Y.Item | null {
    return within(this.byClient.get(id.client), id)
  }

  /** True when the update sends this id as garbage-collected: deleted, its content gone. */
  collected(id: Y.ID): boolean {
    return this.collectedAt(id) !== null
  }

  collectedAt(id: Y.ID): Y.GC | null {
    return within(this.collectedByClient.get(id.client), id)
  }
}

function add<T extends Y.Item | Y.GC>(index: Map<number, T[]>, struct: T): void {
  const list = index.get(struct.id.client)
  if (list) list.push(struct)
  else index.set(struct.id.client, [struct])
}

/** The struct of `structs` (one client's, in clock order) covering `id`. */
function within<T extends Y.Item | Y.GC>(structs: T[] | undefined, id: Y.ID): T | null {
  if (!structs) return null
  let low = 0
  let high = structs.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const s = structs[mid] as T
    if (id.clock < s.id.clock) high = mid - 1
    else if (id.clock >= s.id.clock + s.length) low = mid + 1
    else return s
  }
  return null
}

/** An update read against the document it is for, once, for every check that looks at it. */
export interface InspectedUpdate {
  structs: DecodedUpdate['structs']
  ds: DecodedUpdate['ds']
  /** The document's state vector: what of each client it already has. */
  known: Map<number, number>
  places: Places
}

export function inspectUpdate(doc: Y.Doc, { structs, ds }: DecodedUpdate): InspectedUpdate {
  const known = Y.decodeStateVector(Y.encodeStateVector(doc))
  return { structs, ds, known, places: new Places(doc, known, new UpdateItems(structs)) }
}

/** The items of the update the document does not have yet. */
export function* newItems({ structs, places }: InspectedUpdate): Generator<Y.Item> {
  for (const struct of structs) if (struct instanceof Y.Item && places.isNew(struct)) yield struct
}

/**
 * Calls `visit` for every item the update deletes that `doc` has not deleted yet: items of the
 * document and items of the update alike. Stops at the first reason to refuse the update: one
 * `visit` returns, or the delete set naming something neither has (an update the server cannot check).
 */
export function forEachNewDeletion(
  doc: Y.Doc,
  { ds, known, places }: InspectedUpdate,
  visit: (item: Y.Item, inDoc: boolean) => string | null,
): string | null {
  const local = places.local
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      for (let clock = range.clock; clock < range.clock + range.len; ) {
        const id = Y.createID(client, clock)
        const inDoc = clock < (known.get(client) ?? 0)
        const struct = inDoc ? Y.getItem(doc.store, id) : (local.find(id) ?? local.collectedAt(id))
        if (!struct) return 'deletes something the server does not have'
        clock = struct.id.clock + struct.length
        if (!(struct instanceof Y.Item)) continue // already garbage-collected: nothing to delete
        if (inDoc && struct.deleted) continue
        const refusal = visit(struct, inDoc)
        if (refusal !== null) return refusal
      }
    }
  }
  return null
}

/** Where an item sits: its ancestors (nearest first) up to a root type, and its key in its parent. */
export interface Place {
  /** The root type's name; `null` when the place cannot be known; `gone` under collected items. */
  root: string | null | typeof GONE
  ancestors: Y.Item[]
  key: string | null
}

export const GONE = Symbol('gone')
const UNKNOWN: Place = { root: null, ancestors: [], key: null }
const MAX_NESTING = 64

/** Resolves the places of items of the document and of the update. */
export class Places {
  private readonly cache = new Map<Y.Item, Place>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly known: Map<number, number>,
    readonly local: UpdateItems,
  ) {}

  isNew(item: Y.Item): boolean {
    return item.id.clock + item.length > (this.known.get(item.id.client) ?? 0)
  }

  of(item: Y.Item, depth = 0): Place {
    const cached = this.cache.get(item)
    if (cached) return cached
    const place = this.isNew(item) ? this.ofNew(item, depth) : this.ofIntegrated(item)
    this.cache.set(item, place)
    return place
  }

  /** An integrated item knows its parent type; the type knows the item that holds it. */
  private ofIntegrated(item: Y.Item): Place {
    const ancestors: Y.Item[] = []
    let type = item.parent as Y.AbstractType<unknown> | null
    if (!type) return { root: GONE, ancestors, key: item.parentSub }
    while (type._item) {
      ancestors.push(type._item)
      type = type._item.parent as Y.AbstractType<unknown>
    }
    return { root: Y.findRootTypeKey(type), ancestors, key: item.parentSub }
  }

  /**
   * An item of the update names its parent (a root type's name, or the id of the item holding the
   * parent type) or else a neighbour, whose parent and key it shares. Neighbours are followed in
   * a loop, not by recursion: an update may hold long chains of them (and, if made by hand, cycles).
   */
  private ofNew(item: Y.Item, depth: number): Place {
    const chain: Y.Item[] = []
    const seen = new Set<Y.Item>()
    let current = item
    let place: Place = UNKNOWN
    for (;;) {
      const cached = this.cache.get(current)
      if (cached) {
        place = cached
        break
      }
      if (!this.isNew(current)) {
        place = this.ofIntegrated(current)
        break
      }
      chain.push(current)
      seen.add(current)
      const parent = current.parent as unknown
      if (typeof parent === 'string') {
        place = { root: parent, ancestors: [], key: current.parentSub }
        break
      }
      if (parent instanceof Y.ID) {
        place = this.underHolder(parent, current.parentSub, depth)
        break
      }
      const neighbourId = current.origin ?? current.rightOrigin
      const neighbour = neighbourId ? this.lookup(neighbourId) : null
      if (neighbour === GONE) place = { root: GONE, ancestors: [], key: null }
      if (!(neighbour instanceof Y.Item) || seen.has(neighbour)) break
      current = neighbour
    }
    for (const c of chain) this.cache.set(c, place)
    return place
  }

  /** The place of an item whose parent type is held by the item `holderId`. */
  private underHolder(holderId: Y.ID, key: string | null, depth: number): Place {
    const holder = this.lookup(holderId)
    if (holder === GONE) return { root: GONE, ancestors: [], key }
    // Types nest a few levels deep in every document Lever writes.
    if (!holder || depth > MAX_NESTING) return UNKNOWN
    const above = this.of(holder, depth + 1)
    return { root: above.root, ancestors: [holder, ...above.ancestors], key }
  }

  private lookup(id: Y.ID): Y.Item | null | typeof GONE {
    if (id.clock < (this.known.get(id.client) ?? 0)) {
      const struct = Y.getItem(this.doc.store, id)
      return struct instanceof Y.Item ? struct : GONE
    }
    return this.local.find(id) ?? (this.local.collected(id) ? GONE : null)
  }
}
