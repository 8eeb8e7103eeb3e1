import * as Y from 'yjs'
import { PLAN_SECTIONS } from '../plan/catalog.ts'
import { PlanModel, readTogether, type SnapshotParts, sectionField } from '../plan/PlanModel.ts'

/**
 * Comment anchors in prose are a Tiptap mark named `comment` carrying only `{ threadId }`. The mark
 * may overlap itself (`excludes: ''`), so the Yjs binding stores it as a formatting attribute named
 * `comment--<hash of the mark>`; a mark that cannot overlap would be stored as plain `comment`.
 */
export const COMMENT_MARK = 'comment'

export function isCommentMarkKey(key: string): boolean {
  return key === COMMENT_MARK || key.startsWith(`${COMMENT_MARK}--`)
}

/** The thread id a comment formatting attribute points to, if it is one. */
export function threadIdOfAttribute(key: string, value: unknown): string | null {
  if (!isCommentMarkKey(key) || value === null || typeof value !== 'object') return null
  const threadId = (value as { threadId?: unknown }).threadId
  return typeof threadId === 'string' && threadId !== '' ? threadId : null
}

/** Where a thread's marked text currently is: the field and the text under the mark. */
export interface MarkedText {
  field: string
  text: string
  /** Position of the first marked character in the field's plain text (for document order). */
  offset: number
}

/** Names of every prose field of a plan: its sections and the description of each initiative. */
export function proseFields(plan: PlanModel, parts?: SnapshotParts): Array<{ field: string; fragment: Y.XmlFragment }> {
  const fields = PLAN_SECTIONS.map((s) => ({ field: sectionField(s.id), fragment: plan.section(s.id) }))
  const initiatives = readTogether(parts, 'proseFields:initiatives', [plan.initiativesMap, plan.levers], () =>
    plan.initiatives(),
  )
  for (const initiative of initiatives) {
    const fragment = initiative.description
    if (fragment) fields.push({ field: initiativeDescriptionField(initiative.id), fragment })
  }
  return fields
}

export function initiativeDescriptionField(initiativeId: string): string {
  return `initiative:${initiativeId}:description`
}

/** Every thread id that has marked text in the plan, with where the text is, in document order. */
export function findCommentMarks(doc: Y.Doc, parts?: SnapshotParts): Map<string, MarkedText> {
  const found = new Map<string, MarkedText>()
  for (const { field, fragment } of proseFields(new PlanModel(doc), parts)) {
    const inField = parts ? parts.part(fragment, () => marksIn(field, fragment)) : marksIn(field, fragment)
    // A thread marked in two fields is where its first field has it.
    for (const [threadId, mark] of inField) if (!found.has(threadId)) found.set(threadId, { ...mark })
  }
  return found
}

/** The marked words of one field, by thread, with where each starts. */
function marksIn(field: string, fragment: Y.XmlFragment): Map<string, MarkedText> {
  const found = new Map<string, MarkedText>()
  let offset = 0
  const visit = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta() as Array<{ insert?: unknown; attributes?: Record<string, unknown> }>) {
          const text = typeof op.insert === 'string' ? op.insert : ''
          for (const [key, value] of Object.entries(op.attributes ?? {})) {
            const threadId = threadIdOfAttribute(key, value)
            if (!threadId) continue
            const existing = found.get(threadId)
            if (existing) existing.text += text
            else found.set(threadId, { field, text, offset })
          }
          offset += text.length
        }
      } else if (child instanceof Y.XmlElement) {
        visit(child)
        offset += 1
      }
    }
  }
  visit(fragment)
  return found
}
