import type { Editor } from '@tiptap/core'
import Collaboration from '@tiptap/extension-collaboration'
import { EditorContent, useEditor, useEditorState } from '@tiptap/react'
import StarterKit from '@tiptap/starter-kit'
import { useEffect, useMemo, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { useIdentity } from '../app/identity.ts'
import { currentPresenceUser } from '../collab/presenceColor.ts'
import { RemoteCarets } from '../collab/remoteCarets.ts'
import { editorUndo } from '../collab/undo.ts'
import { useOptionalComments } from '../comments/CommentsContext.tsx'
import { CommentMark } from '../comments/commentMark.ts'
import { commentFromEditor, threadsAt } from '../comments/editorCommands.ts'
import { CommentPaste, DraftHighlight, draftHighlightKey, ViewOnlyEditing } from '../comments/editorExtensions.ts'
import { FormattingToolbar, type Tool } from './FormattingToolbar.tsx'
import { usePlanSession } from './PlanContext.tsx'

/**
 * A Tiptap editor on one prose field of the plan's Y.Doc: a top-level section (`field`) or an
 * initiative's description (`fragment`). Edits go through the plan's one undo manager; others'
 * carets show with their name and colour. Words can be commented on (`anchorField` names the
 * field in comment anchors); people who may only comment select text but cannot change it.
 */
export function RichTextEditor({
  id,
  field,
  fragment,
  anchorField,
  labelledBy,
  describedBy,
  label,
}: {
  /** id of the editable element (focus target). */
  id: string
  field?: string
  fragment?: Y.XmlFragment
  /** `section:<id>` or `initiative:<id>:description`. */
  anchorField: string
  labelledBy: string
  describedBy?: string
  /** Short name for the toolbar's label, e.g. "Problem and baseline". */
  label: string
}) {
  const session = usePlanSession()
  const identity = useIdentity()
  const comments = useOptionalComments()
  const commentsRef = useRef(comments)
  commentsRef.current = comments
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
  const yFragment = useMemo(
    () => fragment ?? session.doc.getXmlFragment(field ?? 'default'),
    [fragment, field, session],
  )
  const target = useMemo(() => ({ field: anchorField, fragment: yFragment, label }), [anchorField, yFragment, label])
  const targetRef = useRef(target)
  targetRef.current = target
  const canComment = session.canComment
  const viewOnly = session.readOnly
  // Made at every render but used only when the editor is (re)created, with its own gate.
  const undo = editorUndo(session.undoManager)

  const editor = useEditor(
    {
      // People who may comment select text (with the keyboard too), so their editor stays focusable.
      editable: !viewOnly || canComment,
      extensions: [
        StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] }, link: false }),
        CommentMark,
        CommentPaste.configure({ isKnownThread: (threadId) => session.findThread(threadId) !== null }),
        DraftHighlight.configure({
          range: () => {
            const draft = commentsRef.current?.draft
            return draft?.kind === 'text' && draft.field === targetRef.current.field ? draft.pinned : null
          },
        }),
        Collaboration.configure({
          document: session.doc,
          ...(fragment ? { fragment } : { field }),
          yUndoOptions: { undoManager: undo.undoManager },
        }),
        undo.grouping,
        RemoteCarets.configure({ provider: session.provider, user }),
        ...(viewOnly ? [ViewOnlyEditing] : []),
      ],
      editorProps: {
        attributes: {
          id,
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelledBy,
          ...(describedBy ? { 'aria-describedby': describedBy } : {}),
          ...(viewOnly ? { 'aria-readonly': 'true' } : {}),
          class: viewOnly ? 'rich-text rich-text--view-only' : 'rich-text',
          spellcheck: viewOnly ? 'false' : 'true',
        },
        handleClick: (view, pos) => {
          const here = threadsAt(view.state, pos)
          const current = commentsRef.current
          const known = here.filter((threadId) => current?.views.some((v) => v.thread.id === threadId))
          if (current && known.length > 0) current.activate(known.at(-1) ?? null, { reveal: 'card' })
          return false
        },
      },
      onSelectionUpdate: ({ editor: e }) => {
        if (!e.state.selection.empty) commentsRef.current?.noteSelection(targetRef.current.field)
      },
    },
    [session, field, fragment, id, user],
  )

  // Redraw the highlight of the words a comment is being written about when that changes.
  const draft = comments?.draft ?? null
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(draftHighlightKey, draft))
  }, [editor, draft])

  const register = comments?.registerEditor
  useEffect(() => {
    if (!editor || !register) return
    return register({ field: target.field, editor, fragment: target.fragment })
  }, [editor, register, target])

  // What the Comment button has to say when it cannot comment (nothing selected), for a moment.
  const [hint, setHint] = useState<string | null>(null)
  useEffect(() => {
    if (!hint) return
    const timer = window.setTimeout(() => setHint(null), 5000)
    return () => window.clearTimeout(timer)
  }, [hint])
  const comment = () => {
    const current = commentsRef.current
    if (editor && current) setHint(commentFromEditor(editor, targetRef.current, current))
  }
  const commentTools = useCommentTools(editor, canComment, comment)

  return (
    <div className={`rich-editor${viewOnly ? ' rich-editor--view-only' : ''}`}>
      {editor && (!viewOnly || canComment) ? (
        <FormattingToolbar editor={editor} label={label} formatting={!viewOnly} extra={commentTools} />
      ) : null}
      <EditorContent
        editor={editor}
        className="rich-editor__content"
        onKeyDown={(e) => {
          // Ctrl+Alt+M comments on the selection (as in other word processors).
          if (canComment && e.altKey && (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'm') {
            e.preventDefault()
            comment()
          }
        }}
      />
      {canComment ? (
        <p className="rich-editor__hint" role="status">
          {hint}
        </p>
      ) : null}
    </div>
  )
}

/** The Comment button: "Comment" on a selection, "Show comment" with the caret in commented words. */
function useCommentTools(editor: Editor | null, canComment: boolean, run: () => void): Tool[] {
  const inComment = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e?.state.selection.empty ? threadsAt(e.state, e.state.selection.from).length > 0 : false,
  })
  if (!canComment) return []
  return [
    {
      key: 'comment',
      label: inComment ? 'Show comment' : 'Comment',
      text: inComment ? 'Show comment' : 'Comment',
      shortcut: 'Control+Alt+M',
      isActive: () => false,
      run,
      action: true,
    },
  ]
}
