import * as Y from 'yjs'
import {
  DEFAULT_LEVERS,
  JOB_QUALITY_COMPONENTS,
  type LeverDef,
  PLAN_SECTIONS,
  type PlanStatus,
  type SectionId,
} from './catalog.ts'
import { validated } from './errors.ts'
import { InitiativeModel } from './InitiativeModel.ts'
import { compareOrdered, keyBetween, orderKeyAt, readOrder } from './ordering.ts'
import {
  componentIdSchema,
  isoDateSchema,
  lastReviewedSchema,
  leverIdSchema,
  type PlanSnapshot,
  type Provenance,
  planStatusSchema,
  planTitleSchema,
} from './schemas.ts'
import { flagsOf, fragmentText, stringAt } from './yhelpers.ts'

/**
 * The layout version a new plan document is written with; see migrations.ts (version 2: comment
 * threads live in documents of their own, not in the plan).
 */
export const PLAN_SCHEMA_VERSION = 2

/**
 * Top-level names in a plan's Y.Doc. Prose sections are top-level XML fragments
 * (`section:<id>`), bound to Tiptap editors through the Collaboration extension's `field`.
 */
export const PlanKeys = {
  meta: 'meta',
  levers: 'levers',
  initiatives: 'initiatives',
  targetComponents: 'targetComponents',
  /**
   * Comment threads of plans of layout 1. Since layout 2 they live in thread documents (see
   * `threadDocName`); the server moves what a plan still holds here when it loads it.
   */
  threads: 'threads',
} as const

/**
 * The plan's `meta` key under which the server notes each restore (only the server writes it):
 * the others in the plan see what replaced their view, and who did it.
 */
export const RESTORE_NOTE_KEY = 'lastRestore'

export interface RestoreNote {
  byId: string
  byName: string
  /** When (ISO 8601). */
  at: string
  /** What was restored, as a phrase: "the version of Dec 3, 2026, 7:23 PM", "an initiative from …". */
  what: string
  /** The restore undid an earlier one. */
  undo: boolean
}

export function sectionField(id: SectionId): string {
  return `section:${id}`
}

const componentIds = JOB_QUALITY_COMPONENTS.map((c) => c.id)

let idCounter = 0
/** A short random id, unique enough for items of one plan (ids are never reused). */
export function newId(): string {
  const bytes = new Uint8Array(9)
  globalThis.crypto.getRandomValues(bytes)
  idCounter = (idCounter + 1) % 1296
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('') + idCounter.toString(36).padStart(2, '0')
}

export interface NewPlan {
  title: string
  jurisdictionId: string
  createdBy?: string
}

/**
 * Typed access to one plan's Y.Doc. Reading never writes; every setter validates its value and
 * writes inside one transaction, so a change reaches others as one update.
 */
export class PlanModel {
  constructor(readonly doc: Y.Doc) {}

  /** Writes the standard structure of a new plan. Done once, on the server, when a plan is created. */
  static initialize(doc: Y.Doc, plan: NewPlan): PlanModel {
    const model = new PlanModel(doc)
    doc.transact(() => {
      const meta = model.meta
      meta.set('schemaVersion', PLAN_SCHEMA_VERSION)
      meta.set('title', validated(planTitleSchema, plan.title, 'Title'))
      meta.set('jurisdictionId', plan.jurisdictionId)
      meta.set('status', 'draft')
      meta.set('sharedWithCohort', false)
      meta.set('createdAt', new Date().toISOString())
      if (plan.createdBy) meta.set('createdBy', plan.createdBy)
      let order: string | null = null
      for (const lever of DEFAULT_LEVERS) {
        order = keyBetween(order, null)
        model.levers.set(lever.id, leverMap(lever, order))
      }
    })
    return model
  }

  get meta(): Y.Map<unknown> {
    return this.doc.getMap(PlanKeys.meta)
  }

