import { BRIEFING_BOOK_CSS } from './briefingCss.ts'
import { escapeHtml as esc, formatDate, formatDateRange, formatMoney } from './format.ts'
import { fundingTable } from './fundingTable.ts'
import type { InitiativeExport, PlanExport } from './PlanExport.ts'
import { proseHtml } from './proseHtml.ts'
import { proseIsEmpty } from './proseJson.ts'

/**
 * The briefing book as HTML: one renderer for the server's PDF (printed by Chromium) and the
 * app's print view. Every value is escaped; the layout is in BRIEFING_BOOK_CSS.
 */

const sectionGroups = (plan: PlanExport) => [...new Set(plan.sections.map((s) => s.group))]
const groupId = (group: string) => `bb-${group.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`
const initiativeAnchor = (i: InitiativeExport) => `bb-initiative-${i.number}`

function row(cells: string[], header = false): string {
  const tag = header ? 'th' : 'td'
  return `<tr>${cells.map((c, i) => (header || i > 0 ? `<${tag}>${c}</${tag}>` : `<th scope="row">${c}</th>`)).join('')}</tr>`
}

function table(caption: string, head: string[], rows: string[][], className = ''): string {
  const headRow = `<tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr>`
  return `<table class="bb-table ${className}"><caption>${caption}</caption><thead>${headRow}</thead><tbody>${rows
    .map((r) => row(r))
    .join('')}</tbody></table>`
}

export function field(label: string, value: string): string {
  return value.trim() === '' ? '' : `<div class="bb-field"><dt>${esc(label)}</dt><dd>${esc(value)}</dd></div>`
}

function cover(plan: PlanExport): string {
  return `<section class="bb-cover" aria-label="Cover">
<p class="bb-cover__jurisdiction">${esc(plan.jurisdiction.name)}</p>
<p class="bb-cover__agency">${esc(plan.jurisdiction.agency)}</p>
<h1 class="bb-cover__title">${esc(plan.title)}</h1>
<p class="bb-cover__kind">Job-quality action plan</p>
<dl class="bb-cover__facts">
${field('Status', plan.statusLabel)}
${field('As of', formatDate(plan.asOf))}
${field('Version', plan.versionLabel)}
${field('Last reviewed', formatDate(plan.lastReviewed))}
</dl></section>`
}

function contents(plan: PlanExport): string {
  const items = [
    `<li><a href="#bb-summary">Executive summary</a></li>`,
    ...sectionGroups(plan).map((g) => `<li><a href="#${groupId(g)}">${esc(g)}</a></li>`),
    `<li><a href="#bb-initiatives">Initiatives</a><ol>${plan.levers
      .map((l) => `<li><a href="#bb-lever-${esc(l.id)}">${esc(l.label)}</a> (${l.initiatives.length})</li>`)
      .join('')}</ol></li>`,
    ...(plan.threads.length ? [`<li><a href="#bb-comments">Appendix: open comment threads</a></li>`] : []),
  ]
  return `<nav class="bb-contents" aria-labelledby="bb-contents-title"><h2 id="bb-contents-title">Contents</h2><ol>${items.join('')}</ol></nav>`
}

