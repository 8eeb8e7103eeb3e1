import { PlanKeys } from '@lever/shared'
import * as Y from 'yjs'
import {
  type DecodedUpdate,
  forEachNewDeletion,
  type InspectedUpdate,
  inspectUpdate,
  newItems,
  type Place,
  type Places,
} from './updateItems.ts'
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
  inspected: InspectedUpdate = inspectUpdate(doc, Y.decodeUpdate(update)),
): UpdateVerdict {
  if (actor.moderator) return { kind: 'apply' }
  const check = new AuthorshipCheck(actor.userId, inspected.places, doc)

  for (const struct of newItems(inspected)) {
    const refusal = check.set(struct)
    if (refusal) return { kind: 'reject', reason: refusal }
  }
  const refusal =
    forEachNewDeletion(doc, inspected, (struct, inDoc) => check.delete(struct, inDoc, inspected.ds)) ??
    check.unauthoredNew()
  return refusal ? { kind: 'reject', reason: refusal } : { kind: 'apply' }
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
    private readonly doc: Y.Doc,
  ) {}

  set(item: Y.Item): string | null {
    const place = this.places.of(item)
    if (place.root === null) return 'changes something the server does not have'
    if (place.root !== PlanKeys.threads || this.underDeleted(place, null)) return null
    const { ancestors, key } = place
    switch (ancestors.length) {
      case 0:
        // A newer entry under a key replaces the current one (Yjs deletes it on integration,
        // without a delete set saying so): a live thread is never replaced, only removed.
        if (key !== null && this.doc.getMap(PlanKeys.threads).get(key) instanceof Y.Map)
          return 'may not replace a thread'
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
    // Made and deleted again before it was sent (offline): nothing of it remains.
    if (item.content instanceof Y.ContentDeleted) return null
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
