import {
  formatDate,
  formatDateRange,
  formatMoney,
  fundingTable,
  type InitiativeExport,
  type PlanExport,
  type ProseNode,
  proseIsEmpty,
  safeHref,
} from '@lever/shared'
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  LevelFormat,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx'

/** Text width of a Letter page with one-inch margins, in twips. */
const TEXT_WIDTH = 9360
const ORDERED = 'lever-ordered'
const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const

const heading = (level: number, text: string, pageBreakBefore = false) =>
  new Paragraph({ heading: HEADINGS[Math.min(5, Math.max(0, level - 1))], text, pageBreakBefore })
const para = (text: string, options: { italics?: boolean; bold?: boolean } = {}) =>
  new Paragraph({ children: [new TextRun({ text, ...options })] })

/** A table with explicit grid and cell widths (fractions of the text width), so Word and LibreOffice agree. */
function table(head: string[], rows: string[][], fractions: number[]): Table {
  const total = fractions.reduce((a, b) => a + b, 0)
  const widths = fractions.map((f) => Math.floor((f / total) * TEXT_WIDTH))
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      shading: header ? { type: ShadingType.CLEAR, fill: 'E5EDF7', color: 'auto' } : undefined,
      children: text
        .split('\n')
        .map((line) => new Paragraph({ children: [new TextRun({ text: line, bold: header })] })),
    })
  return new Table({
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      new TableRow({ tableHeader: true, children: head.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((c, i) => cell(c, i, false)) })),
    ],
  })
}

function facts(pairs: Array<[string, string]>): Paragraph[] {
  return pairs
    .filter(([, v]) => v.trim() !== '')
    .map(([k, v]) => new Paragraph({ children: [new TextRun({ text: `${k}: `, bold: true }), new TextRun(v)] }))
}

/** Word paragraphs of a prose field; list nesting becomes Word list levels. */
class ProseWriter {
  /** Each ordered list is its own numbering instance (numbered from 1); ids only need to be unique. */
  private static listInstance = 0
  readonly out: Paragraph[] = []

  constructor(private readonly headingBase: number) {}

  private runs(nodes: ProseNode[] | undefined): ParagraphChild[] {
    const out: ParagraphChild[] = []
    for (const n of nodes ?? []) {
      if (n.type === 'hardBreak') out.push(new TextRun({ text: '', break: 1 }))
      if (n.type !== 'text') continue
      const has = (t: string) => n.marks?.some((m) => m.type === t) ?? false
      const run = new TextRun({
        text: n.text ?? '',
        bold: has('bold'),
        italics: has('italic'),
        strike: has('strike'),
        underline: has('underline') ? {} : undefined,
        font: has('code') ? 'Courier New' : undefined,
      })
      const href = safeHref(n.marks?.find((m) => m.type === 'link')?.attrs?.href)
      out.push(href ? new ExternalHyperlink({ link: href, children: [run] }) : run)
    }
    return out
  }

  block(node: ProseNode, list: { ordered: boolean; level: number; instance: number } | null = null): void {
    switch (node.type) {
      case 'doc':
      case 'blockquote':
        for (const c of node.content ?? []) this.block(c, list)
        return
      case 'heading': {
        const level = this.headingBase + (Number(node.attrs?.level) || 1) - 1
        this.out.push(new Paragraph({ heading: HEADINGS[Math.min(5, level - 1)], children: this.runs(node.content) }))
        return
      }
      case 'paragraph':
      case 'codeBlock': {
        const numbering = list
          ? list.ordered
            ? { numbering: { reference: ORDERED, level: list.level, instance: list.instance } }
            : { bullet: { level: list.level } }
          : {}
        this.out.push(new Paragraph({ ...numbering, children: this.runs(node.content) }))
        return
      }
      case 'bulletList':
      case 'orderedList': {
        const ordered = node.type === 'orderedList'
        const level = list ? Math.min(8, list.level + 1) : 0
        const instance = ordered ? ++ProseWriter.listInstance : 0
        for (const item of node.content ?? []) {
          // The first paragraph of an item carries the number or bullet; nested lists go one level down.
          for (const child of item.content ?? []) this.block(child, { ordered, level, instance })
        }
        return
      }
      default:
        for (const c of node.content ?? []) this.block(c, list)
    }
  }
}

function prose(node: ProseNode, headingBase: number): Paragraph[] {
  const writer = new ProseWriter(headingBase)
  writer.block(node)
  return writer.out
}

