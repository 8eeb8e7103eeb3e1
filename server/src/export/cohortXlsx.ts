import type { PlanExport } from '@lever/shared'
import { dateCell, fundingSheet, initiativesSheet, type SheetSpec } from './spreadsheetRows.ts'
import { workbook } from './xlsx.ts'

/**
 * The cohort roll-up workbook: Plans (one row per plan, and a row for each jurisdiction without
 * one), Initiatives and Funding of every plan, each row naming its jurisdiction.
 */
export function cohortXlsx(plans: PlanExport[], jurisdictions: Array<{ id: string; name: string }>): Promise<Buffer> {
  const plansSheet: SheetSpec = {
    name: 'Plans',
    columns: [
      { header: 'Jurisdiction', width: 28, kind: 'text' },
      { header: 'Plan', width: 34, kind: 'text' },
      { header: 'Status', width: 12, kind: 'text' },
      { header: 'Last reviewed', width: 13, kind: 'date' },
      { header: 'Initiatives', width: 11, kind: 'number' },
      { header: 'On track', width: 10, kind: 'number' },
      { header: 'At risk', width: 10, kind: 'number' },
      { header: 'Off track', width: 10, kind: 'number' },
      { header: 'Done', width: 10, kind: 'number' },
      { header: 'Budgeted', width: 16, kind: 'money' },
      { header: 'Obligated', width: 16, kind: 'money' },
      { header: 'Spent', width: 16, kind: 'money' },
      { header: 'SLFRF budgeted', width: 16, kind: 'money' },
      { header: 'SLFRF obligated', width: 16, kind: 'money' },
      { header: 'SLFRF spent', width: 16, kind: 'money' },
      { header: 'Complete (%)', width: 12, kind: 'number' },
    ],
    rows: jurisdictions.flatMap((j) => {
      const mine = plans.filter((p) => p.jurisdiction.id === j.id)
      if (!mine.length)
        return [
          [j.name, 'No plan yet', null, null, 0, null, null, null, null, null, null, null, null, null, null, null],
        ]
      return mine.map((p) => {
        const s = p.summary
        return [
          j.name,
          p.title,
          p.statusLabel,
          dateCell(p.lastReviewed),
          p.initiatives.length,
          s.statusTotals.onTrack ?? 0,
          s.statusTotals.atRisk ?? 0,
          s.statusTotals.offTrack ?? 0,
          s.statusTotals.done ?? 0,
          s.fundingTotal.budgeted,
          s.fundingTotal.obligated,
          s.fundingTotal.spent,
          s.slfrf.budgeted,
          s.slfrf.obligated,
          s.slfrf.spent,
          s.completeness.percent,
        ]
      })
    }),
  }
  const merged = (make: (p: PlanExport) => SheetSpec): SheetSpec => {
    const specs = plans.map(make)
    const first = specs[0] ?? make(emptyPlanLike())
    return { ...first, rows: specs.flatMap((s) => s.rows) }
  }
  return workbook([plansSheet, merged((p) => initiativesSheet(p, true)), merged((p) => fundingSheet(p, true))])
}

/** Column headers only: a plan-shaped value with no initiatives (a cohort without plans). */
function emptyPlanLike(): PlanExport {
  return { initiatives: [], jurisdiction: { name: '' }, title: '', statusLabel: '' } as unknown as PlanExport
}
