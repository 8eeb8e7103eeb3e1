import { PlanKeys, RESTORE_NOTE_KEY, ThreadLayout } from '@lever/shared'
import { commentOnlyRuleWith, type ThreadAuthorLookup } from '../commentOnlyPolicy.ts'
import { rootKeyOf } from '../updateEffect.ts'
import type { EffectRule, WriteRules } from '../updatePolicy.ts'
import { proseShapeRule } from './proseShapeRule.ts'

/** A plan's root fragments: its sections (initiative descriptions are fragments inside maps). */
export const isPlanProseRoot = (name: string): boolean => name.startsWith('section:')

/**
 * Nothing is written under the plan's old `threads` map: comment threads live in thread
 * documents of their own (one per visibility), so that who reads a thread is decided per thread
 * and not by who reads the plan. Only the server empties it, moving what an old plan held.
 */
export const noThreadsInPlanRule: EffectRule = (effect) => {
  for (const { place } of effect.inserted) {
    if (place.root === ThreadLayout.root)
      return 'may not write comment threads into the plan (they have documents of their own)'
  }
  for (const { place } of effect.deleted) {
    if (place.root === ThreadLayout.root) return 'may not change comment threads in the plan'
  }
  return null
}

/** The note of the last restore is the server's: nobody may write someone else's restore. */
export const restoreNoteRule: EffectRule = (effect) => {
  for (const { place } of [...effect.inserted, ...effect.deleted]) {
    if (place.root !== PlanKeys.meta) continue
    const key = rootKeyOf(place)
    if (key === RESTORE_NOTE_KEY) return 'may not write the note of a restore (the server writes it)'
  }
  return null
}

/**
 * Plans: coaches (comment-only) write comment marks and nothing else, and take off only the marks
 * of their own threads (`authorOf` knows who started a thread); the threads are in thread documents.
 */
export function planWriteRules(authorOf: ThreadAuthorLookup = () => null): WriteRules {
  return {
    commentOnly: commentOnlyRuleWith(authorOf),
    always: [noThreadsInPlanRule, restoreNoteRule, proseShapeRule(isPlanProseRoot)],
  }
}