  /** The last restore of a version into the plan, as the server recorded it with the restore. */
  get lastRestore(): RestoreNote | null {
    const value = this.meta.get(RESTORE_NOTE_KEY) as Partial<RestoreNote> | undefined
    if (!value || typeof value !== 'object') return null
    const { byId, byName, at, what, undo } = value
    if (typeof byId !== 'string' || typeof byName !== 'string' || typeof at !== 'string' || typeof what !== 'string')
      return null
    return { byId, byName, at, what, undo: undo === true }
  }
  get levers(): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap(PlanKeys.levers)
  }
  get initiativesMap(): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap(PlanKeys.initiatives)
  }
  get targetComponentsMap(): Y.Map<boolean> {
    return this.doc.getMap(PlanKeys.targetComponents)
  }

  get schemaVersion(): number {
    const v = this.meta.get('schemaVersion')
    return typeof v === 'number' ? v : 0
  }
  get title(): string {
    return stringAt(this.meta, 'title') ?? ''
  }
  setTitle(title: string): void {
    this.meta.set('title', validated(planTitleSchema, title, 'Title'))
  }
  get jurisdictionId(): string {
    return stringAt(this.meta, 'jurisdictionId') ?? ''
  }
  get status(): PlanStatus {
    const parsed = planStatusSchema.safeParse(this.meta.get('status'))
    return parsed.success ? parsed.data : 'draft'
  }
  setStatus(status: PlanStatus): void {
    this.meta.set('status', validated(planStatusSchema, status, 'Plan status'))
  }
  get sharedWithCohort(): boolean {
    return this.meta.get('sharedWithCohort') === true
  }
  setSharedWithCohort(shared: boolean): void {
    this.meta.set('sharedWithCohort', shared)
  }
  get lastReviewed(): string | null {
    const parsed = isoDateSchema.safeParse(this.meta.get('lastReviewed'))
    return parsed.success ? parsed.data : null
  }
  /** Sets "last reviewed": not before 2020, not after `today` (`YYYY-MM-DD`, the local date by default). */
  setLastReviewed(date: string | null, today?: string): void {
    if (date === null) this.meta.delete('lastReviewed')
    else this.meta.set('lastReviewed', validated(lastReviewedSchema(today), date, 'Last reviewed'))
  }

  get targetComponents(): typeof componentIds {
    return flagsOf(this.targetComponentsMap, componentIds)
  }
  setTargetComponent(id: string, on: boolean): void {
    const component = validated(componentIdSchema, id, 'Component')
    if (on) this.targetComponentsMap.set(component, true)
    else this.targetComponentsMap.delete(component)
  }

  section(id: SectionId): Y.XmlFragment {
    return this.doc.getXmlFragment(sectionField(id))
  }

  /** The plan's levers in order (the four defaults unless the plan added more). */
  leverList(): LeverDef[] {
    const entries: Array<{ id: string; order: string; def: LeverDef }> = []
    for (const [id, map] of this.levers) {
      if (!(map instanceof Y.Map)) continue
      entries.push({
        id,
        order: readOrder(map),
        def: { id, label: stringAt(map, 'label') ?? id, description: stringAt(map, 'description') ?? '' },
      })
    }
    return entries.sort(compareOrdered).map((e) => e.def)
  }

  /** Adds a lever to this plan (e.g. the program's later "Education & Enforcement"). */
  addLever(def: LeverDef): void {
    const id = validated(leverIdSchema, def.id, 'Lever id')
    if (this.levers.has(id)) return
    const last = this.leverList().at(-1)
    const lastOrder = last ? readOrder(this.levers.get(last.id) as Y.Map<unknown>) : null
    this.levers.set(id, leverMap({ ...def, id }, keyBetween(lastOrder, null)))
  }

  initiative(id: string): InitiativeModel | null {
    const map = this.initiativesMap.get(id)
    return map instanceof Y.Map ? new InitiativeModel(map) : null
  }

  /** Initiatives in display order; of one lever when `leverId` is given. */
  initiatives(leverId?: string): InitiativeModel[] {
    const leverOrder = new Map(this.leverList().map((l, i) => [l.id, i]))
    // What the sort compares is read once per initiative, not at each of its comparisons.
    const all: Array<{ initiative: InitiativeModel; rank: number; order: string; id: string }> = []
    for (const map of this.initiativesMap.values()) {
      if (!(map instanceof Y.Map)) continue
      const initiative = new InitiativeModel(map)
      const lever = initiative.lever
      if (leverId !== undefined && lever !== leverId) continue
      const rank = leverOrder.get(lever) ?? Number.MAX_SAFE_INTEGER
      all.push({ initiative, rank, order: initiative.order, id: initiative.id })
    }
    return all.sort((a, b) => (a.rank !== b.rank ? a.rank - b.rank : compareOrdered(a, b))).map((e) => e.initiative)
  }

  /** Adds an initiative to a lever (at the end unless an index is given). */
  addInitiative(
    leverId: string,
    options: { title?: string; index?: number; createdBy?: string; provenance?: Provenance } = {},
  ): InitiativeModel {
    const siblings = this.initiatives(leverId)
    const id = newId()
    const map = new Y.Map<unknown>()
    this.doc.transact(() => {
      this.initiativesMap.set(id, map)
      InitiativeModel.populate(map, {
        id,
        lever: leverId,
        order: orderKeyAt(siblings, options.index ?? siblings.length),
        title: options.title,
        createdBy: options.createdBy,
      })
      if (options.provenance) map.set('provenance', options.provenance)
    })
    return new InitiativeModel(map)
  }

  /** Moves an initiative to `index` within a lever (possibly another lever). */
  moveInitiative(id: string, leverId: string, index: number): void {
    const map = this.initiativesMap.get(id)
    if (!(map instanceof Y.Map)) return
    const lever = validated(leverIdSchema, leverId, 'Lever')
    const siblings = this.initiatives(lever).filter((i) => i.id !== id)
    this.doc.transact(() => {
      map.set('lever', lever)
      map.set('order', orderKeyAt(siblings, index))
    })
  }

  removeInitiative(id: string): void {
    this.initiativesMap.delete(id)
  }

  /**
   * The whole plan as plain values, for derived views, exports and the server. `parts` may hand
   * back what it read before for a section's fragment or an initiative's map that has not changed
   * since (a page that re-reads the plan on every change then reads only what changed).
   */
  snapshot(parts?: SnapshotParts): PlanSnapshot {
    const part = <T>(type: Y.XmlFragment | Y.Map<unknown>, read: () => T): T =>
      parts ? parts.part(type, read) : read()
    const sections: Record<string, string> = {}
    for (const s of PLAN_SECTIONS) {
      const fragment = this.section(s.id)
      sections[s.id] = part(fragment, () => fragmentText(fragment))
    }
    return {
      schemaVersion: this.schemaVersion,
      title: this.title,
      jurisdictionId: this.jurisdictionId,
      status: this.status,
      sharedWithCohort: this.sharedWithCohort,
      lastReviewed: this.lastReviewed,
      targetComponents: this.targetComponents,
      sections,
      levers: readTogether(parts, 'snapshot:levers', [this.levers], () => this.leverList()),
      initiatives: readTogether(parts, 'snapshot:initiatives', [this.initiativesMap, this.levers], () =>
        this.initiatives().map((i) => part(i.map, () => i.snapshot())),
      ),
    }
  }
}

/** Reads of a plan's parts a caller may answer from what it read before (see `PlanModel.snapshot`). */
export interface SnapshotParts {
  /** What `read()` returns for `type` now: its earlier result if nothing inside `type` changed since. */
  part<T>(type: Y.XmlFragment | Y.Map<unknown>, read: () => T): T
  /**
   * What `read()` (named `key`) returns now: its earlier result if nothing inside any of `types`
   * changed since (the initiatives in their order read the initiatives and the levers).
   */
  together?<T>(key: string, types: readonly AnyType[], read: () => T): T
}

/** Any shared type (a map of maps included). */
// biome-ignore lint/suspicious/noExplicitAny: every kind of shared type, whatever its content
type AnyType = Y.AbstractType<any>

/** `read()`, or what `parts` kept of it while none of `types` changed. */
export function readTogether<T>(
  parts: SnapshotParts | undefined,
  key: string,
  types: readonly AnyType[],
  read: () => T,
): T {
  return parts?.together ? parts.together(key, types, read) : read()
}

function leverMap(def: LeverDef, order: string): Y.Map<unknown> {
  const map = new Y.Map<unknown>()
  map.set('label', def.label)
  map.set('description', def.description)
  map.set('order', order)
  return map
}
