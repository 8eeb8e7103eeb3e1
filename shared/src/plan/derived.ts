import { EVIDENCE_TIERS, JOB_QUALITY_COMPONENTS, PLAN_SECTIONS, SLFRF_DEADLINES } from './catalog.ts'
import { formatDollars, fundingLineProblems } from './funding.ts'
import { type InitiativeSnapshot, localToday, type PlanSnapshot, TITLE_MAX } from './schemas.ts'

/**
 * Views computed from a plan snapshot. They are pure: the client recomputes them on every change
 * of the document, and the server can compute them for dashboards and exports.
 */

export interface CoverageMatrix {
  levers: Array<{ id: string; label: string }>
  /** The eight components; `targeted` when the plan says it targets that component. */
  components: Array<{ id: string; label: string; short: string; targeted: boolean }>
  /** counts[leverId][componentId]: initiatives of that lever addressing that component. */
  counts: Record<string, Record<string, number>>
  byComponent: Record<string, number>
  byLever: Record<string, number>
}

export function coverageMatrix(plan: PlanSnapshot): CoverageMatrix {
  const counts: Record<string, Record<string, number>> = {}
  const byComponent: Record<string, number> = {}
  const byLever: Record<string, number> = {}
  for (const c of JOB_QUALITY_COMPONENTS) byComponent[c.id] = 0
  for (const l of plan.levers) {
    counts[l.id] = Object.fromEntries(JOB_QUALITY_COMPONENTS.map((c) => [c.id, 0]))
    byLever[l.id] = 0
  }
  for (const initiative of plan.initiatives) {
    const row = counts[initiative.lever]
    if (!row) continue
    byLever[initiative.lever] = (byLever[initiative.lever] ?? 0) + 1
    for (const c of initiative.components) {
      row[c] = (row[c] ?? 0) + 1
      byComponent[c] = (byComponent[c] ?? 0) + 1
    }
  }
  return {
    levers: plan.levers.map(({ id, label }) => ({ id, label })),
    components: JOB_QUALITY_COMPONENTS.map(({ id, label, short }) => ({
      id,
      label,
      short,
      targeted: (plan.targetComponents as string[]).includes(id),
    })),
    counts,
    byComponent,
    byLever,
  }
}

export interface CompletenessItem {
  /** Stable key, e.g. `section:problem` or `initiative:<id>:owner`. */
  key: string
  label: string
  done: boolean
  /** Where to go to fill it in. */
  target:
    | { kind: 'section'; sectionId: string }
    | { kind: 'initiative'; initiativeId: string; field: string }
    | { kind: 'plan'; field: string }
}

export interface Completeness {
  items: CompletenessItem[]
  done: number
  total: number
  /** 0-100, rounded down. */
  percent: number
}

const initiativeChecks: Array<{ field: string; label: string; done: (i: InitiativeSnapshot) => boolean }> = [
  { field: 'title', label: 'title', done: (i) => i.title.trim() !== '' },
  { field: 'description', label: 'description', done: (i) => i.description.trim() !== '' },
  { field: 'owner', label: 'owner', done: (i) => i.owner.trim() !== '' },
  { field: 'dates', label: 'start and due dates', done: (i) => i.startDate !== null && i.dueDate !== null },
  { field: 'components', label: 'job-quality components', done: (i) => i.components.length > 0 },
  { field: 'funding', label: 'funding', done: (i) => i.funding.some((f) => f.source !== null) },
  { field: 'evidence', label: 'evidence tier', done: (i) => i.evidence.tier !== null },
  { field: 'metrics', label: 'at least one metric', done: (i) => i.metrics.length > 0 },
]