/** The executive summary's figures: status by lever, funding by source, coverage, warnings (`<h3>`s and tables). */
export function summaryTables(plan: PlanExport): string {
  const s = plan.summary
  const statusHead = ['Lever', ...s.statuses.map((st) => esc(st.label)), 'Total']
  const byLever = s.byLever.map((l) => [
    esc(l.label),
    ...s.statuses.map((st) => String(l.counts[st.id] ?? 0)),
    String(l.total),
  ])
  byLever.push([
    'All levers',
    ...s.statuses.map((st) => String(s.statusTotals[st.id] ?? 0)),
    String(plan.initiatives.length),
  ])
  const funding = s.funding.map((f) => [
    esc(f.label),
    formatMoney(f.budgeted),
    formatMoney(f.obligated),
    formatMoney(f.spent),
  ])
  funding.push([
    'Total',
    formatMoney(s.fundingTotal.budgeted),
    formatMoney(s.fundingTotal.obligated),
    formatMoney(s.fundingTotal.spent),
  ])
  // The short labels the app's matrix uses, so eight narrow columns never break a word; the full
  // label stays the abbreviation's expansion.
  const coverageHead = [
    'Lever',
    ...s.coverage.components.map((c) =>
      c.short === c.label ? esc(c.label) : `<abbr title="${esc(c.label)}">${esc(c.short)}</abbr>`,
    ),
  ]
  const coverage = s.coverage.levers.map((l) => [
    esc(l.label),
    ...s.coverage.components.map((c) => String(s.coverage.counts[l.id]?.[c.id] ?? 0)),
  ])
  const warnings = s.warnings.length
    ? `<h3>Points to watch</h3><ul class="bb-warnings">${s.warnings.map((w) => `<li class="bb-warning--${w.severity}">${esc(w.message)}</li>`).join('')}</ul>`
    : ''
  return `<p>${plan.initiatives.length} initiatives across ${plan.levers.length} levers. The plan is ${s.completeness.percent}% complete (${s.completeness.done} of ${s.completeness.total} items).${
    plan.targetComponentLabels.length ? ` It targets ${esc(plan.targetComponentLabels.join(', '))}.` : ''
  }</p>
<h3>Initiatives by lever and status</h3>
${table('Number of initiatives of each lever, by status', statusHead, byLever, 'bb-table--numbers')}
<h3>Funding by source</h3>
${table('Funding of all initiatives by source', ['Source', 'Budgeted', 'Obligated', 'Spent'], funding, 'bb-table--numbers')}
<p class="bb-note">SLFRF: ${formatMoney(s.slfrf.budgeted)} budgeted, ${formatMoney(s.slfrf.obligated)} obligated, ${formatMoney(s.slfrf.spent)} spent. SLFRF must be obligated by ${formatDate(s.slfrf.obligateBy)} and spent by ${formatDate(s.slfrf.spendBy)}.</p>
<h3>Component coverage</h3>
${table('Initiatives addressing each component of job quality, by lever', coverageHead, coverage, 'bb-table--numbers bb-table--coverage')}
${warnings}`
}

function summary(plan: PlanExport): string {
  return `<section class="bb-summary" aria-labelledby="bb-summary"><h2 id="bb-summary">Executive summary</h2>${summaryTables(plan)}</section>`
}

function prose(plan: PlanExport): string {
  return sectionGroups(plan)
    .map((group) => {
      const sections = plan.sections.filter((s) => s.group === group)
      return `<section class="bb-group" aria-labelledby="${groupId(group)}"><h2 id="${groupId(group)}">${esc(group)}</h2>${sections
        .map(
          (s) =>
            `<section class="bb-prose"><h3>${esc(s.label)}</h3>${
              proseIsEmpty(s.prose) ? '<p class="bb-empty">Not written yet.</p>' : proseHtml(s.prose, 3)
            }</section>`,
        )
        .join('')}</section>`
    })
    .join('')
}

