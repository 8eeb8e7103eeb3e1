import * as Y from 'yjs'

/** A ProseMirror mark as JSON (`{ type, attrs? }`). */
export interface ProseMark {
  type: string
  attrs?: Record<string, unknown>
}

/** A ProseMirror node as JSON, the shape `Node.toJSON()` gives (`doc` at the top). */
export interface ProseNode {
  type: string
  attrs?: Record<string, unknown>
  content?: ProseNode[]
  text?: string
  marks?: ProseMark[]
}

/**
 * The mark type a Yjs formatting attribute stands for. Marks that may overlap themselves (the
 * comment mark) are stored by the Tiptap binding as `<type>--<hash>`.
 */
function markType(key: string): string {
  const i = key.indexOf('--')
  return i === -1 ? key : key.slice(0, i)
}

function marksOf(attributes: Record<string, unknown> | undefined): ProseMark[] | undefined {
  if (!attributes) return undefined
  const marks: ProseMark[] = []
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue
    const attrs = typeof value === 'object' && Object.keys(value).length > 0 ? (value as Record<string, unknown>) : null
    marks.push(attrs ? { type: markType(key), attrs } : { type: markType(key) })
  }
  return marks.length ? marks : undefined
}

function textNodes(text: Y.XmlText): ProseNode[] {
  const out: ProseNode[] = []
  for (const op of text.toDelta() as Array<{ insert?: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== 'string' || op.insert === '') continue
    const marks = marksOf(op.attributes)
    out.push(marks ? { type: 'text', text: op.insert, marks } : { type: 'text', text: op.insert })
  }
  return out
}

function children(parent: Y.XmlFragment | Y.XmlElement): ProseNode[] {
  const out: ProseNode[] = []
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out.push(...textNodes(child))
    else if (child instanceof Y.XmlElement) out.push(elementNode(child))
  }
  return out
}

function elementNode(element: Y.XmlElement): ProseNode {
  const node: ProseNode = { type: element.nodeName }
  const attrs = element.getAttributes() as Record<string, unknown>
  if (Object.keys(attrs).length > 0) node.attrs = attrs
  const content = children(element)
  if (content.length > 0) node.content = content
  return node
}

/**
 * The ProseMirror JSON of a prose field (what the Tiptap editor bound to it holds), read straight
 * from the Yjs fragment, so a server or an export can read prose without an editor.
 */
export function proseJson(fragment: Y.XmlFragment | null): ProseNode {
  return { type: 'doc', content: fragment ? children(fragment) : [] }
}

/** The plain text of a node (paragraphs and list items joined with newlines). */
export function proseText(node: ProseNode): string {
  if (node.type === 'text') return node.text ?? ''
  if (node.type === 'hardBreak') return '\n'
  const inner = (node.content ?? []).map(proseText)
  const isBlockContainer = (node.content ?? []).some((c) => c.type !== 'text' && c.type !== 'hardBreak')
  return inner.join(isBlockContainer ? '\n' : '')
}

/** Whether a prose field has any words in it. */
export function proseIsEmpty(node: ProseNode): boolean {
  return proseText(node).trim() === ''
}

/** Number of words in a prose field (for summaries and limits). */
export function proseWordCount(node: ProseNode): number {
  const text = proseText(node).trim()
  return text === '' ? 0 : text.split(/\s+/u).length
}
