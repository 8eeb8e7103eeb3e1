import {
  formatDate,
  formatDateRange,
  formatMoney,
  fundingTable,
  type InitiativeExport,
  type PlanExport,
  type ProseMark,
  type ProseNode,
  proseIsEmpty,
  safeHref,
} from '@lever/shared'

/** Escapes characters Markdown would read as formatting. */
function md(text: string): string {
  return text.replace(/([\\`*_[\]<>|])/g, '\\$1').replace(/^(\s*)([#+-]|\d+\.)(\s)/gm, '$1\\$2$3')
}

/** A value inside a table cell: escaped, on one line. */
const cell = (text: string) => md(text).replace(/\r?\n/g, ' ')

function markText(text: string, mark: ProseMark): string {
  switch (mark.type) {
    case 'bold':
      return `**${text}**`
    case 'italic':
      return `*${text}*`
    case 'strike':
      return `~~${text}~~`
    case 'code':
      return `\`${text.replace(/`/g, '')}\``
    case 'link': {
      const href = safeHref(mark.attrs?.href)
      return href ? `[${text}](${href.replace(/[()\s]/g, encodeURIComponent)})` : text
    }
    default:
      return text
  }
}

function inline(nodes: ProseNode[] | undefined): string {
  return (nodes ?? [])
    .map((n) => {
      if (n.type === 'hardBreak') return '  \n'
      if (n.type !== 'text') return inline(n.content)
      // Spaces stay outside emphasis markers, or Markdown would not read them.
      const text = n.text ?? ''
      const lead = /^\s*/.exec(text)?.[0] ?? ''
      const trail = /\s*$/.exec(text.slice(lead.length))?.[0] ?? ''
      const core = text.slice(lead.length, text.length - trail.length)
      if (core === '') return text
      return (
        lead +
        (n.marks ?? []).reduce(
          markText,
          n.type === 'text' && n.marks?.some((m) => m.type === 'code') ? core : md(core),
        ) +
        trail
      )
    })
    .join('')
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : line === '' ? '' : `${' '.repeat(prefix.length)}${line}`))
    .join('\n')
}

/** Markdown of prose; `headingBase` is the level the prose's level-1 headings get. */
export function proseMarkdown(node: ProseNode, headingBase = 4): string {
  const blocks = (nodes: ProseNode[] | undefined) =>
    (nodes ?? [])
      .map((n) => proseMarkdown(n, headingBase))
      .filter((b) => b !== '')
      .join('\n\n')
  switch (node.type) {
    case 'doc':
    case 'blockquote':
      return node.type === 'doc'
        ? blocks(node.content)
        : blocks(node.content)
            .split('\n')
            .map((l) => `> ${l}`)
            .join('\n')
    case 'paragraph':
      return inline(node.content)
    case 'heading': {
      const level = Math.min(6, headingBase + (Number(node.attrs?.level) || 1) - 1)
      return `${'#'.repeat(level)} ${inline(node.content)}`
    }
    case 'bulletList':
    case 'orderedList': {
      const start = Number(node.attrs?.start) || 1
      return (node.content ?? [])
        .map((item, i) => {
          const prefix = node.type === 'bulletList' ? '- ' : `${start + i}. `
          return prefix + indent(blocks(item.content).replace(/\n\n/g, '\n'), prefix)
        })
        .join('\n')
    }
    case 'codeBlock':
      return `\`\`\`\n${(node.content ?? []).map((t) => t.text ?? '').join('')}\n\`\`\``
    case 'horizontalRule':
      return '---'
    default:
      return node.content ? blocks(node.content) : ''
  }
}

