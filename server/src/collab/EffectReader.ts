import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import type { DecodedUpdate, Place, StructuralProblem, UpdateEffect } from './updateEffect.ts'

type Struct = Y.Item | Y.GC | Y.Skip
/** The parent of a new item: a type the document has, a type made by the update, or a root to create. */
type Parent = { type: Y.AbstractType<unknown> } | { holder: Y.Item } | { root: string }

interface Resolved {
  parent: Parent
  parentSub: string | null
  place: Place
  /** Deleted on integration (under a deleted type, or followed under its key by a newer entry). */
  deleted: boolean
}

/** Thrown inside the reader when the update cannot be integrated as sent. */
export class Refused extends Error {
  constructor(
    readonly problem: StructuralProblem,
    message: string,
  ) {
    super(message)
  }
}

/** Reads what `update` (decoded as `decoded`) would do to `doc`. Changes nothing. */

/**
 * Reads one update against a document, in Yjs's integration order (see `updateEffect.ts` for why
 * and what it refuses). Use through `readUpdateEffect`.
 */
export class EffectReader implements UpdateEffect {
  changes = false
  readonly inserted: UpdateEffect['inserted'] = []
  readonly deleted: UpdateEffect['deleted'] = []
  private readonly refs = new Map<number, Struct[]>()
  private readonly docStates = new Map<number, number>()
  /** What the document will have of each client once the structs integrated so far are in. */
  private readonly state = new Map<number, number>()
  private readonly resolved = new Map<Y.Item, Resolved>()
  /** Items of the update integrated as garbage (their neighbour or parent is collected). */
  private readonly collected = new Set<Y.Item>()
  /** The entry of each key of each parent the update wrote last, by parent then key. */
  private readonly entries = new Map<object, Map<string, Y.Item>>()
  /** Items of the document certainly deleted by the update. */
  private readonly deletedItems = new Set<Y.Item>()
  /** Current entries of the document reported as replaced (judged), deleted or not. */
  private readonly reportedReplaced = new Set<Y.Item>()
  /** Items of the update its delete set deletes. */
  private readonly deletedNew = new Set<Y.Item>()
  private readonly docPlaces = new Map<Y.AbstractType<unknown>, Place>()

  update: Uint8Array = new Uint8Array()

  constructor(
    readonly doc: Y.Doc,
    private readonly decoded: DecodedUpdate,
  ) {}

  read(update: Uint8Array): UpdateEffect {
    this.update = update
    this.readBlocks(update)
    this.integrate()
    this.readDeleteSet()
    this.collectInserted()
    return this
  }

  isNew(item: Y.Item): boolean {
    return item.id.clock >= this.docState(item.id.client)
  }

  placeOf(item: Y.Item): Place {
    const resolved = this.resolved.get(item)
    if (resolved) return resolved.place
    const parent = item.parent as Y.AbstractType<unknown> | null
    if (!parent) return { root: '', ancestors: [], key: item.parentSub }
    return { ...this.placeOfType(parent), key: item.parentSub }
  }

  keyOf(item: Y.Item): string | null {
    return this.resolved.get(item)?.parentSub ?? item.parentSub
  }

  deletedAfter(item: Y.Item): boolean {
    if (this.isNew(item)) return this.resolved.get(item)?.deleted === true || this.deletedNew.has(item)
    return item.deleted || this.deletedItems.has(item)
  }

  /**
   * Checks the client blocks: Yjs keeps only the last block of a client (an earlier one is silently
   * dropped), so a client must come once, with at least one struct, and every struct must have a length.
   */
  private readBlocks(update: Uint8Array): void {
    let blocks = 0
    let previous: number | null = null
    for (const struct of this.decoded.structs as Struct[]) {
      const client = struct.id.client
      if (client !== previous) {
        if (this.refs.has(client)) throw new Refused('malformed', `client ${client} appears twice in the update`)
        this.refs.set(client, [])
        blocks++
        previous = client
      }
      if (struct.length <= 0) throw new Refused('malformed', 'the update holds an empty struct')
      if (struct instanceof Y.Item && struct.content instanceof Y.ContentDoc) {
        throw new Refused('malformed', 'subdocuments are not supported')
      }
      ;(this.refs.get(client) as Struct[]).push(struct)
    }
    const declared = decoding.readVarUint(decoding.createDecoder(update))
    if (declared !== blocks) throw new Refused('malformed', 'the update repeats a client or sends an empty one')
  }

