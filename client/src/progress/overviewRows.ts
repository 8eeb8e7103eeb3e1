import {
  INITIATIVE_STATUSES,
  type InitiativeStatus,
  JOB_QUALITY_COMPONENTS,
  type OverviewJurisdiction,
  type OverviewPlan,
  type PlanStatus,
} from '@lever/shared'

/** One row of the cohort overview: a jurisdiction with its plans' figures added up. */
export interface OverviewRow {
  id: string
  name: string
  /** The plan the row opens: the one changed last. */
  mainPlan: OverviewPlan | null
  planCount: number
  status: PlanStatus | null
  initiatives: Record<InitiativeStatus, number>
  initiativeTotal: number
  budgeted: number
  obligated: number
  spent: number
  components: Record<string, number>
  /** Components with at least one initiative. */
  covered: number
  warnings: number
  checkInsDue: number
  checkInsDone: number
  updatedAt: string | null
}

export function overviewRows(jurisdictions: OverviewJurisdiction[]): OverviewRow[] {
  return jurisdictions.map((j) => {
    const plans = j.plans
    const mainPlan = [...plans].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0] ?? null
    const initiatives = Object.fromEntries(
      INITIATIVE_STATUSES.map((s) => [s.id, plans.reduce((n, p) => n + p.initiatives[s.id], 0)]),
    ) as Record<InitiativeStatus, number>
    const components = Object.fromEntries(
      JOB_QUALITY_COMPONENTS.map((c) => [c.id, plans.reduce((n, p) => n + p.components[c.id], 0)]),
    )
    const sum = (f: (p: OverviewPlan) => number) => Math.round(plans.reduce((n, p) => n + f(p), 0) * 100) / 100
    return {
      id: j.id,
      name: j.name,
      mainPlan,
      planCount: plans.length,
      status: mainPlan?.status ?? null,
      initiatives,
      initiativeTotal: Object.values(initiatives).reduce((a, b) => a + b, 0),
      budgeted: sum((p) => p.funding.budgeted),
      obligated: sum((p) => p.funding.obligated),
      spent: sum((p) => p.funding.spent),
      components,
      covered: Object.values(components).filter((n) => n > 0).length,
      warnings: sum((p) => p.warnings),
      checkInsDue: sum((p) => p.checkIns.due),
      checkInsDone: sum((p) => p.checkIns.done),
      updatedAt: mainPlan?.updatedAt ?? null,
    }
  })
}

export type SortKey =
  | 'name'
  | 'status'
  | 'initiativeTotal'
  | 'budgeted'
  | 'obligated'
  | 'spent'
  | 'covered'
  | 'warnings'
  | 'checkIns'
  | 'updatedAt'

const STATUS_ORDER: Record<string, number> = { draft: 0, inReview: 1, adopted: 2, archived: 3 }

function sortValue(row: OverviewRow, key: SortKey): number | string {
  switch (key) {
    case 'name':
      return row.name.toLowerCase()
    case 'status':
      return row.status === null ? -1 : (STATUS_ORDER[row.status] ?? 9)
    case 'checkIns':
      return row.checkInsDue === 0 ? 1 : row.checkInsDone / row.checkInsDue
    case 'updatedAt':
      return row.updatedAt ?? ''
    default:
      return row[key]
  }
}

export function sortRows(rows: OverviewRow[], key: SortKey, direction: 'ascending' | 'descending'): OverviewRow[] {
  const sign = direction === 'ascending' ? 1 : -1
  return [...rows].sort((a, b) => {
    const va = sortValue(a, key)
    const vb = sortValue(b, key)
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))
    return c === 0 ? a.name.localeCompare(b.name) : sign * c
  })
}

export interface OverviewFilter {
  query: string
  status: PlanStatus | '' | 'none'
  withWarnings: boolean
  checkInsMissing: boolean
}

export function filterRows(rows: OverviewRow[], f: OverviewFilter): OverviewRow[] {
  const q = f.query.trim().toLowerCase()
  return rows.filter(
    (r) =>
      (q === '' || r.name.toLowerCase().includes(q) || (r.mainPlan?.title.toLowerCase().includes(q) ?? false)) &&
      (f.status === '' || (f.status === 'none' ? r.status === null : r.status === f.status)) &&
      (!f.withWarnings || r.warnings > 0) &&
      (!f.checkInsMissing || r.checkInsDone < r.checkInsDue),
  )
}