function initiative(i: InitiativeExport): Array<Paragraph | Table> {
  const out: Array<Paragraph | Table> = [
    para(`${i.leverLabel} · Initiative ${i.number}`, { italics: true }),
    heading(3, i.title),
    ...facts([
      ['Status', i.statusLabel],
      ['Owner', i.owner],
      ['Partners', i.partners],
      ['Dates', formatDateRange(i.startDate, i.dueDate)],
      ['Components', i.componentLabels.join(', ')],
      ['Labor practices', i.laborPracticeLabels.join(', ')],
    ]),
    ...i.warnings.map(
      (w) =>
        new Paragraph({
          bullet: { level: 0 },
          children: [new TextRun({ text: w.message, bold: w.severity === 'high' })],
        }),
    ),
  ]
  if (!proseIsEmpty(i.description)) out.push(...prose(i.description, 5))
  out.push(heading(4, 'Milestones'))
  out.push(
    i.milestones.length
      ? table(
          ['Milestone', 'Due', 'Done'],
          i.milestones.map((m) => [
            m.title || 'Untitled milestone',
            formatDate(m.dueDate),
            m.done ? 'Done' : 'Not yet',
          ]),
          [6, 3, 1.5],
        )
      : para('No milestones yet.', { italics: true }),
  )
  out.push(heading(4, 'Funding'))
  const funding = fundingTable(i)
  out.push(
    i.funding.length
      ? table(funding.head, funding.rows, [2.4, 2.6, 1.8, 1.8, 1.9, 1.8, 1.9])
      : para('No funding yet.', { italics: true }),
  )
  out.push(heading(4, 'Evidence'))
  const evidence = facts([
    ['Tier', i.evidence.tierLabel],
    ['Citation', i.evidence.citation],
    ['Evaluation design', i.evidence.evaluationDesign],
    ['Library evidence', i.evidence.libraryCitations.join('; ')],
  ])
  out.push(...(evidence.length ? evidence : [para('No evidence recorded yet.', { italics: true })]))
  out.push(heading(4, 'Metrics'))
  out.push(
    i.metrics.length
      ? table(
          ['Metric', 'Type', 'Baseline', 'Target', 'By', 'Source'],
          i.metrics.map((m) => [
            m.name,
            m.typeLabel,
            m.baseline,
            m.target,
            formatDate(m.targetDate),
            [m.dataSource, m.frequencyLabel].filter(Boolean).join(' · '),
          ]),
          [3, 1.4, 1.6, 1.6, 2, 2.4],
        )
      : para('No metrics yet.', { italics: true }),
  )
  out.push(heading(4, 'Risks'), para(i.risks.trim() || 'No risks recorded.', { italics: !i.risks.trim() }))
  return out
}

