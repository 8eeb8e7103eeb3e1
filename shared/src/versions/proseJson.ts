import type * as Y from 'yjs'
import { proseFields } from '../comments/marks.ts'
import { proseJson } from '../export/proseJson.ts'
import { PlanModel } from '../plan/PlanModel.ts'
import type { ProseNode } from './api.ts'

/**
 * A prose fragment as ProseMirror JSON (a `doc` node), read by the one reader the export model
 * uses too (`export/proseJson.ts`); an empty fragment is a bare `doc`, as the editor gives it.
 */
export function fragmentToProseJson(fragment: Y.XmlFragment): ProseNode {
  const doc = proseJson(fragment)
  return doc.content && doc.content.length > 0 ? doc : { type: 'doc' }
}

/** Every prose field of a plan (sections and initiative descriptions) as ProseMirror JSON. */
export function planProseJson(doc: Y.Doc): Record<string, ProseNode> {
  const out: Record<string, ProseNode> = {}
  for (const { field, fragment } of proseFields(new PlanModel(doc))) out[field] = fragmentToProseJson(fragment)
  return out
}