function table(head: string[], rows: string[][]): string {
  return [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n')
}

const facts = (pairs: Array<[string, string]>) =>
  pairs
    .filter(([, v]) => v.trim() !== '')
    .map(([k, v]) => `- **${k}:** ${cell(v)}`)
    .join('\n')

function initiativeMarkdown(i: InitiativeExport): string {
  const parts = [
    `#### ${i.number}. ${md(i.title)}`,
    facts([
      ['Lever', i.leverLabel],
      ['Status', i.statusLabel],
      ['Owner', i.owner],
      ['Partners', i.partners],
      ['Dates', formatDateRange(i.startDate, i.dueDate)],
      ['Components', i.componentLabels.join(', ')],
      ['Labor practices', i.laborPracticeLabels.join(', ')],
      ['Evidence', [i.evidence.tierLabel, i.evidence.citation].filter(Boolean).join(' — ')],
      ['Evaluation design', i.evidence.evaluationDesign],
      ['Library evidence', i.evidence.libraryCitations.join('; ')],
      ['Risks', i.risks],
    ]),
  ]
  if (!proseIsEmpty(i.description)) parts.push(proseMarkdown(i.description, 5))
  if (i.milestones.length)
    parts.push(
      '##### Milestones',
      i.milestones
        .map(
          (m) =>
            `- [${m.done ? 'x' : ' '}] ${cell(m.title || 'Untitled milestone')}${m.dueDate ? ` (due ${formatDate(m.dueDate)})` : ''}`,
        )
        .join('\n'),
    )
  if (i.funding.length) {
    const funding = fundingTable(i)
    parts.push(
      '##### Funding',
      table(
        funding.head,
        funding.rows.map((row) => row.map(cell)),
      ),
    )
  }
  if (i.metrics.length)
    parts.push(
      '##### Metrics',
      table(
        ['Metric', 'Type', 'Baseline', 'Target', 'By', 'Source'],
        i.metrics.map((m) => [
          cell(m.name),
          cell(m.typeLabel),
          cell(m.baseline),
          cell(m.target),
          formatDate(m.targetDate),
          cell(m.dataSource),
        ]),
      ),
    )
  return parts.join('\n\n')
}

/** The whole plan as Markdown: prose and structure, for pasting into other tools. */
export function planMarkdown(plan: PlanExport): string {
  const s = plan.summary
  const out: string[] = [
    `# ${md(plan.title)}`,
    facts([
      ['Jurisdiction', plan.jurisdiction.name],
      ['Status', plan.statusLabel],
      ['As of', formatDate(plan.asOf)],
      ['Version', plan.versionLabel],
      ['Last reviewed', formatDate(plan.lastReviewed)],
      ['Target components', plan.targetComponentLabels.join(', ')],
    ]),
    '## Executive summary',
    table(
      ['Lever', ...s.statuses.map((st) => st.label), 'Total'],
      s.byLever.map((l) => [cell(l.label), ...s.statuses.map((st) => String(l.counts[st.id] ?? 0)), String(l.total)]),
    ),
    table(
      ['Funding source', 'Budgeted', 'Obligated', 'Spent'],
      [
        ...s.funding.map((f) => [
          cell(f.label),
          formatMoney(f.budgeted),
          formatMoney(f.obligated),
          formatMoney(f.spent),
        ]),
        [
          '**Total**',
          formatMoney(s.fundingTotal.budgeted),
          formatMoney(s.fundingTotal.obligated),
          formatMoney(s.fundingTotal.spent),
        ],
      ],
    ),
    `SLFRF must be obligated by ${formatDate(s.slfrf.obligateBy)} and spent by ${formatDate(s.slfrf.spendBy)}.`,
  ]
  for (const group of [...new Set(plan.sections.map((x) => x.group))]) {
    out.push(`## ${md(group)}`)
    for (const section of plan.sections.filter((x) => x.group === group)) {
      out.push(
        `### ${md(section.label)}`,
        proseIsEmpty(section.prose) ? '_Not written yet._' : proseMarkdown(section.prose, 4),
      )
    }
  }
  out.push('## Initiatives')
  for (const lever of plan.levers) {
    out.push(`### ${md(lever.label)}`, md(lever.description))
    if (!lever.initiatives.length) out.push('_No initiatives under this lever yet._')
    for (const i of lever.initiatives) out.push(initiativeMarkdown(i))
  }
  if (plan.threads.length) {
    out.push('## Appendix: open comment threads')
    for (const t of plan.threads) {
      out.push(`### ${md(t.about)}`)
      if (t.quote) out.push(`> ${cell(t.quote)}`)
      out.push(
        t.comments
          .map((c) => `- **${md(c.authorName)}** (${formatDate(c.createdAt.slice(0, 10))}): ${cell(c.body)}`)
          .join('\n'),
      )
    }
  }
  return `${out.filter((p) => p !== '').join('\n\n')}\n`
}