  /** Walks the structs in the order `integrateStructs` does, integrating each in the model. */
  private integrate(): void {
    const cursors = new Map<number, { i: number; refs: Struct[] }>()
    for (const [client, refs] of this.refs) cursors.set(client, { i: 0, refs })
    const clients = [...cursors.keys()].sort((a, b) => a - b)
    const nextTarget = () => {
      while (clients.length > 0) {
        const target = cursors.get(clients[clients.length - 1] as number) as { i: number; refs: Struct[] }
        if (target.i < target.refs.length) return target
        clients.pop()
      }
      return null
    }
    let target = nextTarget()
    if (!target) return
    const stack: Struct[] = []
    let head: Struct = target.refs[target.i++] as Struct
    for (;;) {
      if (!(head instanceof Y.Skip)) {
        const known = this.stateOf(head.id.client)
        const offset = known - head.id.clock
        if (offset < 0) {
          throw new Refused('missing', `the update skips changes of client ${head.id.client} the server does not have`)
        }
        if (offset > 0 && offset < head.length) {
          throw new Refused('overlap', `the update starts inside what the server has of client ${head.id.client}`)
        }
        // Yjs resolves the dependencies of every struct, even one it already has and skips.
        const missing = head instanceof Y.Item ? this.missingClient(head) : null
        if (missing !== null) {
          stack.push(head)
          const refs = cursors.get(missing)
          if (!refs || refs.i === refs.refs.length) {
            throw new Refused('missing', `the update depends on changes of client ${missing} the server does not have`)
          }
          head = refs.refs[refs.i++] as Struct
          continue
        }
        if (offset === 0) {
          this.integrateOne(head)
          this.state.set(head.id.client, head.id.clock + head.length)
          this.changes = true
        }
      }
      const popped = stack.pop()
      if (popped) {
        head = popped
      } else if (target && target.i < target.refs.length) {
        head = target.refs[target.i++] as Struct
      } else {
        target = nextTarget()
        if (!target) break
        head = target.refs[target.i++] as Struct
      }
    }
  }

  /**
   * Like `Item.getMissing`: the client of a dependency not integrated yet. A dependency on the
   * item's own client must be integrated already (Yjs does not wait for it; it throws).
   */
  private missingClient(item: Y.Item): number | null {
    return (
      this.missingFor(item, item.origin) ??
      this.missingFor(item, item.rightOrigin) ??
      this.missingFor(item, item.parent instanceof Y.ID ? item.parent : null)
    )
  }

  private missingFor(item: Y.Item, dep: Y.ID | null): number | null {
    if (dep === null || dep.clock < this.stateOf(dep.client)) return null
    if (dep.client === item.id.client) throw new Refused('malformed', 'an item refers to a later item of the update')
    return dep.client
  }

  private integrateOne(struct: Y.Item | Y.GC): void {
    if (!(struct instanceof Y.Item)) return
    const left = struct.origin ? this.structAt(struct.origin) : null
    const right = struct.rightOrigin ? this.structAt(struct.rightOrigin) : null
    if (this.isCollected(left) || this.isCollected(right)) {
      this.collected.add(struct)
      return
    }
    let parent: Parent
    let parentSub = struct.parentSub
    if (struct.parent === null) {
      const neighbour = (left ?? right) as Y.Item | null
      const from = neighbour ? this.parentOfIntegrated(neighbour) : null
      if (!from) {
        this.collected.add(struct)
        return
      }
      parent = from.parent
      parentSub = from.parentSub
    } else if (struct.parent instanceof Y.ID) {
      const holder = this.structAt(struct.parent)
      if (this.isCollected(holder)) {
        this.collected.add(struct)
        return
      }
      const content = (holder as Y.Item).content
      if (content instanceof Y.ContentDeleted) {
        // Yjs finds no type in a collected type's item and integrates the item as garbage.
        this.collected.add(struct)
        return
      }
      if (!(content instanceof Y.ContentType))
        throw new Refused('malformed', 'an item names a parent that is not a type')
      parent = this.isNew(holder as Y.Item) ? this.parentRef(holder as Y.Item) : this.parentRef(content.type)
    } else {
      const name = struct.parent as unknown as string
      const type = this.doc.share.get(name)
      parent = this.parentRef((type as Y.AbstractType<unknown> | undefined) ?? name)
    }
    // Items of one sequence share their parent's place object (cheap for long updates).
    const above = this.placeOfParent(parent)
    const place = parentSub === null ? above : { ...above, key: parentSub }
    // Content sent as deleted (made and removed before it was sent) integrates deleted.
    const deleted = this.parentDeleted(parent) || struct.content instanceof Y.ContentDeleted
    this.resolved.set(struct, { parent, parentSub, place, deleted })
    if (parentSub !== null) this.replaceEntry(struct, parent, parentSub)
  }

