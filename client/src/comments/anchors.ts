import { PlanModel, proseFields, threadIdOfAttribute } from '@lever/shared'
import type { Node as PMNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import { commentMarkKey } from './commentMark.ts'

/**
 * Comment anchors in the Yjs document. A comment mark is written straight into the Y.XmlTexts
 * (as the formatting attribute the editor binding would write), never through an editor: so a
 * coach, whose connection may change nothing but comments, sends exactly a comment mark and no
 * normalisation of the editor's own.
 */

/** Characters of one Y.XmlText: `length` characters from `index`. */
export interface TextSegment {
  text: Y.XmlText
  index: number
  length: number
}

/** How many characters of context a new thread keeps either side of its quote. */
export const CONTEXT_CHARS = 40

/**
 * The Y.XmlText characters under a ProseMirror range of `pmDoc`, a document rendered from
 * `fragment` (same blocks, same text). Inline leaves (hard breaks) count one position in
 * ProseMirror and sit between Y.XmlTexts in Yjs. Returns [] when the two do not line up.
 */
export function segmentsForRange(fragment: Y.XmlFragment, pmDoc: PMNode, from: number, to: number): TextSegment[] {
  const segments: TextSegment[] = []
  let aligned = true
  pmDoc.nodesBetween(from, to, (node, pos) => {
    if (!aligned) return false
    if (!node.isTextblock) return true
    const contentStart = pos + 1
    const start = Math.max(from, contentStart) - contentStart
    const end = Math.min(to, contentStart + node.content.size) - contentStart
    if (end <= start) return false
    const $inside = pmDoc.resolve(contentStart)
    let element: Y.XmlFragment | Y.XmlElement = fragment
    for (let depth = 0; depth < $inside.depth; depth++) {
      const child: unknown = element.get($inside.index(depth))
      if (!(child instanceof Y.XmlElement)) {
        aligned = false
        return false
      }
      element = child
    }
    if (!(element instanceof Y.XmlElement) || element.nodeName !== node.type.name) {
      aligned = false
      return false
    }
    let offset = 0
    for (const child of element.toArray()) {
      const length = child instanceof Y.XmlText ? child.length : 1
      if (child instanceof Y.XmlText) {
        const s = Math.max(start, offset)
        const e = Math.min(end, offset + length)
        if (e > s) segments.push({ text: child, index: s - offset, length: e - s })
      }
      offset += length
    }
    if (offset !== node.content.size) aligned = false
    return false
  })
  return aligned ? segments : []
}

/** The words a new thread is about and a little context either side (within their paragraph). */
export function quoteOf(pmDoc: PMNode, from: number, to: number): { quote: string; before: string; after: string } {
  const $from = pmDoc.resolve(from)
  const $to = pmDoc.resolve(to)
  const before = $from.parent.textBetween(Math.max(0, $from.parentOffset - CONTEXT_CHARS), $from.parentOffset, ' ', ' ')
  const after = $to.parent.textBetween(
    $to.parentOffset,
    Math.min($to.parent.content.size, $to.parentOffset + CONTEXT_CHARS),
    ' ',
    ' ',
  )
  return { quote: pmDoc.textBetween(from, to, '\n', ' ').slice(0, 1000), before, after }
}

/** Puts the comment mark of `threadId` on the segments (inside the caller's transaction). */
export function addCommentMark(segments: TextSegment[], threadId: string): void {
  const key = commentMarkKey(threadId)
  for (const s of segments) s.text.format(s.index, s.length, { [key]: { threadId } })
}

/** Every Y.XmlText of a prose fragment, in document order. */
export function textsOf(fragment: Y.XmlFragment | Y.XmlElement): Y.XmlText[] {
  const out: Y.XmlText[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) out.push(child)
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(fragment)
  return out
}

type DeltaOp = { insert?: unknown; attributes?: Record<string, unknown> }

/** Removes the comment mark of `threadId` wherever it is in the plan (inside the caller's transaction). */
export function removeCommentMark(doc: Y.Doc, threadId: string): void {
  for (const { fragment } of proseFields(new PlanModel(doc))) {
    for (const text of textsOf(fragment)) {
      const changes: Array<[number, number, string]> = []
      let index = 0
      for (const op of text.toDelta() as DeltaOp[]) {
        const length = typeof op.insert === 'string' ? op.insert.length : 1
        for (const [key, value] of Object.entries(op.attributes ?? {})) {
          if (threadIdOfAttribute(key, value) === threadId) changes.push([index, length, key])
        }
        index += length
      }
      for (const [at, length, key] of changes) text.format(at, length, { [key]: null })
    }
  }
}

/** A range pinned to the characters it covers, so it follows them while others edit. */
export interface PinnedRange {
  parts: Array<{ start: Y.RelativePosition; end: Y.RelativePosition }>
}

/** Pins segments: the start sticks to the first character, the end to the last one. */
export function pinSegments(segments: TextSegment[]): PinnedRange {
  return {
    parts: segments.map((s) => ({
      start: Y.createRelativePositionFromTypeIndex(s.text, s.index, 0),
      end: Y.createRelativePositionFromTypeIndex(s.text, s.index + s.length, -1),
    })),
  }
}

/** Where a pinned range is now; characters deleted meanwhile are simply no longer in it. */
export function resolvePinned(doc: Y.Doc, pinned: PinnedRange): TextSegment[] {
  const out: TextSegment[] = []
  for (const part of pinned.parts) {
    const start = Y.createAbsolutePositionFromRelativePosition(part.start, doc)
    const end = Y.createAbsolutePositionFromRelativePosition(part.end, doc)
    if (!start || !end || start.type !== end.type || !(start.type instanceof Y.XmlText)) continue
    if (end.index > start.index) out.push({ text: start.type, index: start.index, length: end.index - start.index })
  }
  return out
}

/**
 * A prose field as one string (blocks separated by a newline) with where each Y.XmlText's
 * characters are in it, to find words again after the structure around them changed.
 */
export interface FlatText {
  text: string
  pieces: Array<{ text: Y.XmlText; start: number; length: number }>
}

export function flatten(fragment: Y.XmlFragment): FlatText {
  let text = ''
  const pieces: FlatText['pieces'] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        const s = plain(child)
        pieces.push({ text: child, start: text.length, length: s.length })
        text += s
      } else if (child instanceof Y.XmlElement) {
        if (text !== '' && !text.endsWith('\n')) text += '\n'
        walk(child)
        if (child.nodeName === 'hardBreak') text += '\n'
      }
    }
  }
  walk(fragment)
  return { text, pieces }
}

