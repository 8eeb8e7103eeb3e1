import { CHECK_INS_KEY, periodOfCheckInKey } from '@lever/shared'
import * as Y from 'yjs'
import { forEachNewDeletion, inspectUpdate, newItems, type Place } from '../collab/updateItems.ts'
import type { UpdatePolicy, UpdateVerdict } from '../collab/updatePolicy.ts'

/**
 * The plan's write rule for check-ins: a change to a check-in of a closed reporting period is
 * refused, whoever sends it (a facilitator reopens the period first). Check-in keys carry their
 * period (`<period>/<initiative>/<field>`), so the rule reads the period from the key of every
 * item the update adds to, or deletes from, the plan's `checkIns` map.
 */
export function closedPeriodRule(isClosed: (period: string) => boolean): UpdatePolicy {
  return ({ doc, update, decoded = Y.decodeUpdate(update) }): UpdateVerdict => {
    const map = doc.share.get(CHECK_INS_KEY)
    const hasCheckIns = map instanceof Y.AbstractType && map._map.size > 0
    // Nothing to look at unless the document has check-ins or the update starts them.
    if (!hasCheckIns && !decoded.structs.some((s) => s instanceof Y.Item && (s.parent as unknown) === CHECK_INS_KEY)) {
      return { kind: 'apply' }
    }
    const inspected = inspectUpdate(doc, decoded)
    const refusal = (place: Place): string | null => {
      if (place.root !== CHECK_INS_KEY) return null
      // Under a nested value, the key in the root map is the outermost ancestor's.
      const key = place.ancestors.length > 0 ? (place.ancestors.at(-1)?.parentSub ?? null) : place.key
      if (key === null) return null
      const period = periodOfCheckInKey(key)
      return period && isClosed(period) ? `the check-ins of ${period} are closed` : null
    }
    for (const item of newItems(inspected)) {
      const reason = refusal(inspected.places.of(item))
      if (reason) return { kind: 'reject', reason }
    }
    const reason = forEachNewDeletion(doc, inspected, (item) => refusal(inspected.places.of(item)))
    return reason ? { kind: 'reject', reason } : { kind: 'apply' }
  }
}

/** Runs policies in order; the first that does not apply an update decides. */
export function allPolicies(...policies: UpdatePolicy[]): UpdatePolicy {
  return (input) => {
    for (const policy of policies) {
      const verdict = policy(input)
      if (verdict.kind !== 'apply') return verdict
    }
    return { kind: 'apply' }
  }
}