export function completeness(plan: PlanSnapshot): Completeness {
  const items: CompletenessItem[] = []
  items.push({
    key: 'plan:targetComponents',
    label: 'Components of job quality the plan targets',
    done: plan.targetComponents.length > 0,
    target: { kind: 'plan', field: 'targetComponents' },
  })
  for (const s of PLAN_SECTIONS) {
    items.push({
      key: `section:${s.id}`,
      label: s.label,
      done: (plan.sections[s.id] ?? '').trim() !== '',
      target: { kind: 'section', sectionId: s.id },
    })
  }
  for (const lever of plan.levers) {
    if (!plan.initiatives.some((i) => i.lever === lever.id)) {
      items.push({
        key: `lever:${lever.id}`,
        label: `${lever.label}: at least one initiative`,
        done: false,
        target: { kind: 'plan', field: `lever:${lever.id}` },
      })
    }
  }
  for (const initiative of plan.initiatives) {
    const name = initiative.title.trim() || 'Untitled initiative'
    for (const check of initiativeChecks) {
      items.push({
        key: `initiative:${initiative.id}:${check.field}`,
        label: `${name}: ${check.label}`,
        done: check.done(initiative),
        target: { kind: 'initiative', initiativeId: initiative.id, field: check.field },
      })
    }
  }
  const done = items.filter((i) => i.done).length
  return { items, done, total: items.length, percent: items.length ? Math.floor((done * 100) / items.length) : 0 }
}

export type WarningCode =
  | 'slfrfSpendDeadline'
  | 'slfrfObligationDeadline'
  | 'slfrfUnobligatedBalance'
  | 'noMetric'
  | 'noOwner'
  | 'noEvidenceTier'
  | 'noEvaluationDesign'
  | 'dueBeforeStart'
  | 'milestoneOutsideDates'
  | 'titleTooLong'
  | 'obligatedOverBudget'
  | 'spentOverObligated'
  | 'spentOverBudget'
  | 'slfrfLineObligatedLate'
  | 'slfrfLineSpentLate'

export interface PlanWarning {
  code: WarningCode
  severity: 'high' | 'medium'
  initiativeId: string
  message: string
  /** The funding line or milestone the warning is about, and the field to change. */
  item?: { kind: 'funding' | 'milestone'; id: string; field: string }
}

const evidenceBuilding = new Set<string>(EVIDENCE_TIERS.filter((t) => t.kind === 'evidenceBuilding').map((t) => t.id))

