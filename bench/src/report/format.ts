import type { FigureSpec } from '../results.ts'
import type { Summary } from '../stats.ts'

/** A number with the figure's precision, or "n/a". */
export function formatNumber(value: number, decimals: number): string {
  if (value === Number.POSITIVE_INFINITY) return '∞'
  if (!Number.isFinite(value)) return 'n/a'
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

/** "median (min–max)", or just the value when there is no spread to show. */
export function formatSummary(summary: Summary | undefined, figure: FigureSpec): string {
  if (!summary || Number.isNaN(summary.median)) return 'n/a'
  const median = formatNumber(summary.median, figure.decimals)
  const valid = summary.runs.filter((v) => !Number.isNaN(v))
  if (valid.length < 2) return median
  return `${median} (${formatNumber(summary.min, figure.decimals)}–${formatNumber(summary.max, figure.decimals)})`
}

/** Lever's median divided by the peer's, e.g. "0.52×"; "–" when it means nothing. */
export function formatRatio(lever: Summary | undefined, peer: Summary | undefined): string {
  if (!lever || !peer) return '–'
  const a = lever.median
  const b = peer.median
  if (!Number.isFinite(a) || !Number.isFinite(b)) return '–'
  if (b === 0) return a === 0 ? '1.00×' : '–'
  const ratio = a / b
  const digits = ratio >= 100 ? 0 : 2
  return `${ratio.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}×`
}

/**
 * A Markdown table with its columns padded to equal width, the way the repository's formatter
 * (Biome) writes tables, so the generated report passes `pnpm lint` as it is.
 */
export function markdownTable(header: string[], rows: string[][]): string[] {
  const width = (cell: string) => [...cell].length
  const widths = header.map((h, i) => Math.max(3, width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const line = (cells: string[]) =>
    `| ${widths.map((w, i) => (cells[i] ?? '') + ' '.repeat(w - width(cells[i] ?? ''))).join(' | ')} |`
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)]
}
