import { diffText, isCommentMarkKey } from '@lever/shared'
import * as Y from 'yjs'
import { commonBlocks } from './commonBlocks.ts'

/**
 * Forward edits that make a live Yjs type hold what a target type (from another document, such
 * as a stored version) holds. Only what differs is written, so concurrent edits elsewhere merge,
 * items that stay keep their identity (and who wrote them), and the state vector only grows.
 *
 * Comment anchors are marks in prose: text that stays keeps the comment marks it has now (threads
 * are not rewound), and text brought back carries the marks it had in the target.
 */

type Attrs = Record<string, unknown>
type DeltaOp = { insert?: unknown; retain?: number; delete?: number; attributes?: Attrs }

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/** A fresh copy of a value for inserting into the live document. */
function copy<T>(value: T): T {
  return value instanceof Y.AbstractType ? (value.clone() as T) : value
}

/**
 * The time one restore may spend matching the blocks the live plan and the version have in
 * common, in milliseconds (it runs on the server's event loop). Past it, blocks between a list's
 * common start and end are replaced rather than kept: the content is the version's all the
 * same, only fewer unchanged paragraphs keep their comment anchors and authors.
 */
export const RESTORE_MATCH_BUDGET_MS = 1000

/**
 * Makes `live` hold the same entries as `target` (keys in `skip` are left alone), matching blocks
 * until `deadline` (`performance.now()` time).
 */
export function syncMap(
  live: Y.Map<unknown>,
  target: Y.Map<unknown>,
  deadline: number,
  skip: ReadonlySet<string> = new Set(),
): void {
  for (const [key, value] of target.entries()) {
    if (skip.has(key)) continue
    syncEntry(live, key, live.get(key), value, deadline)
  }
  for (const key of [...live.keys()]) {
    if (!skip.has(key) && !target.has(key)) live.delete(key)
  }
}

function syncEntry(live: Y.Map<unknown>, key: string, current: unknown, wanted: unknown, deadline: number): void {
  if (wanted instanceof Y.Map && current instanceof Y.Map) {
    syncMap(current, wanted, deadline)
    return
  }
  if (wanted instanceof Y.XmlFragment && current instanceof Y.XmlFragment && !(wanted instanceof Y.XmlElement)) {
    syncChildren(current, wanted, deadline)
    return
  }
  if (wanted instanceof Y.Text && current instanceof Y.Text && !(wanted instanceof Y.XmlText)) {
    syncPlainText(current, wanted)
    return
  }
  if (wanted instanceof Y.AbstractType || current instanceof Y.AbstractType) {
    if (
      !(wanted instanceof Y.AbstractType) ||
      !(current instanceof Y.AbstractType) ||
      !same(current.toJSON(), wanted.toJSON())
    ) {
      live.set(key, copy(wanted))
    }
    return
  }
  if (!same(current, wanted)) live.set(key, wanted)
}

/** Makes a Y.Text (no formatting) hold the target's text with one edit. */
export function syncPlainText(live: Y.Text, target: Y.Text): void {
  const edit = diffText(live.toString(), target.toString())
  if (!edit) return
  if (edit.deleteCount > 0) live.delete(edit.index, edit.deleteCount)
  if (edit.insert) live.insert(edit.index, edit.insert)
}

type XmlChild = Y.XmlElement | Y.XmlText | Y.XmlHook

/** A key for a child that ignores comment marks, so blocks differing only in anchors match. */
function childKey(child: XmlChild): string {
  if (child instanceof Y.XmlText) return `t:${JSON.stringify(stripComments(child.toDelta() as DeltaOp[]))}`
  if (child instanceof Y.XmlElement) {
    return `e:${child.nodeName}:${JSON.stringify(child.getAttributes())}:${child
      .toArray()
      .map((c) => childKey(c as XmlChild))
      .join('|')}`
  }
  return `h:${JSON.stringify(child.toJSON())}`
}

function stripComments(delta: DeltaOp[]): DeltaOp[] {
  return delta.map((op) => {
    const attributes = Object.fromEntries(Object.entries(op.attributes ?? {}).filter(([k]) => !isCommentMarkKey(k)))
    return Object.keys(attributes).length > 0 ? { insert: op.insert, attributes } : { insert: op.insert }
  })
}

function sameKind(a: XmlChild, b: XmlChild): boolean {
  if (a instanceof Y.XmlText && b instanceof Y.XmlText) return true
  return a instanceof Y.XmlElement && b instanceof Y.XmlElement && a.nodeName === b.nodeName
}

/**
 * The most separate runs of removals a restore makes between two blocks kept; past it the blocks
 * between are replaced whole (each run is a walk of the fragment to its position).
 */
const MAX_REMOVAL_RUNS = 64

/**
 * Makes the children of a prose fragment or element equal to the target's: blocks that are the
 * same stay, a changed block of the same type is edited in place (down to the changed words),
 * others are removed or inserted.
 */
