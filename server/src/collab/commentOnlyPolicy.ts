import { isCommentMarkKey, PlanKeys } from '@lever/shared'
import * as Y from 'yjs'
import type { UpdateVerdict } from './updatePolicy.ts'

/**
 * Decides whether an update from a comment-only connection (a coach) touches nothing but comments:
 * the plan's `threads` map, and comment marks (formatting attributes named `comment` or
 * `comment--<hash>`) in prose. Anything else (text, fields, structure) is refused before it is
 * applied. Parts of the update the document already has are ignored.
 */
export function commentOnlyVerdict(doc: Y.Doc, update: Uint8Array): UpdateVerdict {
  const { structs, ds } = Y.decodeUpdate(update)
  const known = Y.decodeStateVector(Y.encodeStateVector(doc))
  const local = new UpdateItems(structs)
  const roots = new RootFinder(doc, known, local)
  let changes = false

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    if (struct.id.clock + struct.length <= (known.get(struct.id.client) ?? 0)) continue
    changes = true
    if (isCommentFormat(struct)) continue
    const root = roots.ofNew(struct)
    if (root === PlanKeys.threads || root === HARMLESS) continue
    return { kind: 'reject', reason: `a comment-only connection may not change ${root ?? 'the document'}` }
  }

  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      for (let clock = range.clock; clock < range.clock + range.len; ) {
        const id = Y.createID(client, clock)
        const inDoc = clock < (known.get(client) ?? 0)
        const struct = inDoc ? Y.getItem(doc.store, id) : local.find(id)
        if (!struct) return { kind: 'reject', reason: 'deletes something the server does not have' }
        clock = struct.id.clock + struct.length
        if (!(struct instanceof Y.Item)) continue // already garbage-collected: nothing to delete
        if (inDoc && struct.deleted) continue
        changes = true
        if (isCommentFormat(struct)) continue
        const root = inDoc ? roots.ofIntegrated(struct) : roots.ofNew(struct)
        if (root === PlanKeys.threads || root === HARMLESS) continue
        return { kind: 'reject', reason: `a comment-only connection may not delete from ${root ?? 'the document'}` }
      }
    }
  }
  return changes ? { kind: 'apply' } : { kind: 'ignore' }
}

/** Marker for items under something already deleted and collected: they can show nowhere. */
const HARMLESS = Symbol('harmless')
type Root = string | typeof HARMLESS | null

function isCommentFormat(item: Y.Item): boolean {
  return item.content instanceof Y.ContentFormat && isCommentMarkKey(item.content.key)
}

/** The items of a decoded update, findable by id. */
class UpdateItems {
  private readonly byClient = new Map<number, Y.Item[]>()

  constructor(structs: Array<Y.Item | Y.GC | Y.Skip>) {
    for (const s of structs) {
      if (!(s instanceof Y.Item)) continue
      const list = this.byClient.get(s.id.client) ?? []
      list.push(s)
      this.byClient.set(s.id.client, list)
    }
  }

  find(id: Y.ID): Y.Item | null {
    for (const item of this.byClient.get(id.client) ?? []) {
      if (id.clock >= item.id.clock && id.clock < item.id.clock + item.length) return item
    }
    return null
  }
}

/** Finds the top-level type an item belongs to, for items of the document and of the update. */
class RootFinder {
  private readonly cache = new Map<Y.Item, Root>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly known: Map<number, number>,
    private readonly local: UpdateItems,
  ) {}

  /** The root of an item already in the document. */
  ofIntegrated(item: Y.Item): Root {
    let type = item.parent as Y.AbstractType<unknown> | null
    if (!type) return null
    while (type._item) {
      type = type._item.parent as Y.AbstractType<unknown>
    }
    return Y.findRootTypeKey(type)
  }

  /** The root of an item of the update: from its parent, or else from its neighbours. */
  ofNew(item: Y.Item, depth = 0): Root {
    const cached = this.cache.get(item)
    if (cached !== undefined) return cached
    let root: Root = null
    if (depth > 10_000) return null
    const parent = item.parent as unknown
    if (typeof parent === 'string') root = parent
    else if (parent instanceof Y.ID) root = this.rootOfId(parent, depth)
    else if (item.origin) root = this.rootOfId(item.origin, depth)
    else if (item.rightOrigin) root = this.rootOfId(item.rightOrigin, depth)
    this.cache.set(item, root)
    return root
  }

  /** The root of the item with this id (a parent or a neighbour); a parent type's children share it. */
  private rootOfId(id: Y.ID, depth: number): Root {
    if (id.clock < (this.known.get(id.client) ?? 0)) {
      const struct = Y.getItem(this.doc.store, id)
      return struct instanceof Y.Item ? this.ofIntegrated(struct) : HARMLESS
    }
    const item = this.local.find(id)
    return item ? this.ofNew(item, depth + 1) : null
  }
}
