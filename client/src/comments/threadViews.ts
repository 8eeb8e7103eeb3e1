import {
  findCommentMarks,
  initiativeDescriptionField,
  PLAN_SECTIONS,
  type PlanModel,
  type SnapshotParts,
  sectionField,
  type ThreadModel,
  type ThreadSnapshot,
  type ThreadVisibility,
} from '@lever/shared'
import type * as Y from 'yjs'

/** Where in the plan a thread is, for showing it and for taking people there. */
export type ThreadPlace =
  | { kind: 'section'; sectionId: string }
  | { kind: 'description'; initiativeId: string }
  | { kind: 'initiative'; initiativeId: string }
  | { kind: 'metric'; initiativeId: string; metricId: string }
  | { kind: 'unknown' }

/** A thread as the comments sidebar shows it. */
export interface ThreadView {
  thread: ThreadSnapshot
  /** Who may read it: the team and coaches, or everyone who can read the plan. */
  visibility: ThreadVisibility
  place: ThreadPlace
  /** What it is about, e.g. "Problem and baseline" or "Wage floor: description". */
  label: string
  /** A text thread whose marked words are gone ("original text deleted"). */
  orphaned: boolean
  /** The words under the mark now (may differ from the quote after edits), or null. */
  markedText: string | null
  /** Document order (compared element by element). */
  order: number[]
  /** Started by me or with a comment of mine. */
  mine: boolean
  /** Some comment mentions me. */
  mentionsMe: boolean
}

export const THREAD_FILTERS = [
  { id: 'open', label: 'Open' },
  { id: 'resolved', label: 'Resolved' },
  { id: 'mine', label: 'Mine' },
  { id: 'mentions', label: 'Mentioning me' },
  { id: 'all', label: 'All' },
] as const
export type ThreadFilter = (typeof THREAD_FILTERS)[number]['id']

export function matchesFilter(view: ThreadView, filter: ThreadFilter): boolean {
  switch (filter) {
    case 'open':
      return view.thread.status === 'open'
    case 'resolved':
      return view.thread.status === 'resolved'
    case 'mine':
      return view.mine
    case 'mentions':
      return view.mentionsMe
    default:
      return true
  }
}

const sectionIndex = new Map<string, number>(PLAN_SECTIONS.map((s, i) => [sectionField(s.id), i]))

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1)
    if (d !== 0) return d
  }
  return 0
}

/**
 * Every thread of the plan in document order: sections in their order, then initiatives as
 * they are shown (lever by lever), each initiative's own threads first, then its description's,
 * then its metrics'. Within a field, by where the marked words are; a thread whose words were
 * deleted comes last in its field. Threads whose initiative is gone come at the end.
 */
export function threadViews(
  doc: Y.Doc,
  model: PlanModel,
  threads: ReadonlyArray<{ thread: ThreadModel; visibility: ThreadVisibility }>,
  userId: string,
  parts?: SnapshotParts,
  /** How a thread is read (by default afresh; the page passes a cache of unchanged threads). */
  snapshotOf: (thread: ThreadModel) => ThreadSnapshot = (thread) => thread.snapshot(),
): ThreadView[] {
  const marks = findCommentMarks(doc, parts)
  // Initiatives as shown, lever by lever (one whose lever is not in the plan is not shown).
  const levers = new Set(model.leverList().map((lever) => lever.id))
  const initiatives = model.initiatives().filter((initiative) => levers.has(initiative.lever))
  const initiativeIndex = new Map(initiatives.map((initiative, i) => [initiative.id, i]))
  const descriptionIndex = new Map(initiatives.map((initiative, i) => [initiativeDescriptionField(initiative.id), i]))
  const titleOf = (id: string) => model.initiative(id)?.title.trim() || 'Untitled initiative'

  const views = threads.flatMap(({ thread: model_, visibility }): ThreadView[] => {
    const thread = snapshotOf(model_)
    if (!thread.id) return []
    const anchor = thread.anchor
    const mark = marks.get(thread.id) ?? null
    const mine = thread.authorId === userId || thread.comments.some((c) => c.authorId === userId && !c.deleted)
    const mentionsMe = thread.comments.some((c) => c.mentions.includes(userId))
    const base = { thread, visibility, mine, mentionsMe, markedText: mark?.text ?? null }
    const end = Number.MAX_SAFE_INTEGER
    const unknown = (label: string): ThreadView => ({
      ...base,
      place: { kind: 'unknown' },
      label,
      orphaned: anchor?.kind === 'text' && !mark,
      order: [2, Date.parse(thread.createdAt) || 0],
    })
    if (!anchor) return [unknown('The plan')]
    if (anchor.kind === 'text') {
      const orphaned = !mark
      const offset = mark && mark.field === anchor.field ? mark.offset : end
      // The marks say where the words are now; the anchor where they were first.
      const field = mark?.field ?? anchor.field
      const s = sectionIndex.get(field)
      if (s !== undefined) {
        const section = PLAN_SECTIONS[s]
        return [
          {
            ...base,
            place: { kind: 'section', sectionId: section?.id ?? '' },
            label: section ? section.label : 'A section',
            orphaned,
            order: [0, s, orphaned ? end : offset],
          },
        ]
      }
      const d = descriptionIndex.get(field)
      const initiativeId = field.split(':')[1] ?? ''
      if (d === undefined) return [unknown(orphaned ? 'Text that was deleted' : 'The plan')]
      return [
        {
          ...base,
          place: { kind: 'description', initiativeId },
          label: `${titleOf(initiativeId)}: description`,
          orphaned,
          order: [1, d, 1, orphaned ? end : offset],
        },
      ]
    }
    const i = initiativeIndex.get(anchor.initiativeId)
    if (i === undefined) return [unknown('An initiative that was removed')]
    if (anchor.kind === 'initiative') {
      return [
        {
          ...base,
          place: { kind: 'initiative', initiativeId: anchor.initiativeId },
          label: titleOf(anchor.initiativeId),
          orphaned: false,
          order: [1, i, 0],
        },
      ]
    }
    const metrics = model.initiative(anchor.initiativeId)?.metrics.list() ?? []
    const m = metrics.findIndex((metric) => metric.id === anchor.metricId)
    const metric = metrics[m]
    const metricName = metric?.text('name')?.toString().trim() || (metric ? `metric ${m + 1}` : 'a removed metric')
    return [
      {
        ...base,
        place: { kind: 'metric', initiativeId: anchor.initiativeId, metricId: anchor.metricId },
        label: `${titleOf(anchor.initiativeId)}: ${metricName}`,
        orphaned: false,
        order: [1, i, 2, m === -1 ? end : m],
      },
    ]
  })
  return views.sort((a, b) => compareOrder(a.order, b.order) || a.thread.createdAt.localeCompare(b.thread.createdAt))
}
