import Collaboration from '@tiptap/extension-collaboration'
import CollaborationCaret from '@tiptap/extension-collaboration-caret'
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { useMemo } from 'react'
import type * as Y from 'yjs'
import { useIdentity } from '../app/identity.ts'
import { editorUndoManager } from '../collab/undo.ts'
import { FormattingToolbar } from './FormattingToolbar.tsx'
import { usePlanSession } from './PlanContext.tsx'

/**
 * A Tiptap editor on one prose field of the plan's Y.Doc: a top-level section (`field`) or an
 * initiative's description (`fragment`). Edits go through the plan's one undo manager; others'
 * carets show with their name and colour.
 */
export function RichTextEditor({
  id,
  field,
  fragment,
  labelledBy,
  describedBy,
  label,
}: {
  /** id of the editable element (focus target). */
  id: string
  field?: string
  fragment?: Y.XmlFragment
  labelledBy: string
  describedBy?: string
  /** Short name for the toolbar's label, e.g. "Problem and baseline". */
  label: string
}) {
  const session = usePlanSession()
  const identity = useIdentity()
  const user = useMemo(
    () => ({ name: identity?.name ?? 'Guest', color: identity?.color ?? '#475569' }),
    [identity?.name, identity?.color],
  )
  const editor = useEditor(
    {
      editable: !session.readOnly,
      extensions: [
        StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] }, link: false }),
        Collaboration.configure({
          document: session.doc,
          ...(fragment ? { fragment } : { field }),
          yUndoOptions: { undoManager: editorUndoManager(session.undoManager) },
        }),
        CollaborationCaret.configure({ provider: session.provider, user }),
      ],
      editorProps: {
        attributes: {
          id,
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelledBy,
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          class: 'rich-text',
          spellcheck: 'true',
        },
      },
    },
    [session, field, fragment, id, user],
  )
  return (
    <div className="rich-editor">
      {editor ? <FormattingToolbar editor={editor} label={label} /> : null}
      <EditorContent editor={editor} className="rich-editor__content" />
    </div>
  )
}
