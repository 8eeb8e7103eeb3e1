import { isCommentMarkKey, PlanKeys } from '@lever/shared'
import * as Y from 'yjs'
import { type DecodedUpdate, forEachNewDeletion, UpdateItems } from './updateItems.ts'
import type { UpdateVerdict } from './updatePolicy.ts'

/**
 * Decides whether an update from a comment-only connection (a coach) touches nothing but comments:
 * the plan's `threads` map, and comment marks (formatting attributes named `comment` or
 * `comment--<hash>`) in prose. Anything else (text, fields, structure) is refused before it is
 * applied. Parts of the update the document already has are ignored.
 */
export function commentOnlyVerdict(
  doc: Y.Doc,
  update: Uint8Array,
  { structs, ds }: DecodedUpdate = Y.decodeUpdate(update),
): UpdateVerdict {
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

  const refusal = forEachNewDeletion(doc, known, local, ds, (struct, inDoc) => {
    changes = true
    if (isCommentFormat(struct)) return null
    const root = inDoc ? roots.ofIntegrated(struct) : roots.ofNew(struct)
    if (root === PlanKeys.threads || root === HARMLESS) return null
    return `a comment-only connection may not delete from ${root ?? 'the document'}`
  })
  if (refusal !== null) return { kind: 'reject', reason: refusal }
  return changes ? { kind: 'apply' } : { kind: 'ignore' }
}

/** Marker for items under something already deleted and collected: they can show nowhere. */
const HARMLESS = Symbol('harmless')
type Root = string | typeof HARMLESS | null

function isCommentFormat(item: Y.Item): boolean {
  return item.content instanceof Y.ContentFormat && isCommentMarkKey(item.content.key)
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
