import { commentOnlyRule } from '../commentOnlyPolicy.ts'
import { threadAuthorshipRule } from '../threadAuthorship.ts'
import type { WriteRules } from '../updatePolicy.ts'

/**
 * Plans: coaches (comment-only) write comment threads and comment marks and nothing else; every
 * comment is written in its sender's name and changed only under the thread authorship rules.
 */
export const planWriteRules: WriteRules = {
  commentOnly: commentOnlyRule,
  always: [threadAuthorshipRule],
}
