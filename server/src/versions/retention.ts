import type { VersionKind } from '@lever/shared'

const DAY = 24 * 60 * 60 * 1000

/** How automatic versions are thinned with age (named ones are kept forever). */
export interface RetentionPolicy {
  /** Every automatic version younger than this is kept. */
  keepAllMs: number
  /** Between `keepAllMs` and this age, the newest automatic version of each day is kept; older, of each week. */
  keepDailyMs: number
}

export const defaultRetention: RetentionPolicy = { keepAllMs: 14 * DAY, keepDailyMs: 90 * DAY }

/**
 * Stored (compressed) bytes of versions one plan keeps at most, by default
 * (`VERSIONS_MAX_BYTES_PER_PLAN`; see `VersionStore.makeRoom`): a large plan is well under 1 MB
 * compressed, so this holds hundreds of its versions.
 */
export const DEFAULT_MAX_VERSION_BYTES_PER_PLAN = 256 * 1024 * 1024

/**
 * The automatic versions to delete: all are kept for `keepAllMs`, then the newest of each UTC
 * day until `keepDailyMs`, then the newest of each week. Only `auto` versions are ever chosen;
 * named, before-restore and event versions stay.
 */
export function versionsToThin(
  versions: ReadonlyArray<{ id: string; kind: VersionKind; createdAt: number }>,
  now: number,
  policy: RetentionPolicy = defaultRetention,
): Set<string> {
  const drop = new Set<string>()
  const keptBucket = new Set<string>()
  const newestFirst = [...versions].sort((a, b) => b.createdAt - a.createdAt)
  for (const v of newestFirst) {
    if (v.kind !== 'auto') continue
    const age = now - v.createdAt
    if (age < policy.keepAllMs) continue
    const day = Math.floor(v.createdAt / DAY)
    const bucket = age < policy.keepDailyMs ? `d${day}` : `w${Math.floor((day + 3) / 7)}`
    if (keptBucket.has(bucket)) drop.add(v.id)
    else keptBucket.add(bucket)
  }
  return drop
}
