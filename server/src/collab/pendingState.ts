import type * as Y from 'yjs'
import type { Logger } from '../logger.ts'

/**
 * True when Yjs keeps structs or deletes of `doc` pending (waiting for changes it does not have).
 * The update policy refuses every update that would, so after an accepted update this is a bug.
 */
export function leftPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null
}

/**
 * Drops pending structs and deletes of `doc` (left by a log an older server stored, which accepted
 * updates with missing dependencies), so they cannot integrate later behind the update policy.
 */
export function discardPending(doc: Y.Doc, log: Logger): void {
  if (!leftPending(doc)) return
  log.warn('dropping pending changes left in the document by an older server')
  doc.store.pendingStructs = null
  doc.store.pendingDs = null
}
