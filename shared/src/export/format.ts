/** Formatting shared by every export format, so a PDF and a Word file say the same thing. */

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 2 })
const longDate = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })

/** `$1,234.50`; an empty string for no amount. */
export function formatMoney(amount: number | null): string {
  return amount === null ? '' : money.format(amount)
}

/** `2024-12-31` → `December 31, 2024`; an empty string for no date. */
export function formatDate(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(`${iso}T00:00:00Z`)
  return Number.isNaN(d.getTime()) ? iso : longDate.format(d)
}

/** A date range for people: `March 1, 2024 – June 30, 2025`, or whichever end is known. */
export function formatDateRange(start: string | null, end: string | null): string {
  if (start && end) return `${formatDate(start)} – ${formatDate(end)}`
  if (start) return `from ${formatDate(start)}`
  if (end) return `due ${formatDate(end)}`
  return ''
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A link target kept in an export: web and mail links only (no `javascript:`, no files). */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null
  return /^(https?:|mailto:)/i.test(href.trim()) ? href.trim() : null
}