export function syncChildren(live: Y.XmlFragment, target: Y.XmlFragment, deadline: number): void {
  const liveChildren = live.toArray() as XmlChild[]
  const targetChildren = target.toArray() as XmlChild[]
  const pairs = commonBlocks(liveChildren.map(childKey), targetChildren.map(childKey), deadline)
  // Runs of removals and insertions are made in one call each, and blocks are reached through
  // the array read above, not by position: finding a position in a fragment walks its list, so
  // one call per block would cost the square of a long section's length.
  let pos = 0
  let li = 0
  let ti = 0
  /**
   * Brings the live blocks up to `untilLive` to the target's up to `untilTarget`: a live block of
   * the next target block's kind is edited in place, the others are removed, and the target's
   * blocks left over are inserted. Planned first, so a gap whose kinds interleave past reason (a
   * hostile plan) is replaced whole instead.
   */
  const step = (untilLive: number, untilTarget: number) => {
    const inPlace: Array<{ removedBefore: number; live: XmlChild; target: XmlChild }> = []
    let removing = 0
    let runs = 0
    let t = ti
    for (let l = li; l < untilLive; l++) {
      const block = liveChildren[l] as XmlChild
      const wanted = t < untilTarget ? (targetChildren[t] as XmlChild) : undefined
      if (wanted && sameKind(block, wanted)) {
        inPlace.push({ removedBefore: removing, live: block, target: wanted })
        removing = 0
        t++
      } else {
        if (removing === 0) runs++
        removing++
      }
    }
    if (runs > MAX_REMOVAL_RUNS) {
      if (untilLive > li) live.delete(pos, untilLive - li)
      t = ti
    } else {
      for (const block of inPlace) {
        if (block.removedBefore > 0) live.delete(pos, block.removedBefore)
        syncNode(block.live, block.target, deadline)
        pos++
      }
      if (removing > 0) live.delete(pos, removing)
    }
    if (t < untilTarget) {
      const added = targetChildren.slice(t, untilTarget).map((c) => c.clone() as Y.XmlElement | Y.XmlText)
      live.insert(pos, added)
      pos += added.length
    }
    li = untilLive
    ti = untilTarget
  }
  for (const [a, b] of pairs) {
    step(a, b)
    const l = liveChildren[a] as XmlChild
    const t = targetChildren[b] as XmlChild
    // Equal but for comment marks: keep the marks, nothing else to do.
    if (l instanceof Y.XmlElement && t instanceof Y.XmlElement) syncNode(l, t, deadline)
    pos++
    li = a + 1
    ti = b + 1
  }
  step(liveChildren.length, targetChildren.length)
}

function syncNode(live: XmlChild, target: XmlChild, deadline: number): void {
  if (live instanceof Y.XmlText && target instanceof Y.XmlText) {
    syncXmlText(live, target)
    return
  }
  if (live instanceof Y.XmlElement && target instanceof Y.XmlElement) {
    const liveAttrs = live.getAttributes() as Attrs
    const targetAttrs = target.getAttributes() as Attrs
    for (const [k, v] of Object.entries(targetAttrs)) {
      if (!same(liveAttrs[k], v)) live.setAttribute(k, v as string)
    }
    for (const k of Object.keys(liveAttrs)) if (!(k in targetAttrs)) live.removeAttribute(k)
    syncChildren(live, target, deadline)
  }
}

interface Run {
  text: string
  attrs: Attrs
}

function runsOf(text: Y.XmlText): Run[] | null {
  const runs: Run[] = []
  for (const op of text.toDelta() as DeltaOp[]) {
    if (typeof op.insert !== 'string') return null
    runs.push({ text: op.insert, attrs: op.attributes ?? {} })
  }
  return runs
}

/** The formatting of every character (comment marks left out). */
function charAttrs(runs: Run[]): Attrs[] {
  const out: Attrs[] = []
  for (const run of runs) {
    const attrs = Object.fromEntries(Object.entries(run.attrs).filter(([k]) => !isCommentMarkKey(k)))
    for (let i = 0; i < run.text.length; i++) out.push(attrs)
  }
  return out
}

/** Makes a formatted text hold the target's characters and formatting, keeping comment marks on text that stays. */
export function syncXmlText(live: Y.XmlText, target: Y.XmlText): void {
  const liveRuns = runsOf(live)
  const targetRuns = runsOf(target)
  if (!liveRuns || !targetRuns) {
    // Embedded objects: replace the text as a whole.
    live.delete(0, live.length)
    live.applyDelta(target.toDelta())
    return
  }
  const liveStr = liveRuns.map((r) => r.text).join('')
  const targetStr = targetRuns.map((r) => r.text).join('')
  const edit = diffText(liveStr, targetStr)
  // Each change is one delta applied in one call: Yjs finds a position by walking the text, so a
  // call per formatting run would cost the square of a long paragraph's runs.
  if (edit) {
    const delta: DeltaOp[] = []
    if (edit.index > 0) delta.push({ retain: edit.index })
    if (edit.deleteCount > 0) delta.push({ delete: edit.deleteCount })
    let offset = 0
    const end = edit.index + edit.insert.length
    for (const run of targetRuns) {
      const from = Math.max(offset, edit.index)
      const to = Math.min(offset + run.text.length, end)
      if (from < to) delta.push({ insert: run.text.slice(from - offset, to - offset), attributes: { ...run.attrs } })
      offset += run.text.length
    }
    live.applyDelta(delta)
  }
  // Formatting of the text that stayed.
  const now = charAttrs(runsOf(live) ?? [])
  const wanted = charAttrs(targetRuns)
  const formats: DeltaOp[] = []
  let kept = 0
  let i = 0
  while (i < wanted.length) {
    if (same(now[i], wanted[i])) {
      kept++
      i++
      continue
    }
    let j = i + 1
    while (j < wanted.length && !same(now[j], wanted[j]) && same(now[j], now[i]) && same(wanted[j], wanted[i])) j++
    const format: Attrs = { ...(wanted[i] as Attrs) }
    for (const k of Object.keys(now[i] ?? {})) if (!(k in format)) format[k] = null
    if (kept > 0) formats.push({ retain: kept })
    kept = 0
    formats.push({ retain: j - i, attributes: format })
    i = j
  }
  if (formats.length > 0) live.applyDelta(formats)
}
