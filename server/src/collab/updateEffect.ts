import type * as Y from 'yjs'
import { EffectReader, Refused } from './EffectReader.ts'

/**
 * What an update will really do to a document, read before anything of it is applied.
 *
 * Why this mechanism: the permission checks used to guess where an item goes from the bytes (the
 * parent written in the update), while Yjs decides by its own rules (offsets into what it knows,
 * map-key replacement, parents taken from neighbours, structs kept pending until their dependencies
 * arrive). Applying to a scratch copy and comparing would be exact but costs a copy of the document
 * per keystroke. So instead:
 *
 * 1. a strict structural pre-check refuses everything that would make Yjs keep structs or deletes
 *    pending, integrate with an offset, or throw: gaps, missing dependencies, partial overlaps with
 *    what the document has of a client, references to later structs of the same update (Yjs throws),
 *    cycles, parents that are not types, repeated or empty client blocks (Yjs keeps only the last),
 *    empty structs, subdocuments, and delete ranges past what document and update hold. It walks the
 *    update in Yjs's own integration order (`integrateStructs`: clients by descending id, a struct
 *    whose dependency is another client's later struct waits on a stack), so what passes here
 *    integrates completely, with no offset;
 * 2. with the order known, the effect is exact: each new item's real parent type and key (resolved
 *    like `Item.getMissing`, through origin, right origin or parent, against the document and the
 *    items of the update integrated before it), the entry a map item replaces (a newer item under a
 *    key deletes the current one, with no delete set saying so), and every item the delete set
 *    deletes. Where Yjs's choice between entries of one key is not certain from the order alone
 *    (entries written side by side by several clients, which Yjs orders by client id), every
 *    candidate is judged: the effect may name more than happens, never less.
 *
 * Permission rules then judge the effect, never the bytes. `Room` keeps a safety net: if Yjs still
 * leaves anything pending after an accepted update, that is a bug here; the room logs it and reloads.
 */

/** An update as Yjs decodes it: its structs and its delete set. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** Why an update cannot be integrated as it is. */
export type StructuralProblem =
  /** It depends on changes the server does not have (the client should resync). */
  | 'missing'
  /** It starts inside what the server already has of a client (the client should resync). */
  | 'overlap'
  /** Yjs would throw, silently drop parts of it, or integrate it as nothing an editor makes. */
  | 'malformed'

export interface StructuralRefusal {
  problem: StructuralProblem
  reason: string
}

/** Where an item sits: its root type, its ancestors (the items holding its parent types, nearest first), its key. */
export interface Place {
  root: string
  ancestors: Y.Item[]
  key: string | null
}

/** The key in its root map of what `place` is: its outermost ancestor's key, or its own at the root. */
export function rootKeyOf(place: Place): string | null {
  return place.ancestors.length > 0 ? (place.ancestors.at(-1)?.parentSub ?? null) : place.key
}

/** What an update does to a document. */
export interface UpdateEffect {
  /** The document the update is read against (as it is before the update). */
  doc: Y.Doc
  /** The update itself. */
  update: Uint8Array
  /** False when the document already has everything in the update (nothing to apply). */
  changes: boolean
  /** New items that will show: integrated, not deleted at once or by the update, not under anything deleted. */
  inserted: Array<{ item: Y.Item; place: Place }>
  /** Live items of the document the update deletes: by its delete set, or replaced under their key. */
  deleted: Array<{ item: Y.Item; place: Place; replaced: boolean }>
  /** True for items of the update (not of the document). */
  isNew(item: Y.Item): boolean
  /** The place of an item of the document, or of an integrated item of the update. */
  placeOf(item: Y.Item): Place
  /** The key of an item in its parent (for items of the update, the key Yjs will give it). */
  keyOf(item: Y.Item): string | null
  /** True when the item (of either) is deleted once the update is applied. */
  deletedAfter(item: Y.Item): boolean
}

export type EffectResult = { ok: true; effect: UpdateEffect } | { ok: false; refusal: StructuralRefusal }

/** Reads what `update` (decoded as `decoded`) would do to `doc`. Changes nothing. */
export function readUpdateEffect(doc: Y.Doc, update: Uint8Array, decoded: DecodedUpdate): EffectResult {
  try {
    return { ok: true, effect: new EffectReader(doc, decoded).read(update) }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: { problem: error.problem, reason: error.message } }
    throw error
  }
}