  private readonly parents = new Map<unknown, Parent>()
  /** One `Parent` object per parent, so places can be shared and cached by it. */
  private parentRef(of: Y.AbstractType<unknown> | Y.Item | string): Parent {
    let parent = this.parents.get(of)
    if (!parent) {
      parent = typeof of === 'string' ? { root: of } : of instanceof Y.Item ? { holder: of } : { type: of }
      this.parents.set(of, parent)
    }
    return parent
  }

  /**
   * The entries an item under a key certainly replaces. Yjs keeps one entry per key, the rightmost
   * of the key's list, and deletes every other. An item whose origin is the last id of the key's
   * previous new entry sits right of it, so that entry is deleted (a client setting a key twice).
   * Entries written side by side (no origin, or the same one) are ordered by client id, the higher
   * to the right, not by the order they are read in: then none of them is taken as replaced, and
   * every one is judged as inserted. Judging an entry Yjs then deletes only refuses more; taking
   * the wrong one as replaced would let the one that stays through unjudged. The document's current
   * entry is reported replaced (its removal judged) from the first new entry of its key on, but it
   * counts as deleted (so what is under it goes unjudged) only when a new entry follows it.
   */
  private replaceEntry(item: Y.Item, parent: Parent, key: string): void {
    const owner = 'type' in parent ? parent.type : 'holder' in parent ? parent.holder : `root:${parent.root}`
    const ownerKey = typeof owner === 'string' ? this.rootKey(owner) : owner
    let byKey = this.entries.get(ownerKey)
    if (!byKey) {
      byKey = new Map()
      this.entries.set(ownerKey, byKey)
    }
    const previous = byKey.get(key)
    byKey.set(key, item)
    if (previous) {
      const resolved = this.resolved.get(previous)
      if (follows(item, previous) && resolved) resolved.deleted = true
      return
    }
    if (!('type' in parent)) return
    const current = parent.type._map.get(key)
    if (!current || current.deleted || this.deletedItems.has(current)) return
    // Its removal is judged from the first new entry of its key on, whether or not it happens.
    if (!this.reportedReplaced.has(current)) {
      this.reportedReplaced.add(current)
      this.deleted.push({ item: current, place: this.placeOf(current), replaced: true })
    }
    // But it counts as gone (and what is under it as unseen) only when it certainly is: an entry
    // right after it. One written beside it with a lower client id goes left of it and is deleted.
    if (follows(item, current)) this.deletedItems.add(current)
  }

  private readonly rootKeys = new Map<string, object>()
  private rootKey(name: string): object {
    let key = this.rootKeys.get(name)
    if (!key) {
      key = {}
      this.rootKeys.set(name, key)
    }
    return key
  }

  private parentDeleted(parent: Parent): boolean {
    if ('type' in parent) return parent.type._item?.deleted === true
    if ('holder' in parent) return this.resolved.get(parent.holder)?.deleted === true
    return false
  }

  /** The parent and key an item passes to a new neighbour (`Item.getMissing`). */
  private parentOfIntegrated(item: Y.Item): { parent: Parent; parentSub: string | null } | null {
    if (this.isNew(item)) return this.resolved.get(item) ?? null
    const type = item.parent as Y.AbstractType<unknown> | null
    return type ? { parent: { type }, parentSub: item.parentSub } : null
  }

  private readonly parentPlaces = new Map<Parent, Place>()
  /** The place of a parent's sequence items (key null). */
  private placeOfParent(parent: Parent): Place {
    const cached = this.parentPlaces.get(parent)
    if (cached) return cached
    let place: Place
    if ('root' in parent) place = { root: parent.root, ancestors: [], key: null }
    else if ('type' in parent) place = this.placeOfType(parent.type)
    else {
      const above = this.resolved.get(parent.holder)?.place as Place
      place = { root: above.root, ancestors: [parent.holder, ...above.ancestors], key: null }
    }
    this.parentPlaces.set(parent, place)
    return place
  }

