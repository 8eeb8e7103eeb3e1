import type { CompletenessItem, PlanGap, PlanSnapshot, PlanWarning } from '@lever/shared'
import { JOB_QUALITY_COMPONENTS } from '@lever/shared'
import { domIds } from '../domIds.ts'

export interface FocusTarget {
  elementId: string
  initiativeId?: string
}

const firstComponent = JOB_QUALITY_COMPONENTS[0].id

function initiativeTarget(snapshot: PlanSnapshot, initiativeId: string, field: string): FocusTarget {
  const i = snapshot.initiatives.find((x) => x.id === initiativeId)
  const at = (f: string) => ({ elementId: domIds.initiativeField(initiativeId, f), initiativeId })
  const firstFunding = i?.funding[0]
  switch (field) {
    case 'dates':
      return at(i?.startDate ? 'dueDate' : 'startDate')
    case 'components':
      return at(`component-${firstComponent}`)
    case 'funding':
      return firstFunding
        ? { elementId: domIds.fundingField(firstFunding.id, 'source'), initiativeId }
        : at('add-funding')
    case 'metrics':
      return at('add-metric')
    default:
      return at(field)
  }
}

/** Where to take focus to fill in a missing part of the plan. */
export function completenessTarget(snapshot: PlanSnapshot, item: CompletenessItem): FocusTarget {
  const t = item.target
  if (t.kind === 'section') return { elementId: domIds.sectionEditor(t.sectionId) }
  if (t.kind === 'initiative') return initiativeTarget(snapshot, t.initiativeId, t.field)
  if (t.field.startsWith('lever:')) return { elementId: domIds.addInitiative(t.field.slice('lever:'.length)) }
  return { elementId: domIds.targetComponent(firstComponent) }
}

/** Where to take focus to deal with a warning. */
export function warningTarget(snapshot: PlanSnapshot, w: PlanWarning): FocusTarget {
  const i = snapshot.initiatives.find((x) => x.id === w.initiativeId)
  const firstFunding = i?.funding.find((f) => f.source === 'slfrf') ?? i?.funding[0]
  const funding = (field: string) =>
    firstFunding
      ? { elementId: domIds.fundingField(firstFunding.id, field), initiativeId: w.initiativeId }
      : initiativeTarget(snapshot, w.initiativeId, 'funding')
  switch (w.code) {
    case 'slfrfSpendDeadline':
    case 'dueBeforeStart':
      return initiativeTarget(snapshot, w.initiativeId, 'dueDate')
    case 'slfrfObligationDeadline':
      return initiativeTarget(snapshot, w.initiativeId, 'startDate')
    case 'slfrfUnobligatedBalance':
      return funding('obligated')
    case 'obligatedOverBudget':
    case 'spentOverObligated':
    case 'spentOverBudget':
    case 'slfrfLineObligatedLate':
    case 'slfrfLineSpentLate':
      return w.item
        ? { elementId: domIds.fundingField(w.item.id, w.item.field), initiativeId: w.initiativeId }
        : funding('budgeted')
    case 'milestoneOutsideDates':
      return w.item
        ? { elementId: domIds.milestoneField(w.item.id, 'dueDate'), initiativeId: w.initiativeId }
        : initiativeTarget(snapshot, w.initiativeId, 'dueDate')
    case 'titleTooLong':
      return initiativeTarget(snapshot, w.initiativeId, 'title')
    case 'noMetric':
      return initiativeTarget(snapshot, w.initiativeId, 'metrics')
    case 'noOwner':
      return initiativeTarget(snapshot, w.initiativeId, 'owner')
    case 'noEvidenceTier':
      return initiativeTarget(snapshot, w.initiativeId, 'evidence')
    case 'noEvaluationDesign':
      return initiativeTarget(snapshot, w.initiativeId, 'evaluationDesign')
    default:
      return { elementId: domIds.initiativeHeading(w.initiativeId) }
  }
}

/** Where to go to fill in what an empty plan is missing. */
export function gapTarget(snapshot: PlanSnapshot, gap: PlanGap): FocusTarget {
  if (gap.key === 'initiatives') {
    const lever = snapshot.levers[0]
    return { elementId: lever ? domIds.addInitiative(lever.id) : domIds.health }
  }
  if (gap.key === 'targetComponents') return { elementId: domIds.targetComponent(firstComponent) }
  const empty = Object.entries(snapshot.sections).find(([, text]) => text.trim() === '')
  return { elementId: domIds.sectionEditor(empty?.[0] ?? 'problem') }
}
