import { describe, expect, it } from 'vitest'
import { rng } from '../testing/hostileInput.ts'
import { commonBlocks, MAX_BLOCK_EDITS } from './commonBlocks.ts'

/** The length of the longest common subsequence, by the textbook table (small inputs only). */
function lcsLength(a: string[], b: string[]): number {
  let previous = new Array<number>(b.length + 1).fill(0)
  for (const x of a) {
    const row = [0]
    for (let j = 0; j < b.length; j++) {
      row.push(x === b[j] ? (previous[j] as number) + 1 : Math.max(previous[j + 1] as number, row[j] as number))
    }
    previous = row
  }
  return previous[b.length] as number
}

describe('commonBlocks', () => {
  it('finds a longest common subsequence of two lists, as increasing index pairs of equal keys (seeded)', () => {
    const seed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const next = rng(seed)
    const list = () => Array.from({ length: Math.floor(next() * 40) }, () => 'abcde'[Math.floor(next() * 5)] as string)
    for (let round = 0; round < 500; round++) {
      const a = list()
      const b = list()
      const pairs = commonBlocks(a, b)
      const context = { seed, round, a: a.join(''), b: b.join('') }
      expect({ ...context, length: pairs.length }).toEqual({ ...context, length: lcsLength(a, b) })
      pairs.forEach(([i, j], k) => {
        expect(a[i]).toBe(b[j])
        const [pi, pj] = pairs[k - 1] ?? [-1, -1]
        expect(i > pi && j > pj).toBe(true)
      })
    }
  })

  it('matches a common start and end of any length, and only those past MAX_BLOCK_EDITS changed blocks', () => {
    // 30,000 paragraphs with one added: a table of every pair would be 900 million cells.
    const long = Array.from({ length: 30_000 }, (_, i) => `p${i}`)
    const grown = [...long.slice(0, 12_000), 'new', ...long.slice(12_000)]
    const pairs = commonBlocks(long, grown)
    expect(pairs.length).toBe(30_000)
    expect(pairs[12_000]).toEqual([12_000, 12_001])
    // Everything between a common start and end rewritten: more changes than the matcher looks
    // through, so the middle counts as changed even where a key repeats.
    const middleA = Array.from({ length: MAX_BLOCK_EDITS }, (_, i) => `a${i}`)
    const middleB = Array.from({ length: MAX_BLOCK_EDITS }, (_, i) => `b${i}`)
    middleA.push('shared')
    middleB.unshift('shared')
    expect(commonBlocks(['start', ...middleA, 'end'], ['start', ...middleB, 'end'])).toEqual([
      [0, 0],
      [MAX_BLOCK_EDITS + 2, MAX_BLOCK_EDITS + 2],
    ])
  })
})
