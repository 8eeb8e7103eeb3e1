import { getSchema } from '@tiptap/core'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import StarterKit from '@tiptap/starter-kit'
import { describe, expect, it } from 'vitest'
import { caretsInText } from './remoteCarets.ts'

const schema = getSchema([StarterKit])
// An empty list item, then a paragraph: position 0 is before the list, 3 inside the item's text.
const doc = schema.nodeFromJSON({
  type: 'doc',
  content: [
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph' }] }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'After' }] },
  ],
})
const caret = (pos: number, clientId: number) =>
  Decoration.widget(pos, () => document.createElement('span'), { key: String(clientId), side: 10 })

describe('others’ carets', () => {
  it('leaves out a caret placed between blocks and keeps those inside text, with their selections', () => {
    const selection = Decoration.inline(7, 10, { class: 'selection' }, { inclusiveEnd: true, inclusiveStart: false })
    const set = DecorationSet.create(doc, [caret(0, 1), caret(3, 2), caret(10, 3), selection])
    const kept = caretsInText(set, doc).find()
    expect(kept.map((d) => `${d.from}:${d.to}:${d.spec.key ?? 'selection'}`).sort()).toEqual([
      '10:10:3',
      '3:3:2',
      '7:10:selection',
    ])
  })

  it('returns the same set when every caret is inside text', () => {
    const set = DecorationSet.create(doc, [caret(3, 2), caret(8, 3)])
    expect(caretsInText(set, doc)).toBe(set)
  })
})
