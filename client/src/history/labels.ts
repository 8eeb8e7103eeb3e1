import type { VersionSummary } from '@lever/shared'

const KIND_LABELS: Record<VersionSummary['kind'], string> = {
  auto: 'Saved automatically',
  named: 'Named version',
  'before-restore': 'Before a restore',
  event: 'Before an event',
}

/** What a version is called in the list: its name, or what kind of version it is. */
export function versionTitle(v: VersionSummary): string {
  return v.name ?? KIND_LABELS[v.kind]
}

export function kindLabel(v: VersionSummary): string {
  return KIND_LABELS[v.kind]
}

/** "Mar 3, 2026, 2:05 PM" in the reader's time zone. */
export function versionTime(v: VersionSummary): string {
  return new Date(v.createdAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** "Ada and Bo", "Ada, Bo and 2 others", or null when nobody changed anything. */
export function peopleList(people: Array<{ name: string }>): string | null {
  const names = people.map((p) => p.name)
  if (names.length === 0) return null
  if (names.length === 1) return names[0] as string
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} others`
}
