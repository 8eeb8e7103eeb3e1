import { getSchema } from '@tiptap/core'
import { EditorState, Plugin } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import StarterKit from '@tiptap/starter-kit'
import { describe, expect, it } from 'vitest'
import { caretsInText, onlyInText } from './remoteCarets.ts'

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

describe('a caret the binding cannot read', () => {
  it('keeps the others’ carets as they were, moved with the change, instead of aborting the change', () => {
    const set = DecorationSet.create(doc, [caret(8, 3)])
    let reads = 0
    const broken = new Plugin<DecorationSet>({
      state: {
        init: () => set,
        apply: () => {
          reads++
          throw new TypeError("Cannot read properties of null (reading 'type')")
        },
      },
    })
    const plugin = onlyInText(broken)
    const warn = console.warn
    console.warn = () => {}
    try {
      const state = EditorState.create({ doc, plugins: [plugin] })
      // Typing two characters before the caret: the change goes through, the caret moves with it.
      const next = state.apply(state.tr.insertText('ab', 7))
      expect(reads).toBe(1)
      expect(next.doc.textContent).toBe('abAfter')
      expect((plugin.getState(next) as DecorationSet).find().map((d) => d.from)).toEqual([10])
    } finally {
      console.warn = warn
    }
  })
})
