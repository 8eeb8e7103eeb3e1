import * as Y from 'yjs'
import { proseFields } from '../comments/marks.ts'
import { PlanModel } from '../plan/PlanModel.ts'
import type { ProseNode } from './api.ts'

/** The mark type a Yjs formatting key stands for (`comment--<hash>` is an overlapping `comment` mark). */
function markType(key: string): string {
  const cut = key.indexOf('--')
  return cut > 0 ? key.slice(0, cut) : key
}

function textNodes(text: Y.XmlText): ProseNode[] {
  const nodes: ProseNode[] = []
  for (const op of text.toDelta() as Array<{ insert?: unknown; attributes?: Record<string, unknown> }>) {
    if (typeof op.insert !== 'string' || op.insert === '') continue
    const node: ProseNode = { type: 'text', text: op.insert }
    const marks = Object.entries(op.attributes ?? {}).map(([key, value]) => {
      const attrs = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {}
      return Object.keys(attrs).length > 0 ? { type: markType(key), attrs } : { type: markType(key) }
    })
    if (marks.length > 0) node.marks = marks
    nodes.push(node)
  }
  return nodes
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

/** A prose fragment as ProseMirror JSON (a `doc` node), the way the editor's schema reads it. */
export function fragmentToProseJson(fragment: Y.XmlFragment): ProseNode {
  const content = children(fragment)
  return content.length > 0 ? { type: 'doc', content } : { type: 'doc' }
}

/** Every prose field of a plan (sections and initiative descriptions) as ProseMirror JSON. */
export function planProseJson(doc: Y.Doc): Record<string, ProseNode> {
  const out: Record<string, ProseNode> = {}
  for (const { field, fragment } of proseFields(new PlanModel(doc))) out[field] = fragmentToProseJson(fragment)
  return out
}
