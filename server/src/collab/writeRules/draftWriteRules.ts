import type { WriteRules } from '../updatePolicy.ts'

/**
 * Breakout drafts: the group's members (and facilitators) write them while breakouts are open, the
 * others read them. Drafts hold no comments, so a comment-only connection changes nothing.
 */
export const draftWriteRules: WriteRules = {}
