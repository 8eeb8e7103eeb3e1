import * as Y from 'yjs'
import { diffText } from './textDiff.ts'

/** Y.Text at `key` of a map; null when absent or of another type. */
export function textAt(map: Y.Map<unknown>, key: string): Y.Text | null {
  const value = map.get(key)
  return value instanceof Y.Text ? value : null
}

export function textOf(map: Y.Map<unknown>, key: string): string {
  return textAt(map, key)?.toString() ?? ''
}

/** Y.Map at `key` of a map; null when absent or of another type. */
export function mapAt<T = unknown>(map: Y.Map<unknown>, key: string): Y.Map<T> | null {
  const value = map.get(key)
  return value instanceof Y.Map ? (value as Y.Map<T>) : null
}

export function stringAt(map: Y.Map<unknown>, key: string): string | null {
  const value = map.get(key)
  return typeof value === 'string' ? value : null
}

export function numberAt(map: Y.Map<unknown>, key: string): number | null {
  const value = map.get(key)
  return typeof value === 'number' && Number.isFinite(value) ? value : null
}

/** Keys of a Y.Map<boolean> whose value is true, in the order of `known` (unknown keys dropped). */
// biome-ignore lint/suspicious/noExplicitAny: any value type; only `=== true` is read
export function flagsOf<T extends string>(map: Y.Map<any> | null, known: readonly T[]): T[] {
  if (!map) return []
  return known.filter((k) => map.get(k) === true)
}

export function newText(value = ''): Y.Text {
  const text = new Y.Text()
  if (value) text.insert(0, value)
  return text
}

/**
 * Replaces a Y.Text's content with the smallest edit (keeps others' cursors where possible).
 * `cursor` is the caret after the change (it settles ambiguous edits); `origin` tags the transaction.
 */
export function setTextMinimal(text: Y.Text, next: string, cursor?: number, origin?: unknown): void {
  const edit = diffText(text.toString(), next, cursor)
  if (!edit) return
  const apply = () => {
    if (edit.deleteCount > 0) text.delete(edit.index, edit.deleteCount)
    if (edit.insert) text.insert(edit.index, edit.insert)
  }
  if (text.doc) text.doc.transact(apply, origin)
  else apply()
}

/** The plain text of a prose fragment: paragraphs on their own lines. */
export function fragmentText(fragment: Y.XmlFragment | Y.XmlElement | null): string {
  if (!fragment) return ''
  const blocks: string[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement, out: string[]) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        out.push(
          child
            .toDelta()
            .map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
            .join(''),
        )
      } else if (child instanceof Y.XmlElement) {
        const inner: string[] = []
        walk(child, inner)
        blocks.push(inner.join(''))
      }
    }
  }
  const top: string[] = []
  walk(fragment, top)
  if (top.length) blocks.unshift(top.join(''))
  return blocks
    .map((b) => b.trim())
    .filter(Boolean)
    .join('\n')
}
