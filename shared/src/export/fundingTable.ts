import { formatDate, formatMoney } from './format.ts'
import type { InitiativeExport } from './PlanExport.ts'

/**
 * One initiative's funding as a table of plain-text cells, the same in every format that prints
 * one (the Word document, the briefing book and its PDF, the Markdown file): each renderer only
 * escapes the cells for its own syntax. The last row is the total; an amount no line reports is
 * an empty cell there as on its lines, never "$0.00".
 */
export interface FundingTable {
  head: string[]
  rows: string[][]
}

export function fundingTable(i: InitiativeExport): FundingTable {
  return {
    head: ['Source', 'Program or category', 'Budgeted', 'Obligated', 'Obligated by', 'Spent', 'Spent by'],
    rows: [
      ...i.funding.map((f) => [
        f.sourceLabel || 'Source not set',
        [f.program, f.categoryLabel].filter(Boolean).join(' · '),
        formatMoney(f.budgeted),
        formatMoney(f.obligated),
        formatDate(f.obligatedBy),
        formatMoney(f.spent),
        formatDate(f.spentBy),
      ]),
      [
        'Total',
        '',
        formatMoney(i.totals.budgeted),
        formatMoney(i.totals.obligated),
        '',
        formatMoney(i.totals.spent),
        '',
      ],
    ],
  }
}
