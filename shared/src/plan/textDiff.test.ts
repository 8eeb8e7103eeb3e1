import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffText, transformIndex } from './textDiff.ts'
import { setTextMinimal } from './yhelpers.ts'

describe('diffText', () => {
  it('finds the single smallest edit', () => {
    expect(diffText('abc', 'abc')).toBeNull()
    expect(diffText('wage floor', 'wage-floor')).toEqual({ index: 4, deleteCount: 1, insert: '-' })
    expect(diffText('', 'new')).toEqual({ index: 0, deleteCount: 0, insert: 'new' })
    expect(diffText('remove me', '')).toEqual({ index: 0, deleteCount: 9, insert: '' })
  })

  it('puts an ambiguous insertion where the caret is', () => {
    // Typing "a" at the start of "aa": without the caret the edit would land at the end.
    expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, deleteCount: 0, insert: 'a' })
    expect(diffText('aa', 'aaa')).toEqual({ index: 2, deleteCount: 0, insert: 'a' })
  })
})

describe('transformIndex', () => {
  it('moves a caret past text inserted before it and back over text deleted before it', () => {
    expect(transformIndex(5, [{ insert: 'abc' }])).toBe(8)
    expect(transformIndex(5, [{ retain: 6 }, { insert: 'abc' }])).toBe(5)
    expect(transformIndex(5, [{ retain: 1 }, { delete: 2 }])).toBe(3)
    expect(transformIndex(5, [{ retain: 3 }, { delete: 10 }])).toBe(3)
  })
})

describe('setTextMinimal', () => {
  it('merges two people editing one field at once instead of overwriting', () => {
    const a = new Y.Doc()
    a.getText('t').insert(0, 'Living wage')
    const b = new Y.Doc()
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
    setTextMinimal(a.getText('t'), 'Living wage policy')
    setTextMinimal(b.getText('t'), 'A living wage')
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    expect(a.getText('t').toString()).toBe('A living wage policy')
    expect(b.getText('t').toString()).toBe('A living wage policy')
  })
})
