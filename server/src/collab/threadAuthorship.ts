import { PlanKeys } from '@lever/shared'
import * as Y from 'yjs'
import { type DecodedUpdate, forEachNewDeletion, UpdateItems } from './updateItems.ts'
import type { UpdateVerdict } from './updatePolicy.ts'

/** Who sends an update, as far as comment authorship is concerned. */
export interface ThreadActor {
  userId: string
  /** Facilitators moderate: they may change anyone's comments. */
  moderator: boolean
}

/**
 * Decides whether an update keeps to the authorship rules of comment threads (the plan's
 * `threads` map; see ThreadModel in shared/):
 *
 * - a new thread or comment names its sender as author (`authorId`);
 * - only a comment's author edits or deletes it (`body`, `mentions`, `editedAt`, `deletedAt`), and
 *   only a thread's author removes the whole thread;
 * - anyone who may comment resolves, reopens, re-anchors and replies, and adds or removes their
 *   own reactions, never someone else's;
 * - nobody rewrites who wrote something or when.
 *
 * Facilitators are exempt. Updates that do not touch threads pass untouched: the check looks at
 * where each new or deleted item sits and stops there. An update whose items hang from something
 * the server does not have is refused, since what it would change cannot be known.
 */
export function threadAuthorshipVerdict(
  doc: Y.Doc,
  update: Uint8Array,
  actor: ThreadActor,
  { structs, ds }: DecodedUpdate = Y.decodeUpdate(update),
): UpdateVerdict {
  if (actor.moderator) return { kind: 'apply' }
  const known = Y.decodeStateVector(Y.encodeStateVector(doc))
  const local = new UpdateItems(structs)
  const places = new Places(doc, known, local)
  const check = new AuthorshipCheck(actor.userId, places)

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue
    if (struct.id.clock + struct.length <= (known.get(struct.id.client) ?? 0)) continue
    const refusal = check.set(struct)
    if (refusal) return { kind: 'reject', reason: refusal }
  }
  const refusal =
    forEachNewDeletion(doc, known, local, ds, (struct, inDoc) => check.delete(struct, inDoc, ds)) ??
    check.unauthoredNew()
  return refusal ? { kind: 'reject', reason: refusal } : { kind: 'apply' }
}

/** Where an item sits: its ancestors (nearest first) up to a root type, and its key in its parent. */
interface Place {
  /** The root type's name; `null` when the place cannot be known; `gone` under collected items. */
  root: string | null | typeof GONE
  ancestors: Y.Item[]
  key: string | null
}

const GONE = Symbol('gone')
const UNKNOWN: Place = { root: null, ancestors: [], key: null }

/** Resolves the places of items of the document and of the update. */
class Places {
  private readonly cache = new Map<Y.Item, Place>()

  constructor(
    private readonly doc: Y.Doc,
    private readonly known: Map<number, number>,
    private readonly local: UpdateItems,
  ) {}

  isNew(item: Y.Item): boolean {
    return item.id.clock + item.length > (this.known.get(item.id.client) ?? 0)
  }

  of(item: Y.Item): Place {
    const cached = this.cache.get(item)
    if (cached) return cached
    const place = this.isNew(item) ? this.ofNew(item) : this.ofIntegrated(item)
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
   * parent type) or else a neighbour, whose parent and key it shares.
   */
  private ofNew(item: Y.Item): Place {
    const parent = item.parent as unknown
    if (typeof parent === 'string') return { root: parent, ancestors: [], key: item.parentSub }
    if (parent instanceof Y.ID) {
      const holder = this.lookup(parent)
      if (holder === GONE) return { root: GONE, ancestors: [], key: item.parentSub }
      if (!holder) return UNKNOWN
      const above = this.of(holder)
      return { root: above.root, ancestors: [holder, ...above.ancestors], key: item.parentSub }
    }
    const neighbourId = item.origin ?? item.rightOrigin
    if (!neighbourId) return UNKNOWN
    const neighbour = this.lookup(neighbourId)
    if (neighbour === GONE) return { root: GONE, ancestors: [], key: null }
    return neighbour ? this.of(neighbour) : UNKNOWN
  }

  private lookup(id: Y.ID): Y.Item | null | typeof GONE {
    if (id.clock < (this.known.get(id.client) ?? 0)) {
      const struct = Y.getItem(this.doc.store, id)
      return struct instanceof Y.Item ? struct : GONE
    }
    return this.local.find(id)
  }
}

/** Keys of an existing thread anyone who may comment can change. */
const SHARED_THREAD_KEYS = new Set(['status', 'resolvedBy', 'resolvedAt', 'anchor'])
/** Keys of a comment only its author changes. */
const AUTHOR_COMMENT_KEYS = new Set(['body', 'mentions', 'editedAt', 'deletedAt'])

/**
 * The rules, by depth under `threads`:
 * 1 a thread, 2 a thread's field, 3 a comment (in the thread's `comments` array),
 * 4 a comment's field, 5 a reaction (in the comment's `reactions` map), 6 who reacted so.
 */
