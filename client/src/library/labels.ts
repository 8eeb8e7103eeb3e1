import { DEFAULT_LEVERS, EVIDENCE_TIERS, JOB_QUALITY_COMPONENTS, labelOf } from '@lever/shared'

export const leverLabel = (id: string) => labelOf(DEFAULT_LEVERS, id)
export const componentLabel = (id: string) => labelOf(JOB_QUALITY_COMPONENTS, id)
export const tierLabel = (id: string | null) => (id ? labelOf(EVIDENCE_TIERS, id) : '')

/** `2026-11-30` as "Nov 30, 2026" (a calendar date, read in UTC so it never shifts a day). */
export function dateText(isoDate: string): string {
  const d = new Date(isoDate.length === 10 ? `${isoDate}T00:00:00Z` : isoDate)
  if (Number.isNaN(d.getTime())) return isoDate
  return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })
}

/** Comma- or line-separated text as a list of trimmed, distinct items. */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ]
}

/** A file size people read: "12 KB", "3.4 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}
