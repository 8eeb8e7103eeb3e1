/**
 * The transaction origin of every change this browser makes outside a Tiptap editor (Tiptap's
 * binding uses its own, ySyncPluginKey). The undo manager tracks exactly these two, so remote
 * changes, which arrive with the provider as origin, are never undone by someone else.
 */
export const LOCAL_ORIGIN: { readonly name: string } = Object.freeze({ name: 'lever-local-edit' })
