import { CHECK_INS_KEY, periodOfCheckInKey } from '@lever/shared'
import { type Place, rootKeyOf } from '../collab/updateEffect.ts'
import type { EffectRule } from '../collab/updatePolicy.ts'

/**
 * The plan's write rule for check-ins: a change to a check-in of a closed reporting period is
 * refused, whoever sends it (a facilitator reopens the period first). Check-in keys carry their
 * period (`<period>/<initiative>/<field>`), so the rule reads the period from the key, in the
 * plan's `checkIns` map, of every item the update really inserts or deletes (its effect, as Yjs
 * will integrate it: map-key replacements count as deletions).
 */
export function closedPeriodRule(isClosed: (period: string) => boolean): EffectRule {
  const refusal = (place: Place): string | null => {
    if (place.root !== CHECK_INS_KEY) return null
    const key = rootKeyOf(place)
    if (key === null) return null
    const period = periodOfCheckInKey(key)
    return period && isClosed(period) ? `the check-ins of ${period} are closed` : null
  }
  return (effect) => {
    for (const { place } of effect.inserted) {
      const reason = refusal(place)
      if (reason) return reason
    }
    for (const { place } of effect.deleted) {
      const reason = refusal(place)
      if (reason) return reason
    }
    return null
  }
}
