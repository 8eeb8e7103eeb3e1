import { ThreadLayout } from '@lever/shared'
import { threadAuthorshipRule } from '../threadAuthorship.ts'
import type { EffectRule, WriteRules } from '../updatePolicy.ts'

/** A thread document holds comment threads under `ThreadLayout.root` and nothing else. */
export const onlyThreadsRule: EffectRule = (effect) => {
  for (const { place } of [...effect.inserted, ...effect.deleted]) {
    if (place.root !== ThreadLayout.root || (place.ancestors.length === 0 && place.key === null)) {
      return 'may only write comment threads in a thread document'
    }
  }
  return null
}

/**
 * Thread documents (`plan-threads-team:<planId>`, `plan-threads-all:<planId>`): those who may
 * comment on the plan connect read-write, and every change keeps the threads' authorship rules
 * (threads and comments in one's own name, only authors edit or delete their comments, reactions
 * one's own, facilitators moderate). Readers of the plan connect read-only to the threads for everyone.
 */
export const threadWriteRules: WriteRules = {
  always: [onlyThreadsRule, threadAuthorshipRule],
}
