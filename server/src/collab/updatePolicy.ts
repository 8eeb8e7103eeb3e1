import { AccessMode } from '@lever/shared'
import * as Y from 'yjs'
import { commentOnlyVerdict } from './commentOnlyPolicy.ts'

export type UpdateVerdict =
  | { kind: 'apply' }
  /** The update changes nothing the server does not already have: accept it silently. */
  | { kind: 'ignore' }
  | { kind: 'reject'; reason: string }

export interface UpdatePolicyInput {
  mode: AccessMode
  doc: Y.Doc
  update: Uint8Array
}

/** Decides, before an update is applied, whether a connection may make it. */
export type UpdatePolicy = (input: UpdatePolicyInput) => UpdateVerdict

/** True when applying `update` to `doc` would change nothing. */
export function isNoopUpdate(doc: Y.Doc, update: Uint8Array): boolean {
  return Y.snapshotContainsUpdate(Y.snapshot(doc), update)
}

/**
 * Read-write connections may change anything; comment-only ones only comment threads and comment
 * marks; read-only ones only send what the server already has (a read-only client answers the
 * server's sync step 1 with its own state, which is no change).
 */
export const accessModePolicy: UpdatePolicy = ({ mode, doc, update }) => {
  if (mode === AccessMode.ReadWrite) return { kind: 'apply' }
  if (mode === AccessMode.CommentOnly) return commentOnlyVerdict(doc, update)
  if (isNoopUpdate(doc, update)) return { kind: 'ignore' }
  return { kind: 'reject', reason: `a ${mode} connection may not change this document` }
}
