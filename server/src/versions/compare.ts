import {
  type CompareResponse,
  initiativeDescriptionField,
  PLAN_SECTIONS,
  PlanModel,
  sectionField,
  type TextChange,
  type VersionPerson,
} from '@lever/shared'
import { diffWordsWithSpace } from 'diff'
import * as Y from 'yjs'
import { fieldChanges } from './fieldChanges.ts'

/** Plain text of a prose fragment (blocks on lines of their own) and the Yjs client that wrote each character. */
export function attributedText(fragment: Y.XmlFragment): { text: string; clients: number[] } {
  let text = ''
  const clients: number[] = []
  const visit = (node: Y.XmlFragment) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        let item = child._start
        while (item) {
          if (!item.deleted && item.content instanceof Y.ContentString) {
            const s = item.content.str
            text += s
            for (let i = 0; i < s.length; i++) clients.push(item.id.client)
          }
          item = item.right
        }
      } else if (child instanceof Y.XmlElement) {
        if (text !== '' && !text.endsWith('\n')) {
          text += '\n'
          clients.push(-1)
        }
        visit(child)
      }
    }
  }
  visit(fragment)
  return { text, clients }
}

/** Who wrote a character, by the Yjs client id that inserted it (null: not known). */
export type WhoWrote = (clientId: number) => VersionPerson | null

/** Prose changes from `before` to `after`, word by word, insertions attributed to who wrote them. */
export function proseChanges(before: Y.XmlFragment | null, after: Y.XmlFragment | null, who: WhoWrote): TextChange[] {
  const a = before ? attributedText(before) : { text: '', clients: [] }
  const b = after ? attributedText(after) : { text: '', clients: [] }
  if (a.text === b.text) return []
  const changes: TextChange[] = []
  let offset = 0
  for (const part of diffWordsWithSpace(a.text, b.text)) {
    if (part.removed) {
      changes.push({ kind: 'deleted', text: part.value })
      continue
    }
    if (part.added) {
      const people = new Map<string, VersionPerson>()
      for (const client of new Set(b.clients.slice(offset, offset + part.value.length))) {
        const person = client >= 0 ? who(client) : null
        if (person) people.set(person.id, person)
      }
      changes.push(
        people.size > 0
          ? { kind: 'inserted', text: part.value, by: [...people.values()] }
          : { kind: 'inserted', text: part.value },
      )
    } else {
      changes.push({ kind: 'same', text: part.value })
    }
    offset += part.value.length
  }
  return changes
}

/**
 * Compares two states of a plan (older first): prose field by field with insertions and
 * deletions, and the structured fields before → after.
 */
export function comparePlans(
  from: Y.Doc,
  to: Y.Doc,
  who: WhoWrote,
  labels: { from: { id: string; label: string }; to: { id: string; label: string } },
): CompareResponse {
  const a = new PlanModel(from)
  const b = new PlanModel(to)
  const prose: CompareResponse['prose'] = []
  for (const s of PLAN_SECTIONS) {
    const field = sectionField(s.id)
    const changes = proseChanges(a.section(s.id), b.section(s.id), who)
    if (changes.length > 0) prose.push({ field, label: s.label, changes })
  }
  const ids = [...new Set([...b.initiatives(), ...a.initiatives()].map((i) => i.id))]
  for (const id of ids) {
    const x = a.initiative(id)
    const y = b.initiative(id)
    const changes = proseChanges(x?.description ?? null, y?.description ?? null, who)
    const title = (y ?? x)?.title.trim() || 'Untitled initiative'
    if (changes.length > 0) {
      prose.push({ field: initiativeDescriptionField(id), label: `Initiative “${title}”: description`, changes })
    }
  }
  return { ...labels, prose, ...fieldChanges(a.snapshot(), b.snapshot()) }
}
