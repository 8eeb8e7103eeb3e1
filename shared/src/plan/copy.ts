import * as Y from 'yjs'
import { isCommentMarkKey } from '../comments/marks.ts'
import { PLAN_SECTIONS } from './catalog.ts'
import type { InitiativeModel } from './InitiativeModel.ts'
import { orderKeyAt } from './ordering.ts'
import { newId, PlanModel } from './PlanModel.ts'

/**
 * Copying plan content into another document (a plan started from a template, an initiative
 * added from a template or borrowed from a peer's plan). Copies are new Yjs types with fresh ids
 * for every item; comment marks are left behind (threads belong to the plan they were written in).
 */

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>

function withoutCommentMarks(delta: Delta): Delta {
  return delta.map((op) => {
    if (!op.attributes) return op
    const attributes = Object.fromEntries(Object.entries(op.attributes).filter(([key]) => !isCommentMarkKey(key)))
    return Object.keys(attributes).length > 0 ? { ...op, attributes } : { insert: op.insert }
  })
}

/** A deep copy of a value stored in a Y.Doc: shared types become new ones, plain values stay. */
export function copyValue(value: unknown): unknown {
  // Subclasses before their parents: XmlText is a Text, XmlElement is an XmlFragment.
  if (value instanceof Y.XmlText) {
    const text = new Y.XmlText()
    text.applyDelta(withoutCommentMarks(value.toDelta() as Delta))
    return text
  }
  if (value instanceof Y.Text) {
    const text = new Y.Text()
    text.applyDelta(withoutCommentMarks(value.toDelta() as Delta))
    return text
  }
  if (value instanceof Y.XmlElement) {
    const element = new Y.XmlElement(value.nodeName)
    for (const [key, attr] of Object.entries(value.getAttributes())) element.setAttribute(key, attr as never)
    element.insert(
      0,
      value.toArray().map((child) => copyValue(child) as Y.XmlElement | Y.XmlText),
    )
    return element
  }
  if (value instanceof Y.XmlFragment) {
    const fragment = new Y.XmlFragment()
    fragment.insert(
      0,
      value.toArray().map((child) => copyValue(child) as Y.XmlElement | Y.XmlText),
    )
    return fragment
  }
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>()
    for (const [key, inner] of value.entries()) map.set(key, copyValue(inner))
    return map
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>()
    array.push(value.toArray().map(copyValue))
    return array
  }
  return value
}

/** Keys of an initiative that describe the original, not the copy: never copied. */
const ORIGINAL_ONLY = new Set([
  'id',
  'lever',
  'order',
  'createdAt',
  'createdBy',
  'provenance',
  'borrowedFrom',
  'fromTemplate',
])
/** The item collections of an initiative, whose items get fresh ids too. */
const COLLECTIONS = new Set(['funding', 'metrics', 'milestones'])

function copyCollection(source: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const copy = new Y.Map<unknown>()
  for (const item of source.values()) {
    if (!(item instanceof Y.Map)) continue
    const id = newId()
    const map = new Y.Map<unknown>()
    map.set('id', id)
    for (const [field, value] of item.entries()) {
      if (field === 'id') continue
      if (key === 'milestones' && field === 'done') map.set('done', false)
      else map.set(field, copyValue(value))
    }
    copy.set(id, map)
  }
  return copy
}

export interface CopyInitiativeOptions {
  /** The lever of the target plan the copy goes into (at its end). */
  lever: string
  /** The person the copy is made for. */
  createdBy?: string
  /** Extra fields of the copy, e.g. where it came from (`borrowedFrom`, `fromTemplate`). */
  extra?: Record<string, unknown>
}

/**
 * Copies an initiative (of any document) into a plan: a new initiative with a fresh id, its
 * funding lines, metrics and milestones with fresh ids, its status back to "not started" and its
 * milestones not done. Call inside a transaction of the target document.
 */
export function copyInitiative(target: PlanModel, source: InitiativeModel, options: CopyInitiativeOptions): string {
  const siblings = target.initiatives(options.lever)
  const id = newId()
  const map = new Y.Map<unknown>()
  target.doc.transact(() => {
    target.initiativesMap.set(id, map)
    map.set('id', id)
    map.set('lever', options.lever)
    map.set('order', orderKeyAt(siblings, siblings.length))
    for (const [key, value] of source.map.entries()) {
      if (ORIGINAL_ONLY.has(key)) continue
      if (COLLECTIONS.has(key) && value instanceof Y.Map) map.set(key, copyCollection(value, key))
      else if (key === 'status') map.set('status', 'notStarted')
      else map.set(key, copyValue(value))
    }
    map.set('createdAt', new Date().toISOString())
    if (options.createdBy) map.set('createdBy', options.createdBy)
    for (const [key, value] of Object.entries(options.extra ?? {})) map.set(key, value)
  })
  return id
}

/**
 * Copies a whole plan's content (prose sections, targeted components, extra levers, every
 * initiative with fresh ids) into a freshly initialized plan document. Title, jurisdiction,
 * status, sharing, review dates, comments and check-ins stay the target's own.
 */
export function copyPlanContent(source: PlanModel, target: PlanModel, createdBy?: string): string[] {
  const ids: string[] = []
  target.doc.transact(() => {
    for (const section of PLAN_SECTIONS) {
      const from = source.section(section.id)
      if (from.length === 0) continue
      const to = target.section(section.id)
      to.insert(
        to.length,
        from.toArray().map((child) => copyValue(child) as Y.XmlElement | Y.XmlText),
      )
    }
    for (const component of source.targetComponents) target.setTargetComponent(component, true)
    for (const lever of source.leverList()) target.addLever(lever)
    for (const initiative of source.initiatives()) {
      if (!target.levers.has(initiative.lever)) continue
      ids.push(copyInitiative(target, initiative, { lever: initiative.lever, createdBy }))
    }
  })
  return ids
}

/** A new document laid out as a plan, for a template (templates belong to no jurisdiction). */
export function initializeTemplateDoc(doc: Y.Doc, title: string, createdBy?: string): PlanModel {
  return PlanModel.initialize(doc, { title, jurisdictionId: '', createdBy })
}
