import Collaboration from '@tiptap/extension-collaboration'
import { EditorContent, useEditor } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { useMemo } from 'react'
import { useIdentity } from '../app/identity.ts'
import type { DocSession } from '../collab/DocSession.ts'
import { currentPresenceUser } from '../collab/presenceColor.ts'
import { RemoteCarets } from '../collab/remoteCarets.ts'
import { editorUndo } from '../collab/undo.ts'
import { FormattingToolbar } from '../plan/FormattingToolbar.tsx'

/**
 * The group's shared prose: a Tiptap editor on the draft's `prose` fragment, with the others'
 * named carets. It turns read-only when the person may no longer write.
 */
export function DraftProseEditor({
  session,
  field,
  id,
  labelledBy,
  describedBy,
}: {
  session: DocSession
  field: string
  id: string
  labelledBy: string
  describedBy?: string
}) {
  const identity = useIdentity()
  // What the caret extension writes into presence when the editor starts: the person as shown in
  // this document already (their colour here is chosen among the people present).
  const user = useMemo(
    () =>
      currentPresenceUser(session.provider.awareness, {
        name: identity?.name ?? 'Guest',
        color: identity?.color ?? '#475569',
        id: identity?.userId ?? '',
      }),
    [session, identity?.name, identity?.color, identity?.userId],
  )
  const readOnly = session.readOnly
  // Made at every render but used only when the editor is (re)created, with its own gate.
  const undo = session.undoManager ? editorUndo(session.undoManager) : null
  const editor = useEditor(
    {
      editable: !readOnly,
      extensions: [
        StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] }, link: false }),
        Collaboration.configure({
          document: session.doc,
          field,
          ...(undo ? { yUndoOptions: { undoManager: undo.undoManager } } : {}),
        }),
        ...(undo ? [undo.grouping] : []),
        RemoteCarets.configure({ provider: session.provider, user }),
      ],
      editorProps: {
        attributes: {
          id,
          role: 'textbox',
          'aria-multiline': 'true',
          ...(readOnly ? { 'aria-readonly': 'true' } : {}),
          'aria-labelledby': labelledBy,
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          class: 'rich-text',
          spellcheck: 'true',
        },
      },
    },
    // A change of access makes a new editor (rare: breakouts opening or closing).
    [session, field, id, user, readOnly],
  )
  return (
    <div className={`rich-editor${readOnly ? ' rich-editor--read-only' : ''}`}>
      {editor && !readOnly ? <FormattingToolbar editor={editor} label="Draft text" /> : null}
      <EditorContent editor={editor} className="rich-editor__content" />
    </div>
  )
}
