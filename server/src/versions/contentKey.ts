import { createHash } from 'node:crypto'

/**
 * A short key of a plan's content: a hash of its snapshot as `Y.encodeSnapshot` writes it (state
 * vector and delete set, in a fixed order of client ids). Two documents holding the same content have
 * the same key whatever order their updates arrived in, as `Y.equalSnapshots` would say; it lets
 * the database find a version with exactly this content through an index.
 */
export function contentKey(encodedSnapshot: Uint8Array): string {
  return createHash('sha256').update(encodedSnapshot).digest('base64url')
}
