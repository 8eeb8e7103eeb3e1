import { simpleDiffString, simpleDiffStringWithCursor } from 'lib0/diff'

/** One edit that turns `prev` into `next`: delete `deleteCount` characters at `index`, then insert `insert`. */
export interface TextEdit {
  index: number
  deleteCount: number
  insert: string
}

/**
 * The smallest single edit from `prev` to `next`, in UTF-16 units (what Y.Text counts) but never
 * splitting a surrogate pair: an emoji is replaced whole, so no lone surrogate reaches Yjs (which
 * would store U+FFFD). lib0's diff rolls its common prefix and suffix back to a code point
 * boundary. `cursor` (the caret after the edit, when known) settles ambiguous cases such as typing
 * "a" inside "aa", so the edit lands where the person typed and merges correctly with what others
 * type at the same time.
 */
export function diffText(prev: string, next: string, cursor?: number): TextEdit | null {
  if (prev === next) return null
  let diff: { index: number; remove: number; insert: string }
  if (cursor === undefined) {
    diff = simpleDiffString(prev, next)
  } else {
    // lib0 wants the caret before the edit: the common prefix may not run past it.
    const grown = Math.max(0, next.length - prev.length)
    diff = simpleDiffStringWithCursor(prev, next, Math.max(0, cursor - grown))
  }
  return { index: diff.index, deleteCount: diff.remove, insert: diff.insert }
}

type DeltaOp = { retain?: number; insert?: unknown; delete?: number }

/** Where a caret at `index` ends up after a remote change (a Yjs text delta). */
export function transformIndex(index: number, delta: readonly DeltaOp[]): number {
  let cur = index
  let pos = 0
  for (const op of delta) {
    if (op.retain !== undefined) {
      pos += op.retain
    } else if (op.insert !== undefined) {
      const n = typeof op.insert === 'string' ? op.insert.length : 1
      if (pos < cur) cur += n
      pos += n
    } else if (op.delete !== undefined) {
      if (pos < cur) cur -= Math.min(op.delete, cur - pos)
    }
  }
  return cur
}
