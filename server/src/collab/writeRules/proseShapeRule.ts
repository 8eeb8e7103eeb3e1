import * as Y from 'yjs'
import type { Place, UpdateEffect } from '../updateEffect.ts'
import type { EffectRule } from '../updatePolicy.ts'

/**
 * Prose keeps the shape the editors read: a fragment or an element holds elements and texts,
 * and a text holds characters and formatting. The editor binding takes the content of each child
 * of a fragment for a node (y-prosemirror's position mapping reads `content.type` of the item
 * after a caret): a formatting item or a string placed straight in a fragment or a paragraph
 * makes it throw while it prepares a transaction, which leaves that page's document stuck: it
 * shows no more remote edits and sends none of its own. Stored, such an item would do that to
 * everyone who opens the section, so it is refused, whoever sends it.
 *
 * `isProseRoot` names the document's root fragments: a root the server has not read yet has no
 * type of its own on the server (Yjs types a root when it is first asked for), but every editor
 * reads those as fragments.
 */
export function proseShapeRule(isProseRoot: (name: string) => boolean): EffectRule {
  return (effect) => {
    for (const { item, place } of effect.inserted) {
      if (place.key !== null) continue
      const parent = parentKind(effect, place, isProseRoot)
      if (parent === 'fragment' && !isNode(item)) return 'may only put paragraphs and text in prose'
      if (parent === 'text' && !isInline(item)) return 'may only put characters and formatting in a text of prose'
    }
    return null
  }
}

function parentKind(effect: UpdateEffect, place: Place, isProseRoot: (name: string) => boolean) {
  const holder = place.ancestors[0]
  const type = holder
    ? holder.content instanceof Y.ContentType
      ? holder.content.type
      : null
    : (effect.doc.share.get(place.root) ?? null)
  if (type instanceof Y.XmlText) return 'text'
  if (type instanceof Y.XmlFragment) return 'fragment' // elements too
  if (!holder && isProseRoot(place.root) && (type === null || type.constructor === Y.AbstractType)) return 'fragment'
  return null
}

/** An element or a text: what a fragment's children are. */
function isNode(item: Y.Item): boolean {
  return (
    item.content instanceof Y.ContentType &&
    (item.content.type instanceof Y.XmlElement || item.content.type instanceof Y.XmlText)
  )
}

/** Characters or a formatting boundary: what a text's items are. */
function isInline(item: Y.Item): boolean {
  return item.content instanceof Y.ContentString || item.content instanceof Y.ContentFormat
}
