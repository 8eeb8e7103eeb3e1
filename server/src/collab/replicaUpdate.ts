import * as Y from 'yjs'

/**
 * What a client holding a copy of `doc` sends after making `change` on it: the update since its
 * copy was in sync. For tests of what the server accepts.
 */
export function replicaUpdate(doc: Y.Doc, change: (replica: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(replica)
  change(replica)
  return Y.encodeStateAsUpdate(replica, before)
}
