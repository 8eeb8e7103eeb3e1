import { isCommentMarkKey, PlanModel, proseFields, threadIdOfAttribute } from '@lever/shared'
import * as Y from 'yjs'
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
 * the words under each touched mark compared: a mark of someone else's thread may grow, never shrink.
 */
export function commentOnlyRuleWith(authorOf: ThreadAuthorLookup): EffectRule {
  return (effect: UpdateEffect, writer: Writer) => {
    const touched = new Set<string>()
    for (const { item, place } of effect.inserted) {
      if (place.key === null && isCommentMark(item)) {
        touched.add((item.content as Y.ContentFormat).key)
        continue
      }
      return `may not change ${where(place)}`
    }
    for (const { item, place, replaced } of effect.deleted) {
      if (!replaced && place.key === null && isCommentFormat(item)) {
        touched.add((item.content as Y.ContentFormat).key)
        continue
      }
      return `may not ${replaced ? 'replace' : 'delete'} anything in ${where(place)}`
    }
    if (touched.size === 0 || writer.moderator || writer.userId === null) return null
    return shrunkMarkOfOthers(effect, touched, writer.userId, authorOf)
  }
}

/** The comment-only rule without thread authors known: no mark may lose words. */
export const commentOnlyRule: EffectRule = commentOnlyRuleWith(() => null)

function where(place: Place): string {
  return place.root === '' ? 'the document' : place.root
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

/** Characters under each mark (by formatting key): `<text id>:<index>`, and the thread of each key. */
function markedCharacters(
  doc: Y.Doc,
  keys: Set<string>,
): { chars: Map<string, Set<string>>; threads: Map<string, string> } {
  const chars = new Map<string, Set<string>>()
  const threads = new Map<string, string>()
  const visit = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlElement) visit(child)
      if (!(child instanceof Y.XmlText)) continue
      const id = child._item ? `${child._item.id.client}.${child._item.id.clock}` : '?'
      let index = 0
      for (const op of child.toDelta() as Array<{ insert?: unknown; attributes?: Record<string, unknown> }>) {
        const length = typeof op.insert === 'string' ? op.insert.length : 1
        for (const [key, value] of Object.entries(op.attributes ?? {})) {
          if (!keys.has(key)) continue
          const threadId = threadIdOfAttribute(key, value)
          if (threadId) threads.set(key, threadId)
          let set = chars.get(key)
          if (!set) {
            set = new Set()
            chars.set(key, set)
          }
          for (let i = 0; i < length; i++) set.add(`${id}:${index + i}`)
        }
        index += length
      }
    }
  }
  for (const { fragment } of proseFields(new PlanModel(doc))) visit(fragment)
  return { chars, threads }
}

function shrunkMarkOfOthers(
  effect: UpdateEffect,
  keys: Set<string>,
  userId: string,
  authorOf: ThreadAuthorLookup,
): string | null {
  const before = markedCharacters(effect.doc, keys)
  const scratch = new Y.Doc({ gc: false })
  try {
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(effect.doc))
    Y.applyUpdate(scratch, effect.update)
    const after = markedCharacters(scratch, keys)
    for (const [key, chars] of before.chars) {
      const now = after.chars.get(key)
      const lost = [...chars].some((c) => !now?.has(c))
      if (!lost) continue
      const threadId = before.threads.get(key)
      if (threadId && authorOf(effect.doc, threadId) === userId) continue
      return 'may only remove the comment marks of threads they started'
    }
    return null
  } finally {
    scratch.destroy()
  }
}
