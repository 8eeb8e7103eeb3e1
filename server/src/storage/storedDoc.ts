import * as Y from 'yjs'
import type { DocStore } from './DocStore.ts'

/**
 * A document as stored, in a Y.Doc of its own (for documents whose room is not in memory):
 * empty when the store has nothing of it. The caller destroys it.
 */
export async function loadStoredDoc(store: DocStore, docName: string): Promise<Y.Doc> {
  const stored = await store.load(docName)
  // Named by the document (a new Y.Doc otherwise makes a random id nobody reads).
  const doc = new Y.Doc({ guid: docName })
  Y.transact(doc, () => {
    for (const update of stored.updates) Y.applyUpdate(doc, update)
  })
  return doc
}
