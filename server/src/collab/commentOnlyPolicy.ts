import { isCommentMarkKey, PlanKeys } from '@lever/shared'
import * as Y from 'yjs'
import { forEachNewDeletion, GONE, type InspectedUpdate, inspectUpdate, newItems, type Place } from './updateItems.ts'
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
  inspected: InspectedUpdate = inspectUpdate(doc, Y.decodeUpdate(update)),
): UpdateVerdict {
  const { places } = inspected
  let changes = false

  for (const struct of newItems(inspected)) {
    changes = true
    if (isCommentFormat(struct)) continue
    const place = places.of(struct)
    if (allowed(place)) continue
    // Made and deleted again before it was sent (a mark added and removed offline): an item of
    // a sequence shows nothing. A map entry is different: the newest one replaces the current value.
    if (struct.content instanceof Y.ContentDeleted && place.key === null && place.root !== null) continue
    return { kind: 'reject', reason: `a comment-only connection may not change ${rootName(place)}` }
  }

  const refusal = forEachNewDeletion(doc, inspected, (struct, inDoc) => {
    changes = true
    // What the update itself made was checked above.
    if (!inDoc || isCommentFormat(struct)) return null
    const place = places.of(struct)
    return allowed(place) ? null : `a comment-only connection may not delete from ${rootName(place)}`
  })
  if (refusal !== null) return { kind: 'reject', reason: refusal }
  return changes ? { kind: 'apply' } : { kind: 'ignore' }
}

/** Threads, and anything under content already deleted and collected (it can show nowhere). */
function allowed(place: Place): boolean {
  return place.root === PlanKeys.threads || place.root === GONE
}

function rootName(place: Place): string {
  return typeof place.root === 'string' ? place.root : 'the document'
}

function isCommentFormat(item: Y.Item): boolean {
  return item.content instanceof Y.ContentFormat && isCommentMarkKey(item.content.key)
}
