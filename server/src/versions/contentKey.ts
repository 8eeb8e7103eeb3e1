import { createHash } from 'node:crypto'
import * as Y from 'yjs'

/**
 * A short key of a plan's content: a hash of its encoded snapshot (state vector and delete set,
 * which Yjs writes in a fixed order of client ids). Two documents holding the same content have
 * the same key whatever order their updates arrived in, as `Y.equalSnapshots` would say; it lets
 * the database find a version with exactly this content through an index.
 */
export function contentKey(snapshot: Y.Snapshot): string {
  return createHash('sha256').update(Y.encodeSnapshot(snapshot)).digest('base64url')
}
