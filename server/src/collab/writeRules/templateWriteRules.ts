import { threadAuthorshipRule } from '../threadAuthorship.ts'
import type { WriteRules } from '../updatePolicy.ts'

/**
 * Templates: only facilitators connect read-write (everyone else reads); comments written in a
 * template are held to their authors as in plans.
 */
export const templateWriteRules: WriteRules = {
  always: [threadAuthorshipRule],
}