  private placeOfType(type: Y.AbstractType<unknown>): Place {
    const cached = this.docPlaces.get(type)
    if (cached) return cached
    const ancestors: Y.Item[] = []
    let current = type
    while (current._item) {
      ancestors.push(current._item)
      current = current._item.parent as Y.AbstractType<unknown>
    }
    const place = { root: Y.findRootTypeKey(current), ancestors, key: null }
    this.docPlaces.set(type, place)
    return place
  }

  private isCollected(struct: Y.Item | Y.GC | null): boolean {
    if (struct === null) return false
    return struct instanceof Y.GC || this.collected.has(struct)
  }

  /** The struct covering `id`, of the document or of the update (which has integrated it). */
  private structAt(id: Y.ID): Y.Item | Y.GC {
    if (id.clock < this.docState(id.client)) return Y.getItem(this.doc.store, id) as Y.Item | Y.GC
    const found = within(this.refs.get(id.client), id.clock)
    if (!found || found instanceof Y.Skip) throw new Refused('malformed', 'an item refers to nothing')
    return found
  }

  private docState(client: number): number {
    let clock = this.docStates.get(client)
    if (clock === undefined) {
      clock = Y.getState(this.doc.store, client)
      this.docStates.set(client, clock)
    }
    return clock
  }

  private stateOf(client: number): number {
    return this.state.get(client) ?? this.docState(client)
  }

  /** Like `readAndApplyDeleteSet`, but every range must be within what document and update hold. */
  private readDeleteSet(): void {
    for (const [client, ranges] of this.decoded.ds.clients) {
      const docState = this.docState(client)
      const end = this.stateOf(client)
      for (const range of ranges) {
        const rangeEnd = range.clock + range.len
        // Yjs keeps pending any range reaching past the state, and one starting at or past it (even empty).
        if (rangeEnd > end || range.clock >= end) {
          throw new Refused('missing', `the update deletes changes of client ${client} the server does not have`)
        }
        if (range.len === 0) continue
        if (range.clock < docState) this.deleteInDoc(client, range.clock, Math.min(rangeEnd, docState))
        if (rangeEnd > docState) {
          const refs = this.refs.get(client) as Struct[]
          for (let clock = Math.max(range.clock, docState); clock < rangeEnd; ) {
            const struct = within(refs, clock) as Y.Item | Y.GC
            if (struct instanceof Y.Item) this.deletedNew.add(struct)
            clock = struct.id.clock + struct.length
          }
        }
      }
    }
  }

  private deleteInDoc(client: number, clock: number, end: number): void {
    const structs = this.doc.store.clients.get(client) as Array<Y.Item | Y.GC>
    for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
      const struct = structs[i] as Y.Item | Y.GC
      if (struct.id.clock >= end) break
      if (!(struct instanceof Y.Item) || struct.deleted || this.deletedItems.has(struct)) continue
      if (!this.changes) this.changes = true
      this.deletedItems.add(struct)
      // Already reported as replaced (and judged so): now it is certainly deleted too.
      if (this.reportedReplaced.has(struct)) continue
      this.deleted.push({ item: struct, place: this.placeOf(struct), replaced: false })
    }
  }

  private collectInserted(): void {
    // Whether something above is deleted, per ancestors list (shared by the items of one parent).
    const underDeleted = new Map<Y.Item[], boolean>()
    for (const [item, resolved] of this.resolved) {
      if (resolved.deleted || this.deletedNew.has(item)) continue
      const { ancestors } = resolved.place
      let gone = underDeleted.get(ancestors)
      if (gone === undefined) {
        gone = ancestors.some((a) => this.deletedAfter(a))
        underDeleted.set(ancestors, gone)
      }
      if (!gone) this.inserted.push({ item, place: resolved.place })
    }
  }
}

/** Whether `item` was written right after `entry` (its origin is the entry's last id): Yjs puts it to the entry's right. */
function follows(item: Y.Item, entry: Y.Item): boolean {
  const origin = item.origin
  return origin !== null && origin.client === entry.id.client && origin.clock === entry.id.clock + entry.length - 1
}

/** The struct of `structs` (one client's, in clock order) covering `clock`. */
function within(structs: Struct[] | undefined, clock: number): Struct | null {
  if (!structs) return null
  let low = 0
  let high = structs.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const s = structs[mid] as Struct
    if (clock < s.id.clock) high = mid - 1
    else if (clock >= s.id.clock + s.length) low = mid + 1
    else return s
  }
  return null
}
