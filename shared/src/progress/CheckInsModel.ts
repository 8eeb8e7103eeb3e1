import type * as Y from 'yjs'
import { z } from 'zod'
import { type InitiativeStatus, validated } from '../plan/index.ts'
import { amountSchema, isoDateSchema } from '../plan/schemas.ts'
import { periodIdSchema } from './reporting.ts'

/** The statuses a check-in reports (an initiative that has started). */
export const CHECK_IN_STATUSES = [
  { id: 'onTrack', label: 'On track', symbol: '●' },
  { id: 'atRisk', label: 'At risk', symbol: '▲' },
  { id: 'offTrack', label: 'Off track', symbol: '✕' },
  { id: 'done', label: 'Done', symbol: '✓' },
] as const satisfies ReadonlyArray<{ id: InitiativeStatus; label: string; symbol: string }>
export const checkInStatusSchema = z.enum(['onTrack', 'atRisk', 'offTrack', 'done'])
export type CheckInStatus = z.infer<typeof checkInStatusSchema>

export const CHECK_IN_UPDATE_MAX = 1000
export const checkInUpdateSchema = z
  .string()
  .max(CHECK_IN_UPDATE_MAX, `Keep an update under ${CHECK_IN_UPDATE_MAX} characters`)
export const metricActualSchema = z.object({ value: z.number().finite(), date: isoDateSchema }).strict()
export type MetricActual = z.infer<typeof metricActualSchema>
export const fundingAsOfSchema = z
  .object({ obligated: amountSchema.nullable(), spent: amountSchema.nullable() })
  .strict()
export type FundingAsOf = z.infer<typeof fundingAsOfSchema>

/** One initiative's check-in for one period, as plain values. */
export interface CheckInSnapshot {
  period: string
  initiativeId: string
  status: CheckInStatus | null
  update: string
  /** metricId → the actual value and the date it was measured. */
  metrics: Record<string, MetricActual>
  /** funding line id → obligated and spent as of the period. */
  funding: Record<string, FundingAsOf>
  updatedAt: string | null
  updatedBy: string | null
}

/** The root map of a plan document holding every check-in. */
export const CHECK_INS_KEY = 'checkIns'

/**
 * Check-in keys are flat (`<period>/<initiativeId>/<field>` with plain values) so that two people
 * checking in on the same initiative at once never overwrite each other's fields, and so the
 * server can tell the period of any change from its key alone (closed periods are read-only).
 */
export function checkInKey(period: string, initiativeId: string, field: string): string {
  return `${period}/${initiativeId}/${field}`
}

/** The period a check-in key belongs to, or null when the key is not a check-in key. */
export function periodOfCheckInKey(key: string): string | null {
  const period = key.slice(0, key.indexOf('/'))
  return periodIdSchema.safeParse(period).success ? period : null
}

/** Typed access to the check-ins of one plan document. */
export class CheckInsModel {
  constructor(readonly doc: Y.Doc) {}

  get map(): Y.Map<unknown> {
    return this.doc.getMap(CHECK_INS_KEY)
  }

  private write(period: string, initiativeId: string, by: string | null, change: (map: Y.Map<unknown>) => void): void {
    validated(periodIdSchema, period, 'Reporting period')
    this.doc.transact(() => {
      change(this.map)
      this.map.set(checkInKey(period, initiativeId, 'at'), new Date().toISOString())
      if (by) this.map.set(checkInKey(period, initiativeId, 'by'), by)
    })
  }

  setStatus(period: string, initiativeId: string, status: CheckInStatus | null, by: string | null = null): void {
    const key = checkInKey(period, initiativeId, 'status')
    this.write(period, initiativeId, by, (map) => {
      if (status === null) map.delete(key)
      else map.set(key, validated(checkInStatusSchema, status, 'Check-in status'))
    })
  }

  setUpdate(period: string, initiativeId: string, text: string, by: string | null = null): void {
    const value = validated(checkInUpdateSchema, text, 'Update')
    this.write(period, initiativeId, by, (map) => map.set(checkInKey(period, initiativeId, 'update'), value))
  }

  setMetricActual(
    period: string,
    initiativeId: string,
    metricId: string,
    actual: MetricActual | null,
    by: string | null = null,
  ): void {
    const key = checkInKey(period, initiativeId, `metric:${metricId}`)
    this.write(period, initiativeId, by, (map) => {
      if (actual === null) map.delete(key)
      else map.set(key, validated(metricActualSchema, actual, 'Metric actual'))
    })
  }

  setFundingAsOf(
    period: string,
    initiativeId: string,
    lineId: string,
    amounts: FundingAsOf | null,
    by: string | null = null,
  ): void {
    const key = checkInKey(period, initiativeId, `funding:${lineId}`)
    this.write(period, initiativeId, by, (map) => {
      if (amounts === null) map.delete(key)
      else map.set(key, validated(fundingAsOfSchema, amounts, 'Funding as of the period'))
    })
  }

  /** One initiative's check-in for a period (an empty one when nothing was written). */
  get(period: string, initiativeId: string): CheckInSnapshot {
    return (
      this.list().find((c) => c.period === period && c.initiativeId === initiativeId) ??
      emptyCheckIn(period, initiativeId)
    )
  }

  /** Every check-in of the plan; values that do not validate are left out. */
  list(): CheckInSnapshot[] {
    return readCheckIns(this.map)
  }
}

export function emptyCheckIn(period: string, initiativeId: string): CheckInSnapshot {
  return { period, initiativeId, status: null, update: '', metrics: {}, funding: {}, updatedAt: null, updatedBy: null }
}

/** Groups the flat check-in keys into one snapshot per period and initiative. */
export function readCheckIns(map: Y.Map<unknown>): CheckInSnapshot[] {
  const byEntry = new Map<string, CheckInSnapshot>()
  for (const [key, value] of map) {
    const period = periodOfCheckInKey(key)
    if (!period) continue
    const rest = key.slice(period.length + 1)
    const slash = rest.indexOf('/')
    if (slash <= 0) continue
    const initiativeId = rest.slice(0, slash)
    const field = rest.slice(slash + 1)
    const entryKey = `${period}/${initiativeId}`
    let entry = byEntry.get(entryKey)
    if (!entry) {
      entry = emptyCheckIn(period, initiativeId)
      byEntry.set(entryKey, entry)
    }
    if (field === 'status') {
      const parsed = checkInStatusSchema.safeParse(value)
      if (parsed.success) entry.status = parsed.data
    } else if (field === 'update') {
      if (typeof value === 'string') entry.update = value.slice(0, CHECK_IN_UPDATE_MAX)
    } else if (field === 'at') {
      if (typeof value === 'string') entry.updatedAt = value
    } else if (field === 'by') {
      if (typeof value === 'string') entry.updatedBy = value
    } else if (field.startsWith('metric:')) {
      const parsed = metricActualSchema.safeParse(value)
      if (parsed.success) entry.metrics[field.slice(7)] = parsed.data
    } else if (field.startsWith('funding:')) {
      const parsed = fundingAsOfSchema.safeParse(value)
      if (parsed.success) entry.funding[field.slice(8)] = parsed.data
    }
  }
  return [...byEntry.values()].sort((a, b) =>
    a.period === b.period ? a.initiativeId.localeCompare(b.initiativeId) : a.period.localeCompare(b.period),
  )
}
