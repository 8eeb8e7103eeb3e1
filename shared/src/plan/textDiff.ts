/** One edit that turns `prev` into `next`: delete `deleteCount` characters at `index`, then insert `insert`. */
export interface TextEdit {
  index: number
  deleteCount: number
  insert: string
}

/**
 * The smallest single edit from `prev` to `next`. `cursor` (the caret after the edit, when known)
 * settles ambiguous cases such as typing "a" inside "aa", so the edit lands where the person typed
 * and merges correctly with what others type at the same time.
 */
export function diffText(prev: string, next: string, cursor?: number): TextEdit | null {
  if (prev === next) return null
  const max = Math.min(prev.length, next.length)
  let start = 0
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++
  if (cursor !== undefined) {
    const grown = Math.max(0, next.length - prev.length)
    start = Math.max(0, Math.min(start, cursor - grown))
  }
  let endPrev = prev.length
  let endNext = next.length
  while (endPrev > start && endNext > start && prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)) {
    endPrev--
    endNext--
  }
  return { index: start, deleteCount: endPrev - start, insert: next.slice(start, endNext) }
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
