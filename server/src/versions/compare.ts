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
import { commonBlocks } from './commonBlocks.ts'
import { fieldChanges } from './fieldChanges.ts'

interface Block {
  text: string
  /** The Yjs client that wrote each character. */
  clients: number[]
}

/** The text blocks of a prose fragment (paragraphs, headings, list items' paragraphs), with who wrote each character. */
export function textBlocks(fragment: Y.XmlFragment): Block[] {
  const blocks: Block[] = []
  const visit = (node: Y.XmlFragment) => {
    let block: Block | null = null
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        block ??= { text: '', clients: [] }
        let item = child._start
        while (item) {
          if (!item.deleted && item.content instanceof Y.ContentString) {
            const s = item.content.str
            block.text += s
            for (let i = 0; i < s.length; i++) block.clients.push(item.id.client)
          }
          item = item.right
        }
      } else if (child instanceof Y.XmlElement) {
        visit(child)
      }
    }
    if (block) blocks.push(block)
  }
  for (const child of fragment.toArray()) {
    if (child instanceof Y.XmlElement) visit(child)
  }
  return blocks
}

/** Who wrote a character, by the Yjs client id that inserted it (null: not known). */
export type WhoWrote = (clientId: number) => VersionPerson | null

/**
 * The most word-level edits (words and spaces removed plus added) looked through in one changed
 * block: a paragraph of some 500 words rewritten whole. Past it the block shows as replaced
 * whole; the search costs about the square of this (90 ms at 1,000 on this machine).
 */
export const MAX_WORD_EDITS = 1000

/**
 * The time one comparison may spend matching blocks and words, in milliseconds. It runs on the
 * server's event loop, so this bounds how long a hostile plan (many long lists and paragraphs
 * rewritten whole) can hold it; past it, the changed blocks left show as replaced whole.
 */
export const COMPARE_BUDGET_MS = 1000

/** Word-level changes inside one block, insertions attributed to who wrote them. */
function blockChanges(before: string, after: Block, who: WhoWrote, out: TextChange[], deadline: number): void {
  const left = deadline - performance.now()
  const words =
    left > 0
      ? diffWordsWithSpace(before, after.text, { maxEditLength: MAX_WORD_EDITS, timeout: Math.ceil(left) })
      : undefined
  const parts = words ?? [
    { value: before, added: false, removed: true, count: 1 },
    { value: after.text, added: true, removed: false, count: 1 },
  ]
  let offset = 0
  for (const part of parts) {
    if (part.value === '') continue
    if (part.removed) {
      out.push({ kind: 'deleted', text: part.value })
      continue
    }
    if (part.added) {
      const people = new Map<string, VersionPerson>()
      for (const client of new Set(after.clients.slice(offset, offset + part.value.length))) {
        const person = who(client)
        if (person) people.set(person.id, person)
      }
      out.push(
        people.size > 0
          ? { kind: 'inserted', text: part.value, by: [...people.values()] }
          : { kind: 'inserted', text: part.value },
      )
    } else {
      out.push({ kind: 'same', text: part.value })
    }
    offset += part.value.length
  }
}

/**
 * Prose changes from `before` to `after`: blocks are matched first (unchanged ones stay whole),
 * then changed blocks are compared word by word until `deadline` (`performance.now()` time), so
 * the cost follows the size of the change and stays bounded.
 */
export function proseChanges(
  before: Y.XmlFragment | null,
  after: Y.XmlFragment | null,
  who: WhoWrote,
  deadline = performance.now() + COMPARE_BUDGET_MS,
): TextChange[] {
  const a = before ? textBlocks(before) : []
  const b = after ? textBlocks(after) : []
  const aText = a.map((x) => x.text)
  const bText = b.map((x) => x.text)
  if (aText.join('\n') === bText.join('\n')) return []
  const changes: TextChange[] = []
  const separate = () => {
    if (changes.length > 0) changes.push({ kind: 'same', text: '\n' })
  }
  let i = 0
  let j = 0
  const unmatched = (untilA: number, untilB: number) => {
    while (i < untilA || j < untilB) {
      separate()
      if (i < untilA && j < untilB) blockChanges(aText[i++] as string, b[j++] as Block, who, changes, deadline)
      else if (i < untilA) changes.push({ kind: 'deleted', text: aText[i++] as string })
      else blockChanges('', b[j++] as Block, who, changes, deadline)
    }
  }
  for (const [x, y] of commonBlocks(aText, bText, deadline)) {
    unmatched(x, y)
    separate()
    changes.push({ kind: 'same', text: bText[y] as string })
    i = x + 1
    j = y + 1
  }
  unmatched(a.length, b.length)
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
  // One budget for every field's matching.
  const deadline = performance.now() + COMPARE_BUDGET_MS
  for (const s of PLAN_SECTIONS) {
    const field = sectionField(s.id)
    const changes = proseChanges(a.section(s.id), b.section(s.id), who, deadline)
    if (changes.length > 0) prose.push({ field, label: s.label, changes })
  }
  const ids = [...new Set([...b.initiatives(), ...a.initiatives()].map((i) => i.id))]
  for (const id of ids) {
    const x = a.initiative(id)
    const y = b.initiative(id)
    const changes = proseChanges(x?.description ?? null, y?.description ?? null, who, deadline)
    const title = (y ?? x)?.title.trim() || 'Untitled initiative'
    if (changes.length > 0) {
      prose.push({ field: initiativeDescriptionField(id), label: `Initiative “${title}”: description`, changes })
    }
  }
  return { ...labels, prose, ...fieldChanges(a.snapshot(), b.snapshot()) }
}
