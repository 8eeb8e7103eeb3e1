import {
  EVIDENCE_TIERS,
  type FieldChange,
  FUNDING_SOURCES,
  INITIATIVE_STATUSES,
  type InitiativeSnapshot,
  JOB_QUALITY_COMPONENTS,
  LABOR_PRACTICES,
  labelOf,
  METRIC_TYPES,
  PLAN_STATUSES,
  type PlanSnapshot,
  ratingText,
} from '@lever/shared'

type Fields = Array<[string, string | null]>

const money = (n: number | null) => (n === null ? '—' : `$${n.toLocaleString('en-US')}`)
const list = (values: string[]) => (values.length > 0 ? values.join(', ') : null)
const text = (s: string) => (s.trim() === '' ? null : s)

function initiativeFields(i: InitiativeSnapshot, leverLabel: (id: string) => string): Fields {
  const fields: Fields = [
    ['Title', text(i.title)],
    ['Lever', leverLabel(i.lever)],
    ['Owner', text(i.owner)],
    ['Partners', text(i.partners)],
    ['Status', labelOf(INITIATIVE_STATUSES, i.status)],
    ['Start date', i.startDate],
    ['Due date', i.dueDate],
    ['Components', list(i.components.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)))],
    ['Evidence tier', i.evidence.tier ? labelOf(EVIDENCE_TIERS, i.evidence.tier) : null],
    ['Evidence citation', text(i.evidence.citation)],
    ['Evaluation design', text(i.evidence.evaluationDesign)],
    ['Library evidence', list(i.evidence.citations.map((c) => `${c.title} (${ratingText(c.rating)})`))],
    ['Risks', text(i.risks)],
    ['Labor practices', list(i.laborPractices.map((p) => labelOf(LABOR_PRACTICES, p)))],
  ]
  i.funding.forEach((f, n) => {
    const source = f.source ? labelOf(FUNDING_SOURCES, f.source) : 'Source not set'
    fields.push([
      `Funding ${n + 1}`,
      `${source}${f.program ? ` (${f.program})` : ''}${f.category ? `, category ${f.category}` : ''}: budgeted ${money(f.budgeted)}, obligated ${money(f.obligated)}, spent ${money(f.spent)}`,
    ])
  })
  i.metrics.forEach((m, n) => {
    fields.push([
      `Metric ${n + 1}`,
      `${m.name || 'Unnamed'}${m.type ? ` (${labelOf(METRIC_TYPES, m.type)})` : ''}: baseline ${m.baseline || '—'}, target ${m.target || '—'}${m.targetDate ? ` by ${m.targetDate}` : ''}`,
    ])
  })
  i.milestones.forEach((m, n) => {
    fields.push([
      `Milestone ${n + 1}`,
      `${m.title || 'Untitled'}${m.dueDate ? `, due ${m.dueDate}` : ''}${m.done ? ' (done)' : ''}`,
    ])
  })
  return fields
}

function diffFields(scope: string, before: Fields, after: Fields, out: FieldChange[]): void {
  const a = new Map(before)
  const b = new Map(after)
  const names = [...new Set([...a.keys(), ...b.keys()])]
  for (const field of names) {
    const x = a.get(field) ?? null
    const y = b.get(field) ?? null
    if (x !== y) out.push({ scope, field, before: x, after: y })
  }
}

/** Structured fields that differ between two snapshots of a plan, plus initiatives added and removed. */
export function fieldChanges(from: PlanSnapshot, to: PlanSnapshot) {
  const fields: FieldChange[] = []
  const leverLabels = new Map([...from.levers, ...to.levers].map((l) => [l.id, l.label]))
  const leverLabel = (id: string) => leverLabels.get(id) ?? id
  diffFields(
    'Plan',
    [
      ['Title', from.title],
      ['Status', labelOf(PLAN_STATUSES, from.status)],
      ['Last reviewed', from.lastReviewed],
      ['Target components', list(from.targetComponents.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)))],
      ['Levers', list(from.levers.map((l) => l.label))],
    ],
    [
      ['Title', to.title],
      ['Status', labelOf(PLAN_STATUSES, to.status)],
      ['Last reviewed', to.lastReviewed],
      ['Target components', list(to.targetComponents.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)))],
      ['Levers', list(to.levers.map((l) => l.label))],
    ],
    fields,
  )
  const before = new Map(from.initiatives.map((i) => [i.id, i]))
  const after = new Map(to.initiatives.map((i) => [i.id, i]))
  const title = (i: InitiativeSnapshot) => i.title.trim() || 'Untitled initiative'
  for (const i of to.initiatives) {
    const old = before.get(i.id)
    if (old)
      diffFields(`Initiative “${title(i)}”`, initiativeFields(old, leverLabel), initiativeFields(i, leverLabel), fields)
  }
  return {
    fields,
    initiativesAdded: to.initiatives.filter((i) => !before.has(i.id)).map((i) => ({ id: i.id, title: title(i) })),
    initiativesRemoved: from.initiatives.filter((i) => !after.has(i.id)).map((i) => ({ id: i.id, title: title(i) })),
  }
}
