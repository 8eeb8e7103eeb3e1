import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Plugin, type StateField } from '@tiptap/pm/state'
import { DecorationSet } from '@tiptap/pm/view'
import { yCursorPluginKey } from '@tiptap/y-tiptap'

/**
 * Others' carets with their names, drawn only inside text.
 *
 * A caret is where another person last said they were, as a position in the shared text. When
 * the paragraph it was in is replaced (someone turns it into a list, say), that position falls
 * between blocks until the other person's page says where their caret is now. Drawn there, the
 * caret sits straight inside the editable element, beside the blocks, and Chromium then puts the
 * next characters typed into a new paragraph above the list instead of into it. Such a caret is
 * left out until it is inside text again, as the binding itself does while the local document
 * is restructured.
 */
export const RemoteCarets = CollaborationCaret.extend({
  addProseMirrorPlugins() {
    const plugins = this.parent?.() ?? []
    return plugins.map((plugin) => (plugin.spec.key === yCursorPluginKey ? onlyInText(plugin) : plugin))
  },
})

/**
 * The carets plugin, with each state it computes cleared of carets that are not inside text. A
 * caret the binding cannot read (someone's presence of the wrong shape: the server refuses those,
 * but a caret must never cost the page its editor) leaves the carets as they were, moved along
 * with the change; an error thrown here would abort the transaction that brings others' edits.
 */
export function onlyInText(plugin: Plugin): Plugin {
  const field = plugin.spec.state as StateField<DecorationSet>
  return new Plugin({
    ...plugin.spec,
    state: {
      ...field,
      init: (config, state) => {
        try {
          return caretsInText(field.init(config, state), state.doc)
        } catch (error) {
          console.warn('could not draw the others’ carets', error)
          return DecorationSet.empty
        }
      },
      apply: (tr, value, before, after) => {
        try {
          return caretsInText(field.apply(tr, value, before, after), after.doc)
        } catch (error) {
          console.warn('could not draw the others’ carets', error)
          return value.map(tr.mapping, tr.doc)
        }
      },
    },
  })
}

/** `carets` without the caret marks (widgets) placed where no text can be. */
export function caretsInText(carets: DecorationSet, doc: PMNode): DecorationSet {
  const stray = carets.find(
    undefined,
    undefined,
    // Widgets carry the person's client id as their key; the selections they made are inline ranges.
    (spec) => spec.key !== undefined,
  )
  const outside = stray.filter((caret) => caret.from === caret.to && !doc.resolve(caret.from).parent.inlineContent)
  return outside.length > 0 ? carets.remove(outside) : carets
}
