import { ThreadLayout, type ThreadPart, threadPartAt } from '@lever/shared'
import * as Y from 'yjs'
import type { Place, UpdateEffect } from './updateEffect.ts'
import type { EffectRule, Writer } from './updatePolicy.ts'

/**
 * The authorship rules of comment threads (their layout is `ThreadLayout` in shared/), judged on
 * an update's effect:
 *
 * - a new thread or comment names its sender as author: `authorId` and `authorName` are the
 *   signed-in person's id and name (facilitators included); `resolvedBy` is the sender's name;
 * - only a comment's author edits or deletes it (`ThreadLayout.comment.byAuthor`), and only a
 *   thread's author removes or replaces the whole thread;
 * - anyone who may comment resolves, reopens, re-anchors and replies, and adds or removes their
 *   own reactions, never someone else's;
 * - nobody rewrites who wrote something or when.
 *
 * Facilitators moderate: apart from writing in their own name and leaving who wrote what as it
 * is, they are exempt. Changes outside
 * the threads pass untouched; so do connections without a signed-in person.
 */
export const threadAuthorshipRule: EffectRule = (effect, writer) => {
  if (writer.userId === null) return null
  return new AuthorshipCheck(effect, writer as Writer & { userId: string }).run()
}

class AuthorshipCheck {
  /** New threads and comments, with the author id and name they name. */
  private readonly created = new Map<Y.Item, { authorId?: unknown; authorName?: unknown }>()

  constructor(
    private readonly effect: UpdateEffect,
    private readonly writer: Writer & { userId: string },
  ) {}

  run(): string | null {
    const { inserted, deleted } = this.effect
    for (const { item, place } of inserted) {
      const part = this.partOf(place)
      if (part === undefined) continue
      const refusal = this.insert(item, place, part)
      if (refusal) return refusal
    }
    for (const { item, place, replaced } of deleted) {
      const part = this.partOf(place)
      if (part === undefined) continue
      // Removing a thread removes its comments: the removal of the ancestor is what is judged.
      if (place.ancestors.some((a) => this.effect.deletedAfter(a))) continue
      const refusal = this.writer.moderator ? null : this.remove(item, place, part, replaced)
      if (refusal) return refusal
    }
    for (const [holder, author] of this.created) {
      if (this.effect.deletedAfter(holder)) continue
      if (author.authorId !== this.writer.userId || author.authorName !== this.writer.name) {
        return 'may only write threads and comments in their own name'
      }
    }
    return null
  }

  private insert(item: Y.Item, place: Place, part: ThreadPart | null): string | null {
    const { ancestors, key } = place
    const moderator = this.writer.moderator
    switch (part?.kind) {
      case 'thread':
        return this.creates(item, 'thread')
      case 'threadField': {
        const thread = ancestors[0] as Y.Item
        if (this.effect.isNew(thread)) return this.names(thread, key, item)
        // Who wrote it stays, facilitators' changes included: they moderate what is said, not by whom.
        if (isAuthorField(key)) return 'may not change who wrote a thread'
        if (key === 'resolvedBy' && entryValue(item) !== this.writer.name)
          return 'may only resolve threads in their own name'
        if (moderator || ThreadLayout.thread.shared.includes(key as string)) return null
        if (key === ThreadLayout.thread.comments && !(mapOf(thread)?.get(key) instanceof Y.Array)) return null
        return `may not change the ${key} of a thread`
      }
      case 'comment':
        return this.creates(item, 'comment')
      case 'commentField': {
        const comment = ancestors[0] as Y.Item
        if (this.effect.isNew(comment)) return this.names(comment, key, item)
        if (isAuthorField(key)) return 'may not change who wrote a comment'
        if (moderator) return null
        if (key === ThreadLayout.comment.reactions && !(mapOf(comment)?.get(key) instanceof Y.Map)) return null
        if (ThreadLayout.comment.byAuthor.includes(key as string)) return this.ownComment(comment, 'edit')
        return `may not change the ${key} of a comment`
      }
      case 'reaction':
        // Replacing a reaction someone else made is judged as the deletion it is.
        return null
      case 'reactor':
        return moderator || part.userId === this.writer.userId ? null : 'may only add or remove their own reactions'
    }
    return moderator ? null : 'changes comments in a way Lever does not write them'
  }

