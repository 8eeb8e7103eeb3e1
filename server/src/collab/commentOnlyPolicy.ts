import { isCommentMarkKey, ThreadLayout } from '@lever/shared'
import * as Y from 'yjs'
import type { Place, UpdateEffect } from './updateEffect.ts'
import type { EffectRule } from './updatePolicy.ts'

/**
 * What a comment-only connection (a coach) may change in a plan: the comment threads (under
 * `ThreadLayout.root`, where the thread authorship rules decide the rest), and comment marks in
 * prose: formatting items named `comment` or `comment--<hash>` whose value is `{ threadId }` (or
 * null, where a mark ends). Judged on the update's effect, so a map entry that would replace a
 * field, a struct placed by a neighbour, or a delete set reaching outside threads is refused.
 * Items that integrate as already deleted (made and removed offline) show nothing and pass (a map
 * entry among them still replaces the entry before it, and is judged as that deletion).
 */
export const commentOnlyRule: EffectRule = (effect: UpdateEffect) => {
  for (const { item, place } of effect.inserted) {
    if (inThreads(place)) continue
    if (place.key === null && isCommentMark(item)) continue
    return `may not change ${where(place)}`
  }
  for (const { item, place, replaced } of effect.deleted) {
    if (inThreads(place)) continue
    if (!replaced && place.key === null && isCommentFormat(item)) continue
    return `may not ${replaced ? 'replace' : 'delete'} anything in ${where(place)}`
  }
  return null
}

function inThreads(place: Place): boolean {
  return place.root === ThreadLayout.root && (place.ancestors.length > 0 || place.key !== null)
}

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