/** Problems the program cares about, most serious first. `today` is `YYYY-MM-DD`. */
export function planWarnings(plan: PlanSnapshot, today: string = localToday()): PlanWarning[] {
  const warnings: PlanWarning[] = []
  for (const i of plan.initiatives) {
    const name = i.title.trim() || 'Untitled initiative'
    const add = (code: WarningCode, severity: PlanWarning['severity'], message: string, item?: PlanWarning['item']) =>
      warnings.push({ code, severity, initiativeId: i.id, message: `${name}: ${message}`, ...(item ? { item } : {}) })
    const slfrf = i.funding.filter((f) => f.source === 'slfrf')
    if (slfrf.length > 0) {
      // Lines without their own spending date are judged by the initiative's dates.
      const undated = slfrf.some((f) => f.spentBy === null)
      const lateDates = [i.dueDate, ...i.milestones.map((m) => m.dueDate)].filter(
        (d): d is string => d !== null && d > SLFRF_DEADLINES.spendBy,
      )
      if (undated && lateDates.length > 0) {
        add(
          'slfrfSpendDeadline',
          'high',
          `SLFRF-funded work runs to ${lateDates.sort().at(-1)}, past the spending deadline of ${SLFRF_DEADLINES.spendBy}.`,
        )
      }
      if (
        slfrf.every((f) => f.obligatedBy === null) &&
        i.startDate !== null &&
        i.startDate > SLFRF_DEADLINES.obligateBy
      ) {
        add(
          'slfrfObligationDeadline',
          'high',
          `SLFRF-funded work starts ${i.startDate}, after funds must be obligated (${SLFRF_DEADLINES.obligateBy}).`,
        )
      }
      const unobligated = slfrf.reduce((sum, f) => sum + Math.max(0, (f.budgeted ?? 0) - (f.obligated ?? 0)), 0)
      if (unobligated > 0 && today > SLFRF_DEADLINES.obligateBy) {
        add(
          'slfrfUnobligatedBalance',
          'high',
          `${formatDollars(unobligated)} of SLFRF budget is not obligated and the obligation deadline (${SLFRF_DEADLINES.obligateBy}) has passed.`,
        )
      }
    }
    i.funding.forEach((f, index) => {
      for (const p of fundingLineProblems(f)) {
        add(p.code, p.severity, `funding line ${index + 1}: ${p.message}`, {
          kind: 'funding',
          id: f.id,
          field: p.field,
        })
      }
    })
    if (i.title.length > TITLE_MAX) add('titleTooLong', 'medium', `the title is longer than ${TITLE_MAX} characters.`)
    if (i.startDate !== null && i.dueDate !== null && i.dueDate < i.startDate)
      add('dueBeforeStart', 'medium', 'the due date is before the start date.')
    for (const m of i.milestones) {
      if (m.dueDate === null) continue
      const label = m.title.trim() ? `milestone “${m.title.trim()}”` : 'a milestone'
      if (i.startDate !== null && m.dueDate < i.startDate) {
        add(
          'milestoneOutsideDates',
          'medium',
          `${label} is due ${m.dueDate}, before the initiative starts (${i.startDate}).`,
          {
            kind: 'milestone',
            id: m.id,
            field: 'dueDate',
          },
        )
      } else if (i.dueDate !== null && m.dueDate > i.dueDate) {
        add(
          'milestoneOutsideDates',
          'medium',
          `${label} is due ${m.dueDate}, after the initiative is due (${i.dueDate}).`,
          {
            kind: 'milestone',
            id: m.id,
            field: 'dueDate',
          },
        )
      }
    }
    if (i.metrics.length === 0) add('noMetric', 'medium', 'no metric yet.')
    if (i.owner.trim() === '') add('noOwner', 'medium', 'no owner yet.')
    if (i.evidence.tier === null) add('noEvidenceTier', 'medium', 'no evidence tier yet.')
    else if (evidenceBuilding.has(i.evidence.tier) && i.evidence.evaluationDesign.trim() === '') {
      add('noEvaluationDesign', 'medium', 'evidence-building work needs an evaluation design.')
    }
  }
  return warnings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'high' ? -1 : 1))
}

/** Something the plan does not have yet, so there is nothing to check about it. */
export interface PlanGap {
  key: 'initiatives' | 'targetComponents' | 'sections'
  message: string
}

/**
 * What is missing before the warnings mean anything: an empty plan has no warnings, but it is not
 * "fine". Empty when the plan has initiatives, target components and some prose.
 */
export function planGaps(plan: PlanSnapshot): PlanGap[] {
  const gaps: PlanGap[] = []
  if (plan.initiatives.length === 0) {
    gaps.push({
      key: 'initiatives',
      message: `No initiatives yet: add one under a lever (${plan.levers.map((l) => l.label).join(', ')}) to check owners, metrics, evidence and funding.`,
    })
  }
  if (plan.targetComponents.length === 0) {
    gaps.push({ key: 'targetComponents', message: 'No components of job quality chosen as the plan’s targets yet.' })
  }
  const empty = PLAN_SECTIONS.filter((s) => (plan.sections[s.id] ?? '').trim() === '')
  if (empty.length === PLAN_SECTIONS.length) {
    gaps.push({
      key: 'sections',
      message: 'Every section is still empty, from the problem and baseline to community engagement.',
    })
  } else if (empty.length > 0) {
    gaps.push({
      key: 'sections',
      message: `${empty.length} of ${PLAN_SECTIONS.length} sections are still empty: ${empty.map((s) => s.label).join(', ')}.`,
    })
  }
  return gaps
}
