import { DEFAULT_LEVERS, INITIATIVE_STATUSES, JOB_QUALITY_COMPONENTS, PlanModel, sectionField } from '@lever/shared'
import * as Y from 'yjs'

/** A paragraph of prose (optionally with marks on part of it) as the Tiptap binding stores it. */
export function paragraph(text: string, marked?: { text: string; attributes: Record<string, unknown> }): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  p.insert(0, [t])
  t.insert(0, text)
  if (marked) t.insert(text.length, marked.text, marked.attributes)
  return p
}

function list(type: 'bulletList' | 'orderedList', items: string[]): Y.XmlElement {
  const l = new Y.XmlElement(type)
  l.insert(
    0,
    items.map((item) => {
      const li = new Y.XmlElement('listItem')
      li.insert(0, [paragraph(item)])
      return li
    }),
  )
  return l
}

function heading(level: number, text: string): Y.XmlElement {
  const h = new Y.XmlElement('heading')
  h.setAttribute('level', level as unknown as string)
  const t = new Y.XmlText()
  h.insert(0, [t])
  t.insert(0, text)
  return h
}

/** Text with emoji, accents and CJK, the mix a real cohort writes. */
export const INTERNATIONAL = 'Señora Núñez’s café 🚀👩🏽‍💼 — 公平な仕事 (good jobs) — Zürich, Åland, Ça va'

/** `n` words of prose, numbered so a reader can find the end. */
export function words(n: number): string {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? 'finalword' : `word${i % 97}`)).join(' ')
}

/**
 * Writes a large plan into `doc`: international text, a 2,000-word section, prose with a heading
 * and lists, 60 initiatives over three levers (Empowerment left empty), each with funding,
 * milestones and metrics; the first has a formula-looking title and owner.
 */
export function writeLargePlan(doc: Y.Doc, initiatives = 60): void {
  const plan = new PlanModel(doc)
  doc.transact(() => {
    plan.setTitle(`Good jobs plan ${INTERNATIONAL}`)
    plan.setStatus('inReview')
    plan.setLastReviewed('2024-03-15')
    plan.setTargetComponent('wages', true)
    plan.setTargetComponent('learning', true)
    const problem = doc.getXmlFragment(sectionField('problem'))
    problem.insert(0, [
      heading(1, 'Where we stand'),
      paragraph(`Intro ${INTERNATIONAL}. `, { text: 'Bold claim', attributes: { bold: {} } }),
      list('bulletList', ['First bullet', 'Second bullet']),
      list('orderedList', ['Step one', 'Step two', 'Step three']),
      paragraph(words(2000)),
    ])
    doc.getXmlFragment(sectionField('equityPopulations')).insert(0, [paragraph(`Équité pour tous ${INTERNATIONAL}`)])
    const levers = DEFAULT_LEVERS.slice(0, 3)
    for (let n = 0; n < initiatives; n++) {
      const lever = levers[n % levers.length]?.id ?? 'procurement'
      const title =
        n === 0
          ? '=HYPERLINK("http://evil.test","click")'
          : `Initiative ${n + 1} ${n % 5 === 0 ? INTERNATIONAL : 'apprenticeships'}`
      const i = plan.addInitiative(lever, { title })
      i.text('owner')?.insert(0, n === 0 ? '+cmd|calc' : `Owner ${n + 1}`)
      i.text('partners')?.insert(
        0,
        n === 0 ? '@SUM(A1:A2)' : n % 2 === 1 ? '-2 staff, community college' : 'Community college',
      )
      i.text('risks')?.insert(0, `Risk ${n + 1}: staffing`)
      i.setStatus(INITIATIVE_STATUSES[n % INITIATIVE_STATUSES.length]?.id ?? 'notStarted')
      i.setDate('startDate', '2023-01-15')
      i.setDate('dueDate', n % 2 === 0 ? '2026-06-30' : '2027-03-31')
      i.setComponent(JOB_QUALITY_COMPONENTS[n % JOB_QUALITY_COMPONENTS.length]?.id ?? 'wages', true)
      i.setEvidenceTier(n % 2 === 0 ? 'strong' : 'evidenceBuilding')
      i.evidenceText('citation')?.insert(0, `Clearinghouse entry ${n + 1}`)
      const line = i.funding.add(`f${n}`)
      line.setSource('slfrf')
      line.setCategory('2.10')
      line.setAmount('budgeted', 100000 + n * 1000.5)
      line.setAmount('obligated', 50000)
      line.setAmount('spent', 25000.25)
      const milestone = i.milestones.add(`ms${n}`)
      milestone.title?.insert(0, `Milestone of ${n + 1}`)
      milestone.setDueDate('2025-09-30')
      milestone.setDone(n % 3 === 0)
      const metric = i.metrics.add(`m${n}`)
      metric.text('name')?.insert(0, `Workers placed ${n + 1}`)
      metric.text('baseline')?.insert(0, '120')
      metric.text('target')?.insert(0, '-5% turnover')
      metric.setType('outcome')
      metric.setTargetDate('2026-12-31')
      const description = i.description
      if (description) description.insert(0, [paragraph(`Description of initiative ${n + 1}.`)])
    }
  })
}
