import { BRIEFING_BOOK_CSS } from './briefingCss.ts'
import { field, summaryTables } from './briefingHtml.ts'
import { escapeHtml as esc, formatDate } from './format.ts'
import type { PlanExport } from './PlanExport.ts'

/**
 * The facilitators' cohort roll-up as HTML (printed to PDF): a cover, then one page per
 * jurisdiction with the summary of each of its plans, or a note that it has none yet.
 */
export function cohortBriefingDocument(
  plans: PlanExport[],
  jurisdictions: Array<{ id: string; name: string; agency: string }>,
  asOf: string,
): string {
  const pages = jurisdictions.map((j) => {
    const mine = plans.filter((p) => p.jurisdiction.id === j.id)
    const body = mine.length
      ? mine
          .map(
            (p) =>
              `<section class="bb-cohort-plan"><h3>${esc(p.title)}</h3><dl class="bb-facts">${field('Status', p.statusLabel)}${field(
                'Last reviewed',
                formatDate(p.lastReviewed),
              )}</dl>${summaryTables(p)
                .replace(/<h3>/g, '<h4>')
                .replace(/<\/h3>/g, '</h4>')}</section>`,
          )
          .join('')
      : '<p class="bb-empty">No plan yet.</p>'
    return `<section class="bb-jurisdiction" aria-labelledby="bb-j-${esc(j.id)}"><h2 id="bb-j-${esc(j.id)}">${esc(j.name)}</h2><p class="bb-lever__description">${esc(j.agency)}</p>${body}</section>`
  })
  const initiatives = plans.reduce((n, p) => n + p.initiatives.length, 0)
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Cohort roll-up — ${esc(formatDate(asOf))}</title><style>${BRIEFING_BOOK_CSS}
.bb-jurisdiction { break-before: page; page-break-before: always; }</style></head><body><article class="bb"><section class="bb-cover" aria-label="Cover"><h1 class="bb-cover__title">Cohort roll-up</h1><p class="bb-cover__kind">Job-quality action plans of the cohort</p><dl class="bb-cover__facts">${field(
    'As of',
    formatDate(asOf),
  )}${field('Jurisdictions', String(jurisdictions.length))}${field('Plans', String(plans.length))}${field('Initiatives', String(initiatives))}</dl></section>${pages.join('')}</article></body></html>`
}
