import type { PlanExport } from '@lever/shared'

/**
 * The rows of the plan's spreadsheets, as typed values (numbers, dates, text), shared by the
 * XLSX and CSV renderers and the cohort roll-up.
 */

export type CellValue = string | number | Date | boolean | null

export interface SheetSpec {
  name: string
  columns: Array<{ header: string; width: number; kind: 'text' | 'number' | 'money' | 'date' | 'boolean' }>
  rows: CellValue[][]
}

/** `YYYY-MM-DD` → a Date at UTC midnight (what a spreadsheet shows as that calendar day). */
export function dateCell(iso: string | null): Date | null {
  return iso ? new Date(`${iso}T00:00:00Z`) : null
}

type FundingLine = PlanExport['initiatives'][number]['funding'][number]

/** The latest of the funding lines' dates: by then every dated line is due to be obligated (or spent); null when none has one. */
export function latestDate(lines: FundingLine[], key: 'obligatedBy' | 'spentBy'): string | null {
  return lines.reduce<string | null>((latest, f) => {
    const date = f[key]
    return date !== null && (latest === null || date > latest) ? date : latest
  }, null)
}

export function initiativesSheet(plan: PlanExport, withJurisdiction = false): SheetSpec {
  const lead: SheetSpec['columns'] = withJurisdiction
    ? [
        { header: 'Jurisdiction', width: 26, kind: 'text' },
        { header: 'Plan', width: 30, kind: 'text' },
        { header: 'Plan status', width: 12, kind: 'text' },
      ]
    : []
  return {
    name: 'Initiatives',
    columns: [
      ...lead,
      { header: 'No.', width: 6, kind: 'number' },
      { header: 'Lever', width: 16, kind: 'text' },
      { header: 'Initiative', width: 40, kind: 'text' },
      { header: 'Status', width: 12, kind: 'text' },
      { header: 'Owner', width: 22, kind: 'text' },
      { header: 'Partners', width: 28, kind: 'text' },
      { header: 'Start', width: 12, kind: 'date' },
      { header: 'Due', width: 12, kind: 'date' },
      { header: 'Components', width: 36, kind: 'text' },
      { header: 'Evidence tier', width: 22, kind: 'text' },
      { header: 'Budgeted', width: 15, kind: 'money' },
      { header: 'Obligated', width: 15, kind: 'money' },
      { header: 'Spent', width: 15, kind: 'money' },
      { header: 'Obligated by', width: 12, kind: 'date' },
      { header: 'Spent by', width: 12, kind: 'date' },
      { header: 'Metrics', width: 9, kind: 'number' },
      { header: 'Milestones done', width: 10, kind: 'number' },
      { header: 'Milestones', width: 10, kind: 'number' },
      { header: 'Risks', width: 40, kind: 'text' },
    ],
    rows: plan.initiatives.map((i) => [
      ...(withJurisdiction ? [plan.jurisdiction.name, plan.title, plan.statusLabel] : []),
      i.number,
      i.leverLabel,
      i.title,
      i.statusLabel,
      i.owner,
      i.partners,
      dateCell(i.startDate),
      dateCell(i.dueDate),
      i.componentLabels.join('; '),
      i.evidence.tierLabel,
      // A cleared amount is "not reported", never zero: an empty cell, as in every other format.
      i.totals.budgeted,
      i.totals.obligated,
      i.totals.spent,
      dateCell(latestDate(i.funding, 'obligatedBy')),
      dateCell(latestDate(i.funding, 'spentBy')),
      i.metrics.length,
      i.milestones.filter((m) => m.done).length,
      i.milestones.length,
      i.risks,
    ]),
  }
}

export function milestonesSheet(plan: PlanExport): SheetSpec {
  return {
    name: 'Milestones',
    columns: [
      { header: 'Initiative', width: 40, kind: 'text' },
      { header: 'Milestone', width: 40, kind: 'text' },
      { header: 'Due', width: 12, kind: 'date' },
      { header: 'Done', width: 8, kind: 'boolean' },
    ],
    rows: plan.initiatives.flatMap((i) => i.milestones.map((m) => [i.title, m.title, dateCell(m.dueDate), m.done])),
  }
}

export function fundingSheet(plan: PlanExport, withJurisdiction = false): SheetSpec {
  return {
    name: 'Funding',
    columns: [
      ...(withJurisdiction ? [{ header: 'Jurisdiction', width: 26, kind: 'text' as const }] : []),
      { header: 'Initiative', width: 40, kind: 'text' },
      { header: 'Source', width: 30, kind: 'text' },
      { header: 'Program', width: 26, kind: 'text' },
      { header: 'SLFRF category', width: 34, kind: 'text' },
      { header: 'Budgeted', width: 15, kind: 'money' },
      { header: 'Obligated', width: 15, kind: 'money' },
      { header: 'Obligated by', width: 12, kind: 'date' },
      { header: 'Spent', width: 15, kind: 'money' },
      { header: 'Spent by', width: 12, kind: 'date' },
    ],
    rows: plan.initiatives.flatMap((i) =>
      i.funding.map((f) => [
        ...(withJurisdiction ? [plan.jurisdiction.name] : []),
        i.title,
        f.sourceLabel,
        f.program,
        f.categoryLabel,
        f.budgeted,
        f.obligated,
        dateCell(f.obligatedBy),
        f.spent,
        dateCell(f.spentBy),
      ]),
    ),
  }
}

export function metricsSheet(plan: PlanExport): SheetSpec {
  return {
    name: 'Metrics',
    columns: [
      { header: 'Initiative', width: 40, kind: 'text' },
      { header: 'Metric', width: 36, kind: 'text' },
      { header: 'Type', width: 10, kind: 'text' },
      { header: 'Baseline', width: 18, kind: 'text' },
      { header: 'Target', width: 18, kind: 'text' },
      { header: 'Target date', width: 12, kind: 'date' },
      { header: 'Data source', width: 26, kind: 'text' },
      { header: 'Frequency', width: 12, kind: 'text' },
      { header: 'Disaggregated by', width: 28, kind: 'text' },
    ],
    rows: plan.initiatives.flatMap((i) =>
      i.metrics.map((m) => [
        i.title,
        m.name,
        m.typeLabel,
        m.baseline,
        m.target,
        dateCell(m.targetDate),
        m.dataSource,
        m.frequencyLabel,
        m.disaggregationLabels.join('; '),
      ]),
    ),
  }
}

export function evidenceSheet(plan: PlanExport): SheetSpec {
  return {
    name: 'Evidence',
    columns: [
      { header: 'Initiative', width: 40, kind: 'text' },
      { header: 'Tier', width: 30, kind: 'text' },
      { header: 'Citation', width: 50, kind: 'text' },
      { header: 'Evaluation design', width: 50, kind: 'text' },
    ],
    rows: plan.initiatives.map((i) => [
      i.title,
      i.evidence.tierLabel,
      i.evidence.citation,
      i.evidence.evaluationDesign,
    ]),
  }
}
