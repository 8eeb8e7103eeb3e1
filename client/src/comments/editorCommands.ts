import { COMMENT_MARK } from '@lever/shared'
import type { Editor } from '@tiptap/core'
import type { EditorState } from '@tiptap/pm/state'
import type * as Y from 'yjs'
import { pinSegments, quoteOf, segmentsForRange } from './anchors.ts'
import type { Comments } from './CommentsContext.tsx'

/** The threads whose marks touch a position (either side of it), innermost last. */
export function threadsAt(state: EditorState, pos: number): string[] {
  const $pos = state.doc.resolve(pos)
  const ids = new Set<string>()
  for (const node of [$pos.nodeBefore, $pos.nodeAfter]) {
    for (const mark of node?.marks ?? []) {
      if (mark.type.name === COMMENT_MARK && typeof mark.attrs.threadId === 'string') ids.add(mark.attrs.threadId)
    }
  }
  return [...ids]
}

/**
 * The Comment button of an editor: with words selected, starts a thread on them; with the
 * caret in commented words, takes the person to that thread in the sidebar. Otherwise returns
 * what to tell the person.
 */
export function commentFromEditor(
  editor: Editor,
  target: { field: string; fragment: Y.XmlFragment; label: string },
  comments: Comments,
): string | null {
  const { from, to, empty } = editor.state.selection
  if (empty) {
    const here = threadsAt(editor.state, from).filter((id) => comments.views.some((v) => v.thread.id === id))
    const first = here[0]
    if (first) {
      comments.activate(first, { reveal: 'card', focusCard: true })
      return null
    }
    return 'Select the words you want to comment on, then choose Comment.'
  }
  const segments = segmentsForRange(target.fragment, editor.state.doc, from, to)
  if (segments.length === 0) return 'Select some text to comment on.'
  comments.startDraft({
    kind: 'text',
    field: target.field,
    pinned: pinSegments(segments),
    quote: quoteOf(editor.state.doc, from, to),
    label: target.label,
  })
  return null
}
