import { AccessMode } from '@lever/shared'
import * as Y from 'yjs'
import type { ConnectionIdentity } from './Connection.ts'
import { commentOnlyVerdict } from './commentOnlyPolicy.ts'
import { threadAuthorshipVerdict } from './threadAuthorship.ts'
import { type DecodedUpdate, type InspectedUpdate, inspectUpdate } from './updateItems.ts'

export type UpdateVerdict =
  | { kind: 'apply' }
  /** The update changes nothing the server does not already have: accept it silently. */
  | { kind: 'ignore' }
  | { kind: 'reject'; reason: string }

export interface UpdatePolicyInput {
  mode: AccessMode
  doc: Y.Doc
  update: Uint8Array
  /** `update`, decoded (the room decodes every update before anything else). */
  decoded?: DecodedUpdate
  /** Who sent it. */
  identity: ConnectionIdentity
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
 * server's sync step 1 with its own state, which is no change). Whoever writes, comments are
 * written in the sender's own name and changed only by their authors (or a facilitator).
 */
export const accessModePolicy: UpdatePolicy = ({ mode, doc, update, decoded = Y.decodeUpdate(update), identity }) => {
  if (mode === AccessMode.ReadOnly) {
    if (isNoopUpdate(doc, update)) return { kind: 'ignore' }
    return { kind: 'reject', reason: `a ${mode} connection may not change this document` }
  }
  // The update is read against the document once, and only when a check needs it.
  let inspected: InspectedUpdate | undefined
  const inspect = () => {
    inspected ??= inspectUpdate(doc, decoded)
    return inspected
  }
  if (mode === AccessMode.CommentOnly) {
    const verdict = commentOnlyVerdict(doc, update, inspect())
    if (verdict.kind !== 'apply') return verdict
  }
  if (identity.userId === null || identity.moderator) return { kind: 'apply' }
  return threadAuthorshipVerdict(doc, update, { userId: identity.userId, moderator: false }, inspect())
}
