import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PlanModel, sectionField } from '../plan/PlanModel.ts'
import { BRIEFING_BOOK_CSS } from './briefingCss.ts'
import { briefingBookDocument } from './briefingHtml.ts'
import { buildPlanExport } from './PlanExport.ts'
import { proseJson, proseText } from './proseJson.ts'

const context = {
  planId: 'p1',
  jurisdiction: { id: 'j', name: 'Town <b>&</b> "Co"', agency: 'Agency', kind: 'city', state: 'CO' },
  version: null,
  asOf: '2025-01-02',
}

function planDoc(): Y.Doc {
  const doc = new Y.Doc()
  const plan = PlanModel.initialize(doc, { title: 'Plan <script>alert(1)</script>', jurisdictionId: 'j' })
  const p = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  p.insert(0, [t])
  t.insert(0, 'Hello ')
  t.insert(6, 'world', { bold: {}, 'comment--abc': { threadId: 't1' } })
  t.insert(11, ' <img src=x onerror=alert(1)>', { link: { href: 'javascript:alert(1)' } })
  doc.getXmlFragment(sectionField('problem')).insert(0, [p])
  const i = plan.addInitiative('procurement', { title: 'Fund <apprentices>' })
  const line = i.funding.add('f1')
  line.setSource('slfrf')
  line.setAmount('budgeted', 1500.5)
  return doc
}

describe('the export model', () => {
  it('reads prose as ProseMirror JSON, marks included, comment marks by their type', () => {
    const json = proseJson(planDoc().getXmlFragment(sectionField('problem')))
    expect(json.content?.[0]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Hello ' },
        { type: 'text', text: 'world', marks: [{ type: 'bold' }, { type: 'comment', attrs: { threadId: 't1' } }] },
        {
          type: 'text',
          text: ' <img src=x onerror=alert(1)>',
          marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }],
        },
      ],
    })
    expect(proseText(json)).toBe('Hello world <img src=x onerror=alert(1)>')
  })

  it('resolves labels and totals, and keeps an empty lever', () => {
    const model = buildPlanExport(planDoc(), context)
    expect(model.title).toBe('Plan <script>alert(1)</script>')
    expect(model.initiatives[0]).toMatchObject({
      number: 1,
      leverLabel: 'Procurement',
      statusLabel: 'Not started',
      totals: { budgeted: 1500.5 },
    })
    expect(model.summary.funding[0]).toMatchObject({ source: 'slfrf', budgeted: 1500.5 })
    expect(model.levers.find((l) => l.id === 'empowerment')?.initiatives).toEqual([])
    expect(model.threads).toEqual([])
  })

  it('escapes everything in the briefing book and drops unsafe links', () => {
    const html = briefingBookDocument(buildPlanExport(planDoc(), context))
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('javascript:')
    expect(html).toContain('Plan &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('Town &lt;b&gt;&amp;&lt;/b&gt; &quot;Co&quot;')
    expect(html).toContain('Fund &lt;apprentices&gt;')
    expect(html).toContain('<strong>world</strong>')
  })

  it("carries each funding line's dates and shows them in the briefing book's funding table", () => {
    const doc = planDoc()
    const plan = new PlanModel(doc)
    const i = plan.initiatives()[0]
    const line = i?.funding.add('f2')
    line?.setSource('local')
    line?.program?.insert(0, 'Apprenticeship grant')
    line?.setAmount('budgeted', 80000)
    line?.setAmount('spent', 12000.5)
    line?.setDate('obligatedBy', '2025-03-17')
    line?.setDate('spentBy', '2026-08-21')
    const model = buildPlanExport(doc, context)
    expect(model.initiatives[0]?.funding).toMatchObject([
      { id: 'f1', obligatedBy: null, spentBy: null },
      { id: 'f2', obligatedBy: '2025-03-17', spentBy: '2026-08-21', obligated: null },
    ])
    const html = briefingBookDocument(model)
    const cells = (text: string) => {
      // The last such row: the initiatives' tables come after the summary's.
      const row = (html.match(/<tr>.*?<\/tr>/g) ?? []).filter((r) => r.includes(text)).at(-1) ?? ''
      return [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1])
    }
    expect(cells('Program or category')).toEqual([
      'Source',
      'Program or category',
      'Budgeted',
      'Obligated',
      'Obligated by',
      'Spent',
      'Spent by',
    ])
    expect(cells('Apprenticeship grant')).toEqual([
      'Local or state funds',
      'Apprenticeship grant',
      '$80,000.00',
      '',
      'March 17, 2025',
      '$12,000.50',
      'August 21, 2026',
    ])
    // The SLFRF line without dates: empty date cells.
    expect(cells('ARP State and Local')).toEqual([
      'ARP State and Local Fiscal Recovery Funds (SLFRF)',
      '',
      '$1,500.50',
      '',
      '',
      '',
      '',
    ])
    // No line reports an obligated amount: the total leaves it empty rather than claiming $0.00.
    expect(model.initiatives[0]?.totals).toEqual({ budgeted: 81500.5, obligated: null, spent: 12000.5 })
    expect(cells('Total')).toEqual(['Total', '', '$81,500.50', '', '', '$12,000.50', ''])
  })

  it('keeps headings and table headers with what follows them, and table headers whole words', () => {
    const rule = (selector: RegExp) =>
      BRIEFING_BOOK_CSS.split('\n').find((l) => selector.test(l.split('{')[0] ?? '')) ?? ''
    expect(rule(/\.bb h2\b/)).toMatch(/break-after: avoid;.*page-break-after: avoid;/)
    expect(rule(/\.bb h3\b/)).toMatch(/break-after: avoid;.*page-break-after: avoid;/)
    expect(rule(/\.bb-table thead\s*$/)).toContain('display: table-header-group')
    const th = rule(/th\[scope="col"\]/)
    expect(th).toContain('overflow-wrap: normal')
    expect(th).toContain('word-break: normal')
    expect(th).toContain('hyphens: auto')
    // The coverage table heads its eight narrow columns with the components' short labels.
    const html = briefingBookDocument(buildPlanExport(planDoc(), context))
    expect(html).toContain('<th scope="col"><abbr title="Learning and career development">Learning</abbr></th>')
    expect(html).toContain('<th scope="col">Wages</th>')
  })
})