function initiative(i: InitiativeExport): string {
  const milestones = i.milestones.length
    ? table(
        `Milestones of ${esc(i.title)}`,
        ['Milestone', 'Due', 'Done'],
        i.milestones.map((m) => [
          esc(m.title || 'Untitled milestone'),
          formatDate(m.dueDate),
          m.done ? 'Done' : 'Not yet',
        ]),
      )
    : '<p class="bb-empty">No milestones yet.</p>'
  const fundingCells = fundingTable(i)
  const funding = i.funding.length
    ? table(
        `Funding of ${esc(i.title)}`,
        fundingCells.head,
        fundingCells.rows.map((row) => row.map(esc)),
        'bb-table--funding',
      )
    : '<p class="bb-empty">No funding yet.</p>'
  const metrics = i.metrics.length
    ? table(
        `Metrics of ${esc(i.title)}`,
        ['Metric', 'Type', 'Baseline', 'Target', 'By', 'Source and frequency'],
        i.metrics.map((m) => [
          esc(m.name || 'Unnamed metric') +
            (m.disaggregationLabels.length ? `<br><small>by ${esc(m.disaggregationLabels.join(', '))}</small>` : ''),
          esc(m.typeLabel),
          esc(m.baseline),
          esc(m.target),
          formatDate(m.targetDate),
          esc([m.dataSource, m.frequencyLabel].filter(Boolean).join(' · ')),
        ]),
      )
    : '<p class="bb-empty">No metrics yet.</p>'
  const warnings = i.warnings.length
    ? `<ul class="bb-warnings">${i.warnings.map((w) => `<li class="bb-warning--${w.severity}">${esc(w.message)}</li>`).join('')}</ul>`
    : ''
  return `<section class="bb-initiative" id="${initiativeAnchor(i)}" aria-labelledby="${initiativeAnchor(i)}-title">
<p class="bb-initiative__lever">${esc(i.leverLabel)} · Initiative ${i.number}</p>
<h4 id="${initiativeAnchor(i)}-title" class="bb-initiative__title">${esc(i.title)}</h4>
<dl class="bb-facts">
${field('Status', i.statusLabel)}
${field('Owner', i.owner)}
${field('Partners', i.partners)}
${field('Dates', formatDateRange(i.startDate, i.dueDate))}
${field('Components', i.componentLabels.join(', '))}
${field('Labor practices', i.laborPracticeLabels.join(', '))}
</dl>
${warnings}
${proseIsEmpty(i.description) ? '' : `<div class="bb-description">${proseHtml(i.description, 5)}</div>`}
<h5>Milestones</h5>${milestones}
<h5>Funding</h5>${funding}
<h5>Evidence</h5>${
    i.evidence.tier || i.evidence.citation || i.evidence.evaluationDesign || i.evidence.libraryCitations.length
      ? `<dl class="bb-facts">${field('Tier', i.evidence.tierLabel)}${field('Citation', i.evidence.citation)}${field('Evaluation design', i.evidence.evaluationDesign)}${field('Library evidence', i.evidence.libraryCitations.join('; '))}</dl>`
      : '<p class="bb-empty">No evidence recorded yet.</p>'
  }
<h5>Metrics</h5>${metrics}
<h5>Risks</h5>${i.risks.trim() ? `<p class="bb-pre">${esc(i.risks)}</p>` : '<p class="bb-empty">No risks recorded.</p>'}
</section>`
}

function initiatives(plan: PlanExport): string {
  return `<section class="bb-initiatives" aria-labelledby="bb-initiatives"><h2 id="bb-initiatives" class="bb-break">Initiatives</h2>${plan.levers
    .map(
      (l) =>
        `<section class="bb-lever" aria-labelledby="bb-lever-${esc(l.id)}"><h3 id="bb-lever-${esc(l.id)}" class="bb-lever__title">${esc(l.label)}</h3><p class="bb-lever__description">${esc(l.description)}</p>${
          l.initiatives.length
            ? l.initiatives.map(initiative).join('')
            : '<p class="bb-empty">No initiatives under this lever yet.</p>'
        }</section>`,
    )
    .join('')}</section>`
}

function comments(plan: PlanExport): string {
  if (!plan.threads.length) return ''
  return `<section class="bb-comments" aria-labelledby="bb-comments"><h2 id="bb-comments" class="bb-break">Appendix: open comment threads</h2>${plan.threads
    .map(
      (t) =>
        `<article class="bb-thread"><h3>${esc(t.about)}</h3>${t.quote ? `<blockquote>${esc(t.quote)}</blockquote>` : ''}<ul>${t.comments
          .map(
            (c) =>
              `<li><strong>${esc(c.authorName)}</strong> (${esc(formatDate(c.createdAt.slice(0, 10)))}): <span class="bb-pre">${esc(c.body)}</span></li>`,
          )
          .join('')}</ul></article>`,
    )
    .join('')}</section>`
}

/** The body of the briefing book (no `<html>`), for the app's print view. */
export function briefingBookBody(plan: PlanExport): string {
  return `<article class="bb">${cover(plan)}${contents(plan)}${summary(plan)}${prose(plan)}${initiatives(plan)}${comments(plan)}</article>`
}

/** A whole HTML document of the briefing book, for printing to PDF. */
export function briefingBookDocument(plan: PlanExport): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(
    `${plan.jurisdiction.name} — ${plan.title}`,
  )}</title><style>${BRIEFING_BOOK_CSS}</style></head><body>${briefingBookBody(plan)}</body></html>`
}
