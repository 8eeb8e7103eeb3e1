import type { PlanExport } from '@lever/shared'
import { type CellValue, initiativesSheet } from './spreadsheetRows.ts'

/**
 * A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage
 * return before one) gets a leading apostrophe, as OWASP recommends for CSV injection. Numbers
 * are written as numbers and never altered.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

function csvField(value: CellValue): string {
  if (value === null) return ''
  if (typeof value === 'number') return String(value)
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : neutraliseFormula(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Rows as RFC 4180 CSV: CRLF line ends, quoted fields where needed, UTF-8 with a byte-order mark. */
export function toCsv(header: string[], rows: CellValue[][]): string {
  const lines = [header.map(csvField), ...rows.map((r) => r.map(csvField))].map((r) => r.join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** The plan's initiatives as CSV. */
export function planCsv(plan: PlanExport): string {
  const sheet = initiativesSheet(plan)
  return toCsv(
    sheet.columns.map((c) => c.header),
    sheet.rows,
  )
}
