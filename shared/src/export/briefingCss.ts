/**
 * The briefing book's stylesheet, screen and print: Letter pages, one initiative per page, tables
 * that wrap instead of running off the page. Every rule is scoped to `.bb` so the app's print view
 * can load it beside the app's own styles.
 */
export const BRIEFING_BOOK_CSS = `
@page { size: Letter; margin: 18mm 16mm 20mm 16mm; }
.bb { font-family: "Liberation Sans", "DejaVu Sans", Arial, "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Color Emoji", sans-serif;
  color: #111827; font-size: 10.5pt; line-height: 1.45; max-width: 8.5in; margin: 0 auto; overflow-wrap: anywhere; }
.bb h1, .bb h2, .bb h3, .bb h4, .bb h5, .bb h6 { color: #0f2f57; line-height: 1.2; break-after: avoid; page-break-after: avoid; }
.bb h2 { font-size: 18pt; margin: 0 0 8pt; }
.bb h3 { font-size: 14pt; margin: 14pt 0 6pt; }
.bb h4 { font-size: 13pt; margin: 10pt 0 6pt; }
.bb h5 { font-size: 11pt; margin: 10pt 0 4pt; text-transform: uppercase; letter-spacing: 0.04em; color: #374151; }
.bb h6 { font-size: 10.5pt; margin: 8pt 0 4pt; }
.bb p, .bb li { orphans: 3; widows: 3; }
.bb a { color: #1d4ed8; }
.bb blockquote { margin: 6pt 0 6pt 0; padding-left: 10pt; border-left: 3pt solid #cbd5e1; color: #374151; }
.bb pre { white-space: pre-wrap; font-size: 9.5pt; }
.bb .bb-pre { white-space: pre-wrap; }
.bb .bb-empty { color: #4b5563; font-style: italic; }
.bb .bb-note { font-size: 9.5pt; color: #374151; }
.bb-cover { min-height: 9in; display: flex; flex-direction: column; justify-content: center; break-after: page; page-break-after: always; }
.bb-cover__jurisdiction { font-size: 16pt; font-weight: 700; margin: 0; color: #0f2f57; }
.bb-cover__agency { margin: 2pt 0 24pt; color: #374151; }
.bb .bb-cover__title { font-size: 28pt; margin: 0 0 6pt; }
.bb-cover__kind { font-size: 13pt; color: #374151; margin: 0 0 24pt; }
.bb dl { margin: 0 0 8pt; }
.bb-field { display: flex; gap: 8pt; margin: 2pt 0; }
.bb-field dt { font-weight: 700; min-width: 9em; flex: none; }
.bb-field dd { margin: 0; white-space: pre-wrap; }
.bb-contents { break-after: page; page-break-after: always; }
.bb-contents ol { padding-left: 18pt; }
.bb-contents a { color: inherit; text-decoration: none; }
.bb-summary, .bb-group, .bb-lever, .bb-comments { break-before: page; page-break-before: always; }
.bb-initiatives > .bb-lever:first-of-type { break-before: auto; page-break-before: auto; }
.bb-initiative { break-before: page; page-break-before: always; }
.bb-lever__title { font-size: 16pt; }
.bb-lever__description { color: #374151; }
.bb-initiative__lever { margin: 0; color: #374151; font-size: 9.5pt; text-transform: uppercase; letter-spacing: 0.04em; }
.bb .bb-initiative__title { font-size: 16pt; margin-top: 2pt; }
.bb-table { width: 100%; border-collapse: collapse; margin: 4pt 0 10pt; font-size: 9.5pt; table-layout: fixed; }
.bb-table caption { text-align: left; font-size: 9pt; color: #4b5563; padding-bottom: 2pt; }
.bb-table th, .bb-table td { border: 0.5pt solid #9ca3af; padding: 3pt 5pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.bb-table thead th { background: #e5edf7; }
.bb-table thead { display: table-header-group; }
.bb-table th[scope="col"] { overflow-wrap: normal; word-break: normal; hyphens: auto; }
.bb-table abbr[title] { text-decoration: none; }
.bb-table tr { break-inside: avoid; page-break-inside: avoid; }
.bb-table--numbers td { text-align: right; font-variant-numeric: tabular-nums; }
/* Seven columns: amounts wide enough for millions, dates wrapping at a space. */
.bb-table--funding { font-size: 8.5pt; }
.bb-table--funding th, .bb-table--funding td { padding: 3pt 4pt; }
.bb-table--funding td:nth-child(n+3) { text-align: right; font-variant-numeric: tabular-nums; }
.bb-table--funding thead th:nth-child(1) { width: 17%; }
.bb-table--funding thead th:nth-child(2) { width: 16%; }
.bb-table--funding thead th:nth-child(3), .bb-table--funding thead th:nth-child(4), .bb-table--funding thead th:nth-child(6) { width: 14%; }
.bb-table--funding thead th:nth-child(5), .bb-table--funding thead th:nth-child(7) { width: 12.5%; }
.bb-table--coverage { font-size: 8.5pt; }
.bb-table--numbers thead th:first-child { width: 24%; }
/* Eight component columns: a narrower lever column and padding, so each short label fits whole. */
.bb-table--coverage thead th:first-child { width: 18%; }
.bb-table--coverage th, .bb-table--coverage td { padding: 3pt 2pt; }
.bb-warnings { padding-left: 16pt; }
.bb-warning--high { color: #991b1b; font-weight: 700; }
.bb-thread { break-inside: avoid; page-break-inside: avoid; }
@media screen {
  .bb { padding: 24px; background: #fff; }
  .bb-cover { min-height: auto; padding: 48px 0; border-bottom: 1px solid #d1d5db; }
  .bb-initiative, .bb-summary, .bb-group, .bb-lever, .bb-comments { border-top: 1px solid #d1d5db; padding-top: 16px; margin-top: 24px; }
}
`
