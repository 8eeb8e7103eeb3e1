import { describe, expect, it } from 'vitest'
import { sameShape } from './sameShape.ts'

describe('sameShape', () => {
  it('keeps the previous objects wherever the values are the same, and only there', () => {
    const prev = {
      a: [
        { id: 1, n: 'x' },
        { id: 2, n: 'y' },
      ],
      b: { c: 1 },
      d: 'text',
    }
    const next = sameShape(prev, {
      a: [
        { id: 1, n: 'x' },
        { id: 2, n: 'z' },
      ],
      b: { c: 1 },
      d: 'text',
    })
    expect(next).toEqual({
      a: [
        { id: 1, n: 'x' },
        { id: 2, n: 'z' },
      ],
      b: { c: 1 },
      d: 'text',
    })
    expect(next).not.toBe(prev)
    expect(next.b).toBe(prev.b)
    expect(next.a[0]).toBe(prev.a[0])
    expect(next.a[1]).not.toBe(prev.a[1])
    expect(sameShape(prev, structuredClone(prev))).toBe(prev)
  })

  it('sees added and removed keys and items', () => {
    const prev: Record<string, unknown> = { a: 1, list: [1, 2] }
    expect(sameShape(prev, { a: 1, b: undefined, list: [1, 2] })).not.toBe(prev)
    expect(sameShape(prev, { list: [1, 2] })).not.toBe(prev)
    expect(sameShape(prev, { a: 1, list: [1] })).not.toBe(prev)
    expect(sameShape(undefined, prev)).toBe(prev)
  })
})