class AuthorshipCheck {
  /** New threads and comments, and the author each names (once its `authorId` is seen). */
  private readonly created = new Map<Y.Item, unknown>()

  constructor(
    private readonly userId: string,
    private readonly places: Places,
  ) {}

  set(item: Y.Item): string | null {
    const place = this.places.of(item)
    if (place.root === null) return 'changes something the server does not have'
    if (place.root !== PlanKeys.threads || this.underDeleted(place, null)) return null
    const { ancestors, key } = place
    switch (ancestors.length) {
      case 0:
        return this.creates(item, 'thread')
      case 1: {
        const [thread] = ancestors as [Y.Item]
        if (this.places.isNew(thread)) return this.names(thread, key, item)
        if (key && SHARED_THREAD_KEYS.has(key)) return null
        if (key === 'comments' && !(mapOf(thread)?.get('comments') instanceof Y.Array)) return null
        return `may not change the ${key ?? 'structure'} of a thread`
      }
      case 2:
        if (this.keyOf(ancestors[0]) !== 'comments') break
        return this.creates(item, 'comment')
      case 3: {
        const [comment] = ancestors as [Y.Item]
        if (this.places.isNew(comment)) return this.names(comment, key, item)
        if (key === 'reactions' && !(mapOf(comment)?.get('reactions') instanceof Y.Map)) return null
        if (key && AUTHOR_COMMENT_KEYS.has(key)) return this.ownComment(comment, 'edit')
        return `may not change the ${key ?? 'structure'} of a comment`
      }
      case 4: {
        const [reactions] = ancestors as [Y.Item]
        if (this.keyOf(reactions) !== 'reactions') break
        if (this.places.isNew(reactions) || !(mapOf(reactions)?.get(key ?? '') instanceof Y.Map)) return null
        return 'may not replace a reaction'
      }
      case 5:
        if (this.keyOf(ancestors[1]) !== 'reactions') break
        return key === this.userId ? null : 'may only add or remove their own reactions'
    }
    return 'changes comments in a way Lever does not write them'
  }

  delete(item: Y.Item, inDoc: boolean, ds: DecodedUpdate['ds']): string | null {
    const place = this.places.of(item)
    if (place.root === null) return 'deletes something the server does not have'
    if (place.root !== PlanKeys.threads || !inDoc || this.underDeleted(place, ds)) return null
    const { ancestors, key } = place
    switch (ancestors.length) {
      case 0:
        return this.isAuthor(item) ? null : 'may only remove threads they started'
      case 1:
        return key && SHARED_THREAD_KEYS.has(key) ? null : `may not remove the ${key ?? 'structure'} of a thread`
      case 2:
        return this.ownComment(item, 'delete')
      case 3: {
        const [comment] = ancestors as [Y.Item]
        return key && AUTHOR_COMMENT_KEYS.has(key)
          ? this.ownComment(comment, 'edit')
          : `may not remove the ${key ?? 'structure'} of a comment`
      }
      case 5:
        return key === this.userId ? null : 'may only add or remove their own reactions'
    }
    return 'removes parts of comments Lever never removes'
  }

  /** Every new thread and comment must have named its sender as author. */
  unauthoredNew(): string | null {
    for (const [, author] of this.created) {
      if (author !== this.userId) return 'may only write threads and comments in their own name'
    }
    return null
  }

  private creates(item: Y.Item, what: string): string | null {
    if (!(item.content instanceof Y.ContentType && item.content.type instanceof Y.Map)) {
      return `a ${what} must be a map`
    }
    this.created.set(item, undefined)
    return null
  }

  /** Records the author a new thread or comment names. */
  private names(holder: Y.Item, key: string | null, item: Y.Item): string | null {
    if (key === 'authorId') this.created.set(holder, plainValue(item))
    return null
  }

  private ownComment(comment: Y.Item, verb: string): string | null {
    return this.isAuthor(comment) ? null : `may only ${verb} their own comments`
  }

  private isAuthor(holder: Y.Item): boolean {
    if (this.places.isNew(holder)) return true // made in this very update, and checked as such
    return mapOf(holder)?.get('authorId') === this.userId
  }

  private keyOf(item: Y.Item | undefined): string | null {
    return item ? this.places.of(item).key : null
  }

  /**
   * Under something already deleted, or deleted by this same update: the deletion of the
   * ancestor is what is checked (removing a thread removes its comments).
   */
  private underDeleted(place: Place, ds: DecodedUpdate['ds'] | null): boolean {
    return place.ancestors.some((a) => (!this.places.isNew(a) && a.deleted) || (ds !== null && Y.isDeleted(ds, a.id)))
  }
}

function mapOf(item: Y.Item): Y.Map<unknown> | null {
  return item.content instanceof Y.ContentType && item.content.type instanceof Y.Map ? item.content.type : null
}

function plainValue(item: Y.Item): unknown {
  if (item.content instanceof Y.ContentAny) return item.content.arr[0]
  if (item.content instanceof Y.ContentString) return item.content.str
  return undefined
}
