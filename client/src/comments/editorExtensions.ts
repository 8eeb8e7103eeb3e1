import { COMMENT_MARK } from '@lever/shared'
import { Extension } from '@tiptap/core'
import { isChangeOrigin } from '@tiptap/extension-collaboration'
import { Fragment, type Node as PMNode, Slice } from '@tiptap/pm/model'
import { Plugin, PluginKey } from '@tiptap/pm/state'
import { Decoration, DecorationSet } from '@tiptap/pm/view'
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap'
import type * as Y from 'yjs'
import type { PinnedRange } from './anchors.ts'

/** Removes comment marks of threads that are not in this plan (text copied from another plan). */
export function withoutForeignComments(slice: Slice, isKnownThread: (threadId: string) => boolean): Slice {
  const strip = (node: PMNode): PMNode => {
    if (node.isText) {
      const marks = node.marks.filter(
        (m) => m.type.name !== COMMENT_MARK || isKnownThread(String(m.attrs.threadId ?? '')),
      )
      return marks.length === node.marks.length ? node : node.mark(marks)
    }
    return node.copy(mapFragment(node.content))
  }
  const mapFragment = (fragment: Fragment): Fragment => {
    const children: PMNode[] = []
    fragment.forEach((child) => {
      children.push(strip(child))
    })
    return Fragment.fromArray(children)
  }
  return new Slice(mapFragment(slice.content), slice.openStart, slice.openEnd)
}

/** Pasted text keeps its comment marks only when their threads belong to this plan. */
export const CommentPaste = Extension.create<{ isKnownThread: (threadId: string) => boolean }>({
  name: 'leverCommentPaste',
  addOptions() {
    return { isKnownThread: () => false }
  },
  addProseMirrorPlugins() {
    const isKnownThread = this.options.isKnownThread
    return [
      new Plugin({
        key: new PluginKey('leverCommentPaste'),
        props: { transformPasted: (slice) => withoutForeignComments(slice, isKnownThread) },
      }),
    ]
  },
})

/**
 * For people who may not edit the plan (coaches, peers): the editor shows the shared text and
 * lets them select it, and nothing they do in it changes the document.
 *
 * - The binding never writes the editor's document back to Yjs. y-prosemirror writes back
 *   whenever its rendering differs from Yjs (an empty field rendered as an empty paragraph,
 *   a mark stored as `true` read back as `{}`); on a comment-only or read-only connection the
 *   server refuses such a change and closes the connection. Comment marks are written straight
 *   into Yjs instead (see anchors.ts) and come back to the editor like anyone else's change.
 * - Transactions that would change the document locally are dropped, and typing, pasting and
 *   dropping are refused before the browser changes the page.
 */
export const ViewOnlyEditing = Extension.create({
  name: 'leverViewOnlyEditing',
  // After Collaboration (priority 1000), so the binding exists when this plugin's view starts.
  priority: 900,
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('leverViewOnlyEditing'),
        view(view) {
          const binding = (ySyncPluginKey.getState(view.state) as { binding?: { _prosemirrorChanged: unknown } })
            ?.binding
          if (binding) binding._prosemirrorChanged = () => {}
          return {}
        },
        filterTransaction: (tr) => !tr.docChanged || isChangeOrigin(tr),
        props: {
          handleDOMEvents: {
            beforeinput: (_view, event) => {
              event.preventDefault()
              return true
            },
          },
          handlePaste: () => true,
          handleDrop: () => true,
        },
      }),
    ]
  },
})

export const draftHighlightKey = new PluginKey('leverDraftHighlight')

/**
 * Shows the words a comment is being written about while the person types it in the sidebar
 * (the editor has lost its selection by then). The range is pinned in Yjs, so it follows the
 * words while others edit. Dispatch a transaction with this key's meta to redraw it.
 */
export const DraftHighlight = Extension.create<{ range: () => PinnedRange | null }>({
  name: 'leverDraftHighlight',
  addOptions() {
    return { range: () => null }
  },
  addProseMirrorPlugins() {
    const range = this.options.range
    return [
      new Plugin({
        key: draftHighlightKey,
        props: {
          decorations(state) {
            const pinned = range()
            const sync = ySyncPluginKey.getState(state) as
              | { doc: Y.Doc; type: Y.XmlFragment; binding?: { mapping: unknown } }
              | undefined
            if (!pinned || !sync?.binding) return null
            const decorations: Decoration[] = []
            for (const part of pinned.parts) {
              const from = relativePositionToAbsolutePosition(
                sync.doc,
                sync.type,
                part.start,
                sync.binding.mapping as never,
              )
              const to = relativePositionToAbsolutePosition(
                sync.doc,
                sync.type,
                part.end,
                sync.binding.mapping as never,
              )
              if (from !== null && to !== null && to > from && to <= state.doc.content.size) {
                decorations.push(Decoration.inline(from, to, { class: 'comment-draft' }))
              }
            }
            return DecorationSet.create(state.doc, decorations)
          },
        },
      }),
    ]
  },
})
