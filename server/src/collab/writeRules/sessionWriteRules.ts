import type { WriteRules } from '../updatePolicy.ts'

/**
 * Session documents: facilitators write them (read-write), everyone else reads them. They hold no
 * comments, so there is nothing a comment-only connection may change and no authorship to keep.
 */
export const sessionWriteRules: WriteRules = {}
