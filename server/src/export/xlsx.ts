import type { PlanExport } from '@lever/shared'
import writeXlsxFile, { type Cell, type Sheet } from 'write-excel-file/node'
import { neutraliseFormula } from './csv.ts'
import {
  evidenceSheet,
  fundingSheet,
  initiativesSheet,
  metricsSheet,
  milestonesSheet,
  type SheetSpec,
} from './spreadsheetRows.ts'

const MONEY_FORMAT = '"$"#,##0.00'
const DATE_FORMAT = 'yyyy-mm-dd'

function cellOf(value: SheetSpec['rows'][number][number], kind: SheetSpec['columns'][number]['kind']): Cell {
  if (value === null) return null
  if (typeof value === 'number') return { value, type: Number, format: kind === 'money' ? MONEY_FORMAT : undefined }
  if (value instanceof Date) return { value, type: Date, format: DATE_FORMAT }
  if (typeof value === 'boolean') return { value, type: Boolean }
  // Strings are written as strings (never formulas); the apostrophe also keeps them from being
  // read as formulas when the sheet is saved again as CSV or pasted elsewhere.
  return { value: neutraliseFormula(value), type: String, wrap: value.length > 60 }
}

/** A sheet of typed cells with a bold, frozen header row and set column widths. */
export function toSheet(spec: SheetSpec): Sheet<Buffer> {
  const header: Cell[] = spec.columns.map((c) => ({ value: c.header, type: String, fontWeight: 'bold', wrap: true }))
  return {
    sheet: spec.name,
    data: [header, ...spec.rows.map((row) => row.map((v, i) => cellOf(v, spec.columns[i]?.kind ?? 'text')))],
    columns: spec.columns.map((c) => ({ width: c.width })),
    stickyRowsCount: 1,
  }
}

/** Writes sheets into one .xlsx file. */
export async function workbook(specs: SheetSpec[]): Promise<Buffer> {
  return writeXlsxFile(specs.map(toSheet), { fontFamily: 'Calibri', fontSize: 11 }).toBuffer()
}

/** The plan as a workbook: Initiatives, Milestones, Funding, Metrics, Evidence. */
export function planXlsx(plan: PlanExport): Promise<Buffer> {
  return workbook([
    initiativesSheet(plan),
    milestonesSheet(plan),
    fundingSheet(plan),
    metricsSheet(plan),
    evidenceSheet(plan),
  ])
}
