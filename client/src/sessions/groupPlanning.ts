/** Proposals for breakout groups: pure functions the facilitator's buttons apply to the session document. */

export interface Participant {
  id: string
  name: string
  jurisdictionId: string | null
}

export interface PlannedGroup {
  name: string
  memberIds: string[]
}

const byName = (a: Participant, b: Participant) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)

/** One group per jurisdiction of the people chosen (people without one share a group), named after it. */
export function groupsByJurisdiction(
  people: readonly Participant[],
  jurisdictionName: (id: string) => string,
): PlannedGroup[] {
  const buckets = new Map<string, Participant[]>()
  for (const p of people) {
    const key = p.jurisdictionId ?? ''
    buckets.set(key, [...(buckets.get(key) ?? []), p])
  }
  return [...buckets.entries()]
    .map(([key, members]) => ({
      name: key ? jurisdictionName(key) : 'Other participants',
      memberIds: members.sort(byName).map((m) => m.id),
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * `count` groups that mix jurisdictions: people are lined up by jurisdiction and dealt out in
 * turn, so teammates land in different groups and every group gets as many people as the others
 * (give or take one).
 */
/** People per mixed group a facilitator starts from: enough to draft together, few enough to each speak. */
const SUGGESTED_GROUP_SIZE = 4

/** The number of mixed groups suggested for `people` people: groups of about four, one at least. */
export function suggestedGroupCount(people: number): number {
  return Math.min(20, Math.max(1, Math.round(people / SUGGESTED_GROUP_SIZE)))
}

export function mixedGroups(people: readonly Participant[], count: number): PlannedGroup[] {
  const n = Math.max(1, Math.min(Math.floor(count), people.length || 1))
  const lined = [...people].sort(
    (a, b) => (a.jurisdictionId ?? '').localeCompare(b.jurisdictionId ?? '') || byName(a, b),
  )
  const groups: PlannedGroup[] = Array.from({ length: n }, (_, i) => ({ name: `Mixed group ${i + 1}`, memberIds: [] }))
  for (const [i, p] of lined.entries()) groups[i % n]?.memberIds.push(p.id)
  return groups
}
