import * as Y from 'yjs'

/** The document's item holding `id`, or null (not in the document, or collected). */
export function itemAt(doc: Y.Doc, id: Y.ID): Y.Item | null {
  const structs = doc.store.clients.get(id.client)
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return null
  const found = structs[Y.findIndexSS(structs, id.clock)]
  return found instanceof Y.Item ? found : null
}
