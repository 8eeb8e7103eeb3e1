import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { DocSession, SharedType } from './DocSession.ts'
import { PartCache } from './PartCache.ts'

/** The part versions of a session, ticked by hand as the frame tick would. */
function fakeParts() {
  const versions = new Map<SharedType, number>()
  const followed = new Set<SharedType>()
  const session = {
    getPartVersion: (type: SharedType) => versions.get(type) ?? 0,
    subscribePart: (type: SharedType) => {
      followed.add(type)
      return () => followed.delete(type)
    },
  } as unknown as DocSession
  const changed = (type: SharedType) => {
    if (followed.has(type)) versions.set(type, (versions.get(type) ?? 0) + 1)
  }
  return { session, changed }
}

describe('PartCache', () => {
  it('reads a part again only after it changed, and after being disposed', () => {
    const { session, changed } = fakeParts()
    const doc = new Y.Doc()
    const text = doc.getText('t')
    const cache = new PartCache(session)
    let reads = 0
    const read = () => {
      reads++
      return text.toString()
    }
    text.insert(0, 'a')
    expect(cache.part(text, read)).toBe('a')
    expect(cache.part(text, read)).toBe('a')
    expect(reads).toBe(1)
    text.insert(1, 'b')
    changed(text)
    expect(cache.part(text, read)).toBe('ab')
    expect(reads).toBe(2)
    cache.dispose()
    text.insert(2, 'c')
    changed(text) // nobody follows the part: its version does not move
    expect(cache.part(text, read)).toBe('abc')
    expect(reads).toBe(3)
  })

  it('reads several parts together again only after one of them changed', () => {
    const { session, changed } = fakeParts()
    const doc = new Y.Doc()
    const a = doc.getMap('a')
    const b = doc.getMap('b')
    const other = doc.getMap('other')
    const cache = new PartCache(session)
    let reads = 0
    const read = () => {
      reads++
      return `${a.get('x') ?? ''}${b.get('x') ?? ''}`
    }
    a.set('x', '1')
    expect(cache.together('ab', [a, b], read)).toBe('1')
    other.set('x', 'y')
    changed(other)
    expect(cache.together('ab', [a, b], read)).toBe('1')
    expect(reads).toBe(1)
    b.set('x', '2')
    changed(b)
    expect(cache.together('ab', [a, b], read)).toBe('12')
    expect(reads).toBe(2)
    a.set('x', '3')
    changed(a)
    expect(cache.together('ab', [a, b], read)).toBe('32')
    expect(reads).toBe(3)
    cache.dispose()
    a.set('x', '4')
    changed(a) // not followed after dispose: read again
    expect(cache.together('ab', [a, b], read)).toBe('42')
    expect(reads).toBe(4)
  })
})
