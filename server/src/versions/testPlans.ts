import { COMMENT_MARK, PlanModel } from '@lever/shared'
import * as Y from 'yjs'

/** A paragraph of formatted runs, as the editor stores one. */
export function paragraph(...runs: Array<string | [string, Record<string, unknown>]>): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  let at = 0
  for (const run of runs) {
    const [text, attrs] = typeof run === 'string' ? [run, undefined] : run
    t.insert(at, text, attrs)
    at += text.length
  }
  p.insert(0, [t])
  return p
}

/** The text node of the n-th paragraph of a section. */
export function textOf(doc: Y.Doc, section: string, n: number): Y.XmlText {
  const p = doc.getXmlFragment(`section:${section}`).get(n) as Y.XmlElement
  return p.get(0) as Y.XmlText
}

/** A plan with prose, formatting, a list and two initiatives with fields set (for tests and benches). */
export function samplePlan(doc: Y.Doc, paragraphs = 3): PlanModel {
  const model = PlanModel.initialize(doc, { title: 'Boulder good jobs plan', jurisdictionId: 'boulder-co' })
  doc.transact(() => {
    const problem = model.section('problem')
    const blocks: Y.XmlElement[] = []
    for (let i = 0; i < paragraphs; i++) {
      blocks.push(
        paragraph(`Paragraph ${i}: wages in the county lag `, ['the region', { bold: {} }], ' by a wide margin.'),
      )
    }
    problem.insert(0, blocks)
    const list = new Y.XmlElement('bulletList')
    const item = new Y.XmlElement('listItem')
    item.insert(0, [paragraph('Child care within reach')])
    list.insert(0, [item])
    problem.insert(problem.length, [list])
    model.section('jobQualityDefinition').insert(0, [paragraph('A good job pays enough to live on.')])
    const a = model.addInitiative('procurement', { title: 'Good-jobs scoring in RFPs' })
    a.text('owner')?.insert(0, 'Procurement office')
    a.setStatus('onTrack')
    a.setComponent('wages', true)
    a.description?.insert(0, [paragraph('Score bids on wages and benefits.')])
    const b = model.addInitiative('hrPractices', { title: 'Apprenticeships in public works' })
    b.setDate('dueDate', '2025-06-30')
  })
  return model
}

/** Marks part of a paragraph with a comment anchor of `threadId`. */
export function markComment(text: Y.XmlText, index: number, length: number, threadId: string): void {
  text.format(index, length, { [`${COMMENT_MARK}--${threadId}`]: { threadId } })
}
