import * as Y from 'yjs'
import type { DocStore } from './DocStore.ts'
import { applyStoredLog } from './joinTyping.ts'

/**
 * A document as stored, in a Y.Doc of its own (for documents whose room is not in memory):
 * empty when the store has nothing of it. The caller destroys it.
 */
export async function loadStoredDoc(store: DocStore, docName: string): Promise<Y.Doc> {
  const stored = await store.load(docName)
  // Named by the document (a new Y.Doc otherwise makes a random id nobody reads).
  const doc = new Y.Doc({ guid: docName })
  applyStoredLog(doc, stored.updates)
  return doc
}
