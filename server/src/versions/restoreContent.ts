import { PLAN_SECTIONS, PlanKeys, RESTORE_NOTE_KEY, type SectionId, sectionField } from '@lever/shared'
import type * as Y from 'yjs'
import { RESTORE_MATCH_BUDGET_MS, syncChildren, syncMap } from './syncTypes.ts'

/** What of a version to bring back: all of it, one initiative, or one prose section. */
export type RestoreScope =
  | { kind: 'all' }
  | { kind: 'initiative'; initiativeId: string }
  | { kind: 'section'; section: SectionId }

/**
 * Meta fields a restore leaves as they are: sharing decides who may read the plan (an access
 * setting, not content), and the layout version belongs to the document, not to a version of it.
 */
const KEEP_META = new Set(['sharedWithCohort', 'schemaVersion', RESTORE_NOTE_KEY])

/**
 * Writes what `target` (a stored version) holds into `live` as forward edits, inside the caller's
 * transaction. Comment threads are left as they are. Returns false when the scope names
 * something the version does not have.
 */
export function restoreInto(live: Y.Doc, target: Y.Doc, scope: RestoreScope): boolean {
  const deadline = performance.now() + RESTORE_MATCH_BUDGET_MS
  if (scope.kind === 'section') {
    syncChildren(
      live.getXmlFragment(sectionField(scope.section)),
      target.getXmlFragment(sectionField(scope.section)),
      deadline,
    )
    return true
  }
  const targetInitiatives = target.getMap<Y.Map<unknown>>(PlanKeys.initiatives)
  const liveInitiatives = live.getMap<Y.Map<unknown>>(PlanKeys.initiatives)
  if (scope.kind === 'initiative') {
    const wanted = targetInitiatives.get(scope.initiativeId)
    if (!wanted) return false
    const current = liveInitiatives.get(scope.initiativeId)
    if (current) syncMap(current, wanted, deadline)
    else liveInitiatives.set(scope.initiativeId, wanted.clone())
    return true
  }
  syncMap(live.getMap(PlanKeys.meta), target.getMap(PlanKeys.meta), deadline, KEEP_META)
  syncMap(live.getMap(PlanKeys.levers), target.getMap(PlanKeys.levers), deadline)
  syncMap(live.getMap(PlanKeys.targetComponents), target.getMap(PlanKeys.targetComponents), deadline)
  syncMap(liveInitiatives as Y.Map<unknown>, targetInitiatives as Y.Map<unknown>, deadline)
  for (const s of PLAN_SECTIONS) {
    syncChildren(live.getXmlFragment(sectionField(s.id)), target.getXmlFragment(sectionField(s.id)), deadline)
  }
  return true
}
