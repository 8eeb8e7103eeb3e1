import { isCommentMarkKey, threadIdOfAttribute } from '@lever/shared'
import * as Y from 'yjs'
import { itemAt } from './docItems.ts'
import type { Place, UpdateEffect } from './updateEffect.ts'
import type { EffectRule, Writer } from './updatePolicy.ts'

/** Who started a thread of the plan a document is (null when unknown). */
export type ThreadAuthorLookup = (planDoc: Y.Doc, threadId: string) => string | null

/**
 * What a comment-only connection (a coach) may change in a plan: comment marks in prose,
 * formatting items named `comment` or `comment--<hash>` whose value is `{ threadId }` (or null,
 * where a mark ends). The threads themselves live in thread documents of their own. Judged on the
 * update's effect, so a map entry that would replace a field, a struct placed by a neighbour, or a
 * delete set reaching outside marks is refused. Items that integrate as already deleted (made and
 * removed offline) show nothing and pass.
 *
 * Marks are held to their threads: anyone who may comment marks words (a new thread, or marking
 * again the words of a thread whose mark a concurrent edit lost), but only a thread's author
 * takes its mark off words (facilitators moderate, and are read-write anyway; the team edits the
 * prose, marks included). An update that touches comment marks is applied to a scratch copy and
 * the words under each thread's mark compared in the texts it touches: a mark of someone else's
 * thread may grow, never shrink, nor be handed to another thread.
 */
export function commentOnlyRuleWith(authorOf: ThreadAuthorLookup): EffectRule {
  return (effect: UpdateEffect, writer: Writer) => {
    /** The texts whose marks the update changes (a format item's parent is its text), with the keys of those marks. */
    const texts = new Map<Y.Item, Set<string>>()
    let marks = 0
    const touch = (item: Y.Item, place: Place) => {
      const text = place.ancestors[0]
      if (!text) return
      const key = (item.content as Y.ContentFormat).key
      let keys = texts.get(text)
      if (!keys) {
        keys = new Set()
        texts.set(text, keys)
      }
      if (!keys.has(key)) marks++
      keys.add(key)
    }
    for (const { item, place } of effect.inserted) {
      if (place.key === null && isCommentMark(item)) {
        // A mark is formatting in a text; anywhere else an editor would take it for a node.
        if (!inText(place)) return 'may only mark words in a text'
        touch(item, place)
        continue
      }
      return `may not change ${where(place)}`
    }
    for (const { item, place, replaced } of effect.deleted) {
      if (!replaced && place.key === null && isCommentFormat(item)) {
        touch(item, place)
        continue
      }
      return `may not ${replaced ? 'replace' : 'delete'} anything in ${where(place)}`
    }
    // A person comments on one passage at a time; a client back from a long offline stretch
    // sends a few dozen. The comparison below reads each mark in each text it touches.
    if (marks > MAX_COMMENT_MARKS_PER_UPDATE) {
      return `may change at most ${MAX_COMMENT_MARKS_PER_UPDATE} comment marks in one update`
    }
    if (texts.size === 0 || writer.moderator || writer.userId === null) return null
    return shrunkMarkOfOthers(effect, texts, writer.userId, authorOf)
  }
}

/** Comment marks (a key in a text) one update may add to or remove from a comment-only connection. */
export const MAX_COMMENT_MARKS_PER_UPDATE = 256

/** Prefix of a mark's entry in `markedRanges` when its value names no thread (never a thread id's). */
const UNNAMED = '\u0000key:'

/** The comment-only rule without thread authors known: no mark may lose words. */
export const commentOnlyRule: EffectRule = commentOnlyRuleWith(() => null)

function where(place: Place): string {
  return place.root === '' ? 'the document' : place.root
}

function inText(place: Place): boolean {
  const holder = place.ancestors[0]
  return holder?.content instanceof Y.ContentType && holder.content.type instanceof Y.XmlText
}

function isCommentFormat(item: Y.Item): boolean {
  return item.content instanceof Y.ContentFormat && isCommentMarkKey(item.content.key)
}

/** A comment mark's start (`{ threadId }` and nothing else) or end (null). */
function isCommentMark(item: Y.Item): boolean {
  if (!isCommentFormat(item)) return false
  const value = (item.content as Y.ContentFormat).value as unknown
  if (value === null) return true
  if (typeof value !== 'object' || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length === 1 && keys[0] === 'threadId' && typeof (value as { threadId: unknown }).threadId === 'string'
}

/** Half-open ranges of a text's characters, in order, apart (touching ones joined). */
type Ranges = Array<[number, number]>

/**
 * Where each thread's mark lies in a text, under the formatting keys `keys`: ranges of
 * character positions per thread (a key whose value names no thread counts as a thread of its
 * own, that nobody started). Positions are comparable before and after a comment-only update,
 * which moves no characters (formatting items take no position).
 */
function markedRanges(text: Y.XmlText, keys: Set<string>): Map<string, Ranges> {
  const marks = new Map<string, Ranges>()
  let index = 0
  for (const op of text.toDelta() as Array<{ insert?: unknown; attributes?: Record<string, unknown> }>) {
    const length = typeof op.insert === 'string' ? op.insert.length : 1
    for (const [key, value] of Object.entries(op.attributes ?? {})) {
      if (!keys.has(key)) continue
      const thread = threadIdOfAttribute(key, value) ?? `${UNNAMED}${key}`
      const ranges = marks.get(thread)
      const last = ranges?.[ranges.length - 1]
      if (last && last[1] === index) last[1] = index + length
      else if (ranges) ranges.push([index, index + length])
      else marks.set(thread, [[index, index + length]])
    }
    index += length
  }
  return marks
}

/** Whether every position of `before` is in `after` (both in order and apart). */
function covers(after: Ranges | undefined, before: Ranges): boolean {
  if (!after) return before.length === 0
  let i = 0
  for (const [start, end] of before) {
    while (i < after.length && (after[i] as [number, number])[1] <= start) i++
    const range = after[i]
    if (!range || range[0] > start || range[1] < end) return false
  }
  return true
}

/** The text of an item in a copy of its document. */
function textIn(doc: Y.Doc, item: Y.Item): Y.XmlText | null {
  const found = itemAt(doc, item.id)
  return found?.content instanceof Y.ContentType && found.content.type instanceof Y.XmlText ? found.content.type : null
}

/**
 * The update is applied to a scratch copy and each touched text's marks compared, thread by
 * thread (not key by key: a mark whose key stays but whose value names another thread has lost
 * its words).
 */
function shrunkMarkOfOthers(
  effect: UpdateEffect,
  texts: Map<Y.Item, Set<string>>,
  userId: string,
  authorOf: ThreadAuthorLookup,
): string | null {
  const before = new Map<Y.Item, Map<string, Ranges>>()
  for (const [item, keys] of texts) {
    if (item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText) {
      before.set(item, markedRanges(item.content.type, keys))
    }
  }
  const scratch = new Y.Doc({ gc: false })
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(effect.doc))
    Y.applyUpdate(scratch, effect.update)
    for (const [item, marks] of before) {
      const text = textIn(scratch, item)
      const after = text ? markedRanges(text, texts.get(item) as Set<string>) : new Map<string, Ranges>()
      for (const [thread, ranges] of marks) {
        if (covers(after.get(thread), ranges)) continue
        if (!thread.startsWith(UNNAMED) && authorOf(effect.doc, thread) === userId) continue
        return 'may only remove the comment marks of threads they started'
      }
    }
    return null
  } finally {
    scratch.destroy()
  }
}
