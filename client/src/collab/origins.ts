/**
 * The transaction origin of every change this browser makes outside a Tiptap editor (Tiptap's
 * binding uses its own, ySyncPluginKey). The undo manager tracks exactly these two, so remote
 * changes, which arrive with the provider as origin, are never undone by someone else.
 */
export const LOCAL_ORIGIN: { readonly name: string } = Object.freeze({ name: 'lever-local-edit' })

/**
 * The origin of comment changes (threads, replies, comment marks). The undo manager does not
 * track it: a conversation is changed by its own controls (edit, delete, resolve, reopen), so
 * Ctrl+Z only ever undoes edits to the plan. Undoing the deletion of commented words still
 * brings their comment mark back, as the mark is part of what the deletion removed.
 */
export const COMMENT_ORIGIN: { readonly name: string } = Object.freeze({ name: 'lever-comment' })