  private remove(item: Y.Item, place: Place, part: ThreadPart | null, replaced: boolean): string | null {
    switch (part?.kind) {
      case 'thread':
        if (this.isAuthor(item)) return null
        return replaced ? 'may not replace a thread someone else started' : 'may only remove threads they started'
      case 'threadField':
        return ThreadLayout.thread.shared.includes(part.key) ? null : `may not remove the ${part.key} of a thread`
      case 'comment':
        return this.ownComment(item, 'delete')
      case 'commentField':
        return ThreadLayout.comment.byAuthor.includes(part.key)
          ? this.ownComment(place.ancestors[0] as Y.Item, 'edit')
          : `may not remove the ${part.key} of a comment`
      case 'reaction':
        return 'may not replace or remove a reaction (it holds everyone who reacted so)'
      case 'reactor':
        return part.userId === this.writer.userId ? null : 'may only add or remove their own reactions'
    }
    return 'removes parts of comments Lever never removes'
  }

  /** What a place under the threads root is; undefined for places outside it. */
  private partOf(place: Place): ThreadPart | null | undefined {
    if (place.root !== ThreadLayout.root) return undefined
    const path: Array<string | null> = []
    for (let i = place.ancestors.length - 1; i >= 0; i--) path.push(this.effect.keyOf(place.ancestors[i] as Y.Item))
    path.push(place.key)
    return threadPartAt(path)
  }

  private creates(item: Y.Item, what: string): string | null {
    if (!(item.content instanceof Y.ContentType && item.content.type instanceof Y.Map)) return `a ${what} must be a map`
    this.created.set(item, {})
    return null
  }

  /**
   * Judges a field of a new thread or comment, and records that it names its author. Every entry
   * of an author field must name the sender, not only the one read last: an update can hold two
   * entries of one key side by side (two client ids writing it concurrently), and Yjs keeps the
   * one of the higher client id, whatever order they are read in.
   */
  private names(holder: Y.Item, key: string | null, item: Y.Item): string | null {
    // Names are plain values, as Lever writes them: other content reads differently in Yjs
    // (a string item as its last character, JSON as parsed) than it looks here.
    if ((isAuthorField(key) || key === 'resolvedBy') && !(item.content instanceof Y.ContentAny)) {
      return 'may only write threads and comments in their own name'
    }
    const value = entryValue(item)
    if (key === ThreadLayout.thread.authorId || key === ThreadLayout.thread.authorName) {
      const own = key === ThreadLayout.thread.authorId ? this.writer.userId : this.writer.name
      if (value !== own) return 'may only write threads and comments in their own name'
      const author = this.created.get(holder)
      if (author && key === ThreadLayout.thread.authorId) author.authorId = value
      else if (author) author.authorName = value
    }
    if (key === 'resolvedBy' && value !== null && value !== undefined && value !== this.writer.name) {
      return 'may only resolve threads in their own name'
    }
    return null
  }

  private ownComment(comment: Y.Item, verb: string): string | null {
    return this.isAuthor(comment) ? null : `may only ${verb} their own comments`
  }

  private isAuthor(holder: Y.Item): boolean {
    if (this.effect.isNew(holder)) return true // made in this very update, and checked as such
    return mapOf(holder)?.get(ThreadLayout.thread.authorId) === this.writer.userId
  }
}

const isAuthorField = (key: string | null): boolean =>
  key === ThreadLayout.thread.authorId || key === ThreadLayout.thread.authorName

function mapOf(item: Y.Item): Y.Map<unknown> | null {
  return item.content instanceof Y.ContentType && item.content.type instanceof Y.Map ? item.content.type : null
}

function entryValue(item: Y.Item): unknown {
  if (item.content instanceof Y.ContentAny) return item.content.arr[item.content.arr.length - 1]
  if (item.content instanceof Y.ContentString) return item.content.str
  return undefined
}
