import { AccessMode, CloseCode } from '@lever/shared'
import * as Y from 'yjs'
import type { ConnectionIdentity } from './Connection.ts'
import { type DecodedUpdate, readUpdateEffect, type StructuralProblem, type UpdateEffect } from './updateEffect.ts'

export type UpdateVerdict =
  | { kind: 'apply' }
  /** The update changes nothing the server does not already have: accept it silently. */
  | { kind: 'ignore' }
  /** Refused: nothing of it is applied; the sender is closed with `closeCode` (WriteNotAllowed when absent). */
  | { kind: 'reject'; reason: string; closeCode?: number }

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

/** Who makes a change, as the write rules see them. */
export interface Writer {
  /** Null for connections without a signed-in person (tools, tests). */
  userId: string | null
  name: string
  /** A facilitator: may change anyone's comments. */
  moderator: boolean
}

/** A write rule: the reason the effect of an update is refused, or null. */
export type EffectRule = (effect: UpdateEffect, writer: Writer) => string | null

/**
 * The write rules of one document kind. Each kind declares its own (see `DocumentType.writeRules`);
 * the policy of a kind is `policyFor(rules)`.
 */
export interface WriteRules {
  /** What a comment-only connection may change; without it, a comment-only connection changes nothing. */
  commentOnly?: EffectRule
  /** Rules every change keeps, whoever makes it (comment authorship, …). */
  always?: readonly EffectRule[]
}

/** Close codes of updates refused for their structure rather than for what they change. */
const STRUCTURAL_CLOSE: Record<StructuralProblem, number> = {
  missing: CloseCode.MissingDependencies,
  overlap: CloseCode.UpdateOverlapsState,
  malformed: CloseCode.UnintegrableUpdate,
}

/**
 * The policy of a document kind: an update is read for its real effect (see `updateEffect.ts`);
 * one Yjs could not integrate completely is refused with a structural close code; then read-only
 * connections may change nothing, comment-only ones what `rules.commentOnly` allows, and every
 * change keeps `rules.always`.
 */
export function policyFor(rules: WriteRules): UpdatePolicy {
  return ({ mode, doc, update, decoded = Y.decodeUpdate(update), identity }) => {
    const result = readUpdateEffect(doc, update, decoded)
    if (!result.ok) {
      const { problem, reason } = result.refusal
      return { kind: 'reject', reason, closeCode: STRUCTURAL_CLOSE[problem] }
    }
    const { effect } = result
    if (!effect.changes) return { kind: 'ignore' }
    if (mode === AccessMode.ReadOnly) return refuse(`a ${mode} connection may not change this document`)
    const writer: Writer = { userId: identity.userId, name: identity.name, moderator: identity.moderator === true }
    if (mode === AccessMode.CommentOnly) {
      const reason = rules.commentOnly ? rules.commentOnly(effect, writer) : 'may not change this document'
      if (reason !== null) return refuse(`a comment-only connection ${reason}`)
    }
    for (const rule of rules.always ?? []) {
      const reason = rule(effect, writer)
      if (reason !== null) return refuse(reason)
    }
    return { kind: 'apply' }
  }
}

function refuse(reason: string): UpdateVerdict {
  return { kind: 'reject', reason, closeCode: CloseCode.WriteNotAllowed }
}

/** The policy of a kind without rules of its own: read-write changes anything, the others nothing. */
export const accessModePolicy: UpdatePolicy = policyFor({})