/** The characters of a Y.XmlText without its formatting. */
function plain(text: Y.XmlText): string {
  let s = ''
  for (const op of text.toDelta() as DeltaOp[]) s += typeof op.insert === 'string' ? op.insert : ' '
  return s
}

/** The segments of a flat range [start, end). */
export function segmentsOfFlat(flat: FlatText, start: number, end: number): TextSegment[] {
  const out: TextSegment[] = []
  for (const p of flat.pieces) {
    const s = Math.max(start, p.start)
    const e = Math.min(end, p.start + p.length)
    if (e > s) out.push({ text: p.text, index: s - p.start, length: e - s })
  }
  return out
}

const squash = (s: string) => s.replace(/\s+/g, '')

/** How many characters two strings share at their ends (`fromEnd`) or starts, ignoring spacing. */
function sharedLength(a: string, b: string, fromEnd: boolean): number {
  const x = squash(a)
  const y = squash(b)
  let n = 0
  while (n < x.length && n < y.length) {
    const cx = fromEnd ? x[x.length - 1 - n] : x[n]
    const cy = fromEnd ? y[y.length - 1 - n] : y[n]
    if (cx !== cy) break
    n++
  }
  return n
}

/**
 * Finds words again in a field after the text holding them was rewritten (a paragraph split,
 * joined or wrapped in a list by someone else at the same time as the comment was made: the
 * editor binding re-creates moved text, so a concurrent mark on it is lost). The words must be
 * there with enough of their context, so text that was really deleted is not "found" elsewhere.
 */
export function locateQuote(
  flat: FlatText,
  target: { quote: string; before: string; after: string },
): { start: number; end: number } | null {
  const quote = target.quote
  if (quote.trim() === '') return null
  const needed = Math.min(8, squash(target.before).length + squash(target.after).length)
  let best: { start: number; score: number } | null = null
  for (let at = flat.text.indexOf(quote); at !== -1; at = flat.text.indexOf(quote, at + 1)) {
    const before = flat.text.slice(Math.max(0, at - CONTEXT_CHARS * 2), at)
    const after = flat.text.slice(at + quote.length, at + quote.length + CONTEXT_CHARS * 2)
    const score = sharedLength(before, target.before, true) + sharedLength(after, target.after, false)
    if (score >= needed && (!best || score > best.score)) best = { start: at, score }
  }
  return best ? { start: best.start, end: best.start + quote.length } : null
}

/** Where a thread's marked words are in a field, with their context, as last seen. */
export interface SeenAnchor {
  field: string
  quote: string
  before: string
  after: string
}

/**
 * The marked words of every thread with a mark (the first field it is found in), with context.
 * `inField` reads one field (by default `anchorsInField`); a caller that knows which fields
 * changed passes one that answers the others from what it read before.
 */
export function seenAnchors(
  doc: Y.Doc,
  inField: (field: string, fragment: Y.XmlFragment) => Map<string, SeenAnchor> = anchorsInField,
  /** The plan's prose fields (by default read from `doc`). */
  fields: ReadonlyArray<{ field: string; fragment: Y.XmlFragment }> = proseFields(new PlanModel(doc)),
): Map<string, SeenAnchor> {
  const found = new Map<string, SeenAnchor>()
  for (const { field, fragment } of fields) {
    for (const [threadId, anchor] of inField(field, fragment)) if (!found.has(threadId)) found.set(threadId, anchor)
  }
  return found
}

/** The marked words of every thread marked in one prose field, with their context. */
export function anchorsInField(field: string, fragment: Y.XmlFragment): Map<string, SeenAnchor> {
  const found = new Map<string, SeenAnchor>()
  const flat = flatten(fragment)
  const ranges = new Map<string, { start: number; end: number }>()
  for (const piece of flat.pieces) {
    let index = piece.start
    for (const op of piece.text.toDelta() as DeltaOp[]) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1
      for (const [key, value] of Object.entries(op.attributes ?? {})) {
        const threadId = threadIdOfAttribute(key, value)
        if (!threadId) continue
        const range = ranges.get(threadId)
        if (range) range.end = index + length
        else ranges.set(threadId, { start: index, end: index + length })
      }
      index += length
    }
  }
  for (const [threadId, { start, end }] of ranges) {
    found.set(threadId, {
      field,
      quote: flat.text.slice(start, end),
      before: flat.text.slice(Math.max(0, start - CONTEXT_CHARS), start),
      after: flat.text.slice(end, end + CONTEXT_CHARS),
    })
  }
  return found
}
