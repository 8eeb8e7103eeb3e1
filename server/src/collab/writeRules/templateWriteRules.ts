import { threadAuthorshipRule } from '../threadAuthorship.ts'
import type { WriteRules } from '../updatePolicy.ts'
import { isPlanProseRoot } from './planWriteRules.ts'
import { proseShapeRule } from './proseShapeRule.ts'

/**
 * Templates: only facilitators connect read-write (everyone else reads); comments written in a
 * template are held to their authors as in plans, and its prose to the shape editors read.
 */
export const templateWriteRules: WriteRules = {
  always: [threadAuthorshipRule, proseShapeRule(isPlanProseRoot)],
}
