import { diffArrays } from 'diff'

/**
 * The most edits (blocks removed plus blocks added) a comparison or a restore looks through to
 * match the blocks of one list two versions have in common. A person's revision between two
 * versions is far fewer; past it, the blocks between the common start and end are taken as all
 * changed. The search costs about the square of this (90 ms at 1,000 on this machine).
 */
export const MAX_BLOCK_EDITS = 1000

/**
 * The blocks two lists have in common, as index pairs in order: the longest common subsequence
 * of their keys when they differ by at most `MAX_BLOCK_EDITS` blocks, found with Myers' diff (its
 * cost follows the size of the difference, not the product of the lengths: a quadratic table of
 * 25,000 paragraphs against 25,000 took the server's whole memory). A common start and end always
 * match, however long the lists. Past `deadline` (`performance.now()` time), shared by the lists
 * of one comparison or restore, only the common start and end are matched.
 */
export function commonBlocks(
  a: readonly string[],
  b: readonly string[],
  deadline = Number.POSITIVE_INFINITY,
): Array<[number, number]> {
  const head: Array<[number, number]> = []
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) {
    head.push([start, start])
    start++
  }
  let endA = a.length
  let endB = b.length
  const tail: Array<[number, number]> = []
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
    tail.push([endA, endB])
  }
  const middle: Array<[number, number]> = []
  const left = deadline - performance.now()
  if (endA > start && endB > start && left > 0) {
    const changes = diffArrays(a.slice(start, endA), b.slice(start, endB), {
      maxEditLength: MAX_BLOCK_EDITS,
      ...(Number.isFinite(left) ? { timeout: Math.ceil(left) } : {}),
    })
    if (changes) {
      let i = start
      let j = start
      for (const change of changes) {
        if (change.added) j += change.count
        else if (change.removed) i += change.count
        else for (let k = 0; k < change.count; k++) middle.push([i++, j++])
      }
    }
  }
  return [...head, ...middle, ...tail.reverse()]
}
