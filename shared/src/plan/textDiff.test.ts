import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { diffText, type TextEdit, transformIndex } from './textDiff.ts'
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

/** True when `s` holds a surrogate without its partner (what Yjs would store as U+FFFD). */
function hasLoneSurrogate(s: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)
}

function apply(prev: string, edit: TextEdit | null): string {
  if (!edit) return prev
  return prev.slice(0, edit.index) + edit.insert + prev.slice(edit.index + edit.deleteCount)
}

/** Splits an index that falls between the two halves of a surrogate pair. */
function splitsPair(s: string, index: number): boolean {
  return (
    index > 0 &&
    index < s.length &&
    /[\uD800-\uDBFF]/.test(s[index - 1] as string) &&
    /[\uDC00-\uDFFF]/.test(s[index] as string)
  )
}

/** A small seeded generator (mulberry32), so a failing run can be replayed with LEVER_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// Code points that stress the diff: ASCII, emoji (astral, two UTF-16 units, often sharing the high
// surrogate), an emoji with skin tone and a ZWJ family, combining marks, CJK and Hangul.
const ALPHABET = [
  'a',
  'b',
  ' ',
  '😀',
  '😁',
  '😂',
  '🙂',
  '👍🏽',
  '👩‍👩‍👧',
  'e',
  '\u0301',
  '\u0308',
  '中',
  '文',
  '字',
  '한',
  '𠀋',
  '𠀌',
]

describe('diffText keeps every character whole', () => {
  it('replaces an emoji by another one sharing its high surrogate without leaving a lone half', () => {
    const edit = diffText('I 😀 you', 'I 😁 you')
    expect(edit).toEqual({ index: 2, deleteCount: 2, insert: '😁' })
    const text = new Y.Doc().getText('t')
    text.insert(0, 'I 😀 you')
    setTextMinimal(text, 'I 😁 you')
    expect(text.toString()).toBe('I 😁 you')
    // The same with the caret after the new emoji (as the input reports it).
    setTextMinimal(text, 'I 😂 you', 4)
    expect(text.toString()).toBe('I 😂 you')
  })

  it('handles combining marks and CJK as the code points they are', () => {
    expect(apply('cafe\u0301', diffText('cafe\u0301', 'cafe\u0308'))).toBe('cafe\u0308')
    expect(diffText('中文', '中国文')).toEqual({ index: 1, deleteCount: 0, insert: '国' })
    expect(apply('𠀋𠀌', diffText('𠀋𠀌', '𠀌𠀌'))).toBe('𠀌𠀌')
  })

  it('turns random edits of emoji, combining marks and CJK into edits that never split a surrogate pair', () => {
    const seed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const next = random(seed)
    const pick = () => ALPHABET[Math.floor(next() * ALPHABET.length)] as string
    try {
      for (let round = 0; round < 2000; round++) {
        const before = Array.from({ length: Math.floor(next() * 8) }, pick)
        const after = [...before]
        const at = Math.floor(next() * (after.length + 1))
        after.splice(at, Math.floor(next() * 3), ...Array.from({ length: Math.floor(next() * 3) }, pick))
        const prev = before.join('')
        const changed = after.join('')
        const cursor = next() < 0.5 ? undefined : Math.floor(next() * (changed.length + 1))
        const edit = diffText(prev, changed, cursor)
        expect(apply(prev, edit)).toBe(changed)
        if (edit) {
          expect(hasLoneSurrogate(edit.insert)).toBe(false)
          expect(splitsPair(prev, edit.index)).toBe(false)
          expect(splitsPair(prev, edit.index + edit.deleteCount)).toBe(false)
        }
        const text = new Y.Doc().getText('t')
        text.insert(0, prev)
        setTextMinimal(text, changed, cursor)
        expect(text.toString()).toBe(changed)
      }
    } catch (error) {
      console.error(`diffText property failed with LEVER_SEED=${seed}`)
      throw error
    }
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