function body(plan: PlanExport): Array<Paragraph | Table> {
  const s = plan.summary
  const out: Array<Paragraph | Table> = [
    para(plan.jurisdiction.name, { bold: true }),
    para(plan.jurisdiction.agency),
    new Paragraph({ heading: HeadingLevel.TITLE, text: plan.title }),
    para('Job-quality action plan'),
    ...facts([
      ['Status', plan.statusLabel],
      ['As of', formatDate(plan.asOf)],
      ['Version', plan.versionLabel],
      ['Last reviewed', formatDate(plan.lastReviewed)],
    ]),
    heading(1, 'Contents', true),
    ...[
      'Executive summary',
      ...new Set(plan.sections.map((x) => x.group)),
      'Initiatives',
      ...(plan.threads.length ? ['Appendix: open comment threads'] : []),
    ].map((t) => new Paragraph({ numbering: { reference: ORDERED, level: 0, instance: 0 }, text: t })),
    heading(1, 'Executive summary', true),
    para(
      `${plan.initiatives.length} initiatives across ${plan.levers.length} levers. The plan is ${s.completeness.percent}% complete (${s.completeness.done} of ${s.completeness.total} items).${
        plan.targetComponentLabels.length ? ` It targets ${plan.targetComponentLabels.join(', ')}.` : ''
      }`,
    ),
    heading(2, 'Initiatives by lever and status'),
    table(
      ['Lever', ...s.statuses.map((st) => st.label), 'Total'],
      [
        ...s.byLever.map((l) => [l.label, ...s.statuses.map((st) => String(l.counts[st.id] ?? 0)), String(l.total)]),
        ['All levers', ...s.statuses.map((st) => String(s.statusTotals[st.id] ?? 0)), String(plan.initiatives.length)],
      ],
      [2.4, ...s.statuses.map(() => 1), 1],
    ),
    heading(2, 'Funding by source'),
    table(
      ['Source', 'Budgeted', 'Obligated', 'Spent'],
      [
        ...s.funding.map((f) => [f.label, formatMoney(f.budgeted), formatMoney(f.obligated), formatMoney(f.spent)]),
        [
          'Total',
          formatMoney(s.fundingTotal.budgeted),
          formatMoney(s.fundingTotal.obligated),
          formatMoney(s.fundingTotal.spent),
        ],
      ],
      [4, 2, 2, 2],
    ),
    para(
      `SLFRF: ${formatMoney(s.slfrf.budgeted)} budgeted, ${formatMoney(s.slfrf.obligated)} obligated, ${formatMoney(s.slfrf.spent)} spent. SLFRF must be obligated by ${formatDate(s.slfrf.obligateBy)} and spent by ${formatDate(s.slfrf.spendBy)}.`,
    ),
    heading(2, 'Component coverage'),
    table(
      ['Lever', ...s.coverage.components.map((c) => c.label)],
      s.coverage.levers.map((l) => [
        l.label,
        ...s.coverage.components.map((c) => String(s.coverage.counts[l.id]?.[c.id] ?? 0)),
      ]),
      [2, ...s.coverage.components.map(() => 1)],
    ),
  ]
  if (s.warnings.length) {
    out.push(heading(2, 'Points to watch'))
    out.push(
      ...s.warnings.map(
        (w) =>
          new Paragraph({
            bullet: { level: 0 },
            children: [new TextRun({ text: w.message, bold: w.severity === 'high' })],
          }),
      ),
    )
  }
  for (const group of new Set(plan.sections.map((x) => x.group))) {
    out.push(heading(1, group, true))
    for (const section of plan.sections.filter((x) => x.group === group)) {
      out.push(heading(2, section.label))
      out.push(
        ...(proseIsEmpty(section.prose) ? [para('Not written yet.', { italics: true })] : prose(section.prose, 3)),
      )
    }
  }
  out.push(heading(1, 'Initiatives', true))
  for (const lever of plan.levers) {
    out.push(heading(2, lever.label), para(lever.description, { italics: true }))
    if (!lever.initiatives.length) out.push(para('No initiatives under this lever yet.', { italics: true }))
    lever.initiatives.forEach((i, index) => {
      const [first, ...rest] = initiative(i)
      // One initiative per page, after the first of each lever.
      out.push(
        index === 0
          ? (first as Paragraph)
          : new Paragraph({
              pageBreakBefore: true,
              children: [new TextRun({ text: `${i.leverLabel} · Initiative ${i.number}`, italics: true })],
            }),
        ...rest,
      )
    })
  }
  if (plan.threads.length) {
    out.push(heading(1, 'Appendix: open comment threads', true))
    for (const t of plan.threads) {
      out.push(heading(2, t.about))
      if (t.quote) out.push(para(`“${t.quote}”`, { italics: true }))
      out.push(
        ...t.comments.map(
          (c) =>
            new Paragraph({
              bullet: { level: 0 },
              children: [
                new TextRun({ text: `${c.authorName} (${formatDate(c.createdAt.slice(0, 10))}): `, bold: true }),
                new TextRun(c.body),
              ],
            }),
        ),
      )
    }
  }
  return out
}

/** The briefing book as a Word document: real headings, lists, tables with explicit widths. */
export async function planDocx(plan: PlanExport): Promise<Buffer> {
  const doc = new Document({
    title: `${plan.jurisdiction.name} — ${plan.title}`,
    creator: 'Lever',
    description: `Job-quality action plan, ${plan.versionLabel}, as of ${plan.asOf}`,
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [
      {
        properties: {
          page: { size: { width: 12240, height: 15840 }, margin: { top: 1440, bottom: 1440, left: 1440, right: 1440 } },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun(
                    `${plan.jurisdiction.name} · ${plan.title} · ${plan.versionLabel} · as of ${formatDate(plan.asOf)} · page `,
                  ),
                  new TextRun({ children: [PageNumber.CURRENT] }),
                  new TextRun(' of '),
                  new TextRun({ children: [PageNumber.TOTAL_PAGES] }),
                ],
              }),
            ],
          }),
        },
        children: body(plan),
      },
    ],
  })
  return Packer.toBuffer(doc)
}
