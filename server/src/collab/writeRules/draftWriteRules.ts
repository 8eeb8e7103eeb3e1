import { DraftKeys } from '@lever/shared'
import type { WriteRules } from '../updatePolicy.ts'
import { proseShapeRule } from './proseShapeRule.ts'

/**
 * Breakout drafts: the group's members (and facilitators) write them while breakouts are open, the
 * others read them. Drafts hold no comments, so a comment-only connection changes nothing; their
 * prose keeps the shape editors read.
 */
export const draftWriteRules: WriteRules = {
  always: [proseShapeRule((name) => name === DraftKeys.prose)],
}
