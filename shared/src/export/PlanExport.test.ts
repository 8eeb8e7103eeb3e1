import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PlanModel, sectionField } from '../plan/PlanModel.ts'
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
})
