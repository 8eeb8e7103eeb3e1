import * as Y from 'yjs'
import {
  type ComponentId,
  DISAGGREGATIONS,
  type Disaggregation,
  type EvidenceTier,
  type FundingSource,
  type InitiativeStatus,
  JOB_QUALITY_COMPONENTS,
  LABOR_PRACTICES,
  type LaborPractice,
  type MetricFrequency,
  type MetricType,
  type SlfrfCategory,
} from './catalog.ts'
import { validated } from './errors.ts'
import { OrderedCollection, readOrder } from './ordering.ts'
import {
  amountSchema,
  type BorrowedFrom,
  borrowedFromSchema,
  componentIdSchema,
  disaggregationSchema,
  type EvidenceCitation,
  evidenceCitationSchema,
  evidenceTierSchema,
  type FromTemplate,
  fromTemplateSchema,
  fundingSourceSchema,
  type InitiativeSnapshot,
  initiativeStatusSchema,
  initiativeTitleSchema,
  isoDateSchema,
  laborPracticeSchema,
  leverIdSchema,
  metricFrequencySchema,
  metricTypeSchema,
  type Provenance,
  provenanceSchema,
  slfrfCategorySchema,
} from './schemas.ts'
import { flagsOf, fragmentText, mapAt, newText, numberAt, stringAt, textAt, textOf } from './yhelpers.ts'

const componentIds = JOB_QUALITY_COMPONENTS.map((c) => c.id)
const laborIds = LABOR_PRACTICES.map((l) => l.id)
const disaggregationIds = DISAGGREGATIONS.map((d) => d.id)

function validAt<T extends string>(
  map: Y.Map<unknown>,
  key: string,
  schema: { safeParse(v: unknown): { success: boolean } },
): T | null {
  const value = map.get(key)
  return schema.safeParse(value).success ? (value as T) : null
}

function setOrDelete(map: Y.Map<unknown>, key: string, value: unknown): void {
  if (value === null || value === undefined) map.delete(key)
  else map.set(key, value)
}

/** A Y.Map<boolean> child, created on first write. */
function flagMap(map: Y.Map<unknown>, key: string): Y.Map<boolean> {
  let flags = mapAt<boolean>(map, key)
  if (!flags) {
    flags = new Y.Map<boolean>()
    map.set(key, flags)
  }
  return flags
}

function setFlag(map: Y.Map<unknown>, key: string, flag: string, on: boolean): void {
  const flags = flagMap(map, key)
  if (on) flags.set(flag, true)
  else flags.delete(flag)
}

export type InitiativeTextField = 'title' | 'owner' | 'partners' | 'risks'
export type DateField = 'startDate' | 'dueDate'
export type FundingDateField = 'obligatedBy' | 'spentBy'

/** One line of funding of an initiative. */
export class FundingLineModel {
  constructor(readonly map: Y.Map<unknown>) {}
  get id(): string {
    return stringAt(this.map, 'id') ?? ''
  }
  get source(): FundingSource | null {
    return validAt(this.map, 'source', fundingSourceSchema)
  }
  setSource(source: FundingSource | null): void {
    setOrDelete(this.map, 'source', source === null ? null : validated(fundingSourceSchema, source, 'Funding source'))
    if (source !== 'slfrf') this.map.delete('category')
  }
  /** IIJA program or other source detail. */
  get program(): Y.Text | null {
    return textAt(this.map, 'program')
  }
  get category(): SlfrfCategory | null {
    return validAt(this.map, 'category', slfrfCategorySchema)
  }
  setCategory(category: SlfrfCategory | null): void {
    setOrDelete(
      this.map,
      'category',
      category === null ? null : validated(slfrfCategorySchema, category, 'Expenditure category'),
    )
  }
  amount(kind: 'budgeted' | 'obligated' | 'spent'): number | null {
    return numberAt(this.map, kind)
  }
  setAmount(kind: 'budgeted' | 'obligated' | 'spent', value: number | null): void {
    setOrDelete(this.map, kind, value === null ? null : validated(amountSchema, value, `Amount ${kind}`))
  }
  /** The line's own dates: when its money is obligated, and when it is spent. */
  date(field: FundingDateField): string | null {
    return validAt(this.map, field, isoDateSchema)
  }
  setDate(field: FundingDateField, value: string | null): void {
    setOrDelete(
      this.map,
      field,
      value === null
        ? null
        : validated(isoDateSchema, value, field === 'obligatedBy' ? 'Obligation date' : 'Spending date'),
    )
  }
}

export class MetricModel {
  constructor(readonly map: Y.Map<unknown>) {}
  get id(): string {
    return stringAt(this.map, 'id') ?? ''
  }
  text(field: 'name' | 'baseline' | 'target' | 'dataSource'): Y.Text | null {
    return textAt(this.map, field)
  }
  get type(): MetricType | null {
    return validAt(this.map, 'type', metricTypeSchema)
  }
  setType(type: MetricType | null): void {
    setOrDelete(this.map, 'type', type === null ? null : validated(metricTypeSchema, type, 'Metric type'))
  }
  get frequency(): MetricFrequency | null {
    return validAt(this.map, 'frequency', metricFrequencySchema)
  }
  setFrequency(frequency: MetricFrequency | null): void {
    setOrDelete(
      this.map,
      'frequency',
      frequency === null ? null : validated(metricFrequencySchema, frequency, 'Frequency'),
    )
  }
  get targetDate(): string | null {
    return validAt(this.map, 'targetDate', isoDateSchema)
  }
  setTargetDate(date: string | null): void {
    setOrDelete(this.map, 'targetDate', date === null ? null : validated(isoDateSchema, date, 'Target date'))
  }
  get disaggregation(): Disaggregation[] {
    return flagsOf(mapAt(this.map, 'disaggregation'), disaggregationIds)
  }
  setDisaggregation(by: Disaggregation, on: boolean): void {
    setFlag(this.map, 'disaggregation', validated(disaggregationSchema, by, 'Disaggregation'), on)
  }
}

export class MilestoneModel {
  constructor(readonly map: Y.Map<unknown>) {}
  get id(): string {
    return stringAt(this.map, 'id') ?? ''
  }
  get title(): Y.Text | null {
    return textAt(this.map, 'title')
  }
  get dueDate(): string | null {
    return validAt(this.map, 'dueDate', isoDateSchema)
  }
  setDueDate(date: string | null): void {
    setOrDelete(this.map, 'dueDate', date === null ? null : validated(isoDateSchema, date, 'Milestone date'))
  }
  get done(): boolean {
    return this.map.get('done') === true
  }
  setDone(done: boolean): void {
    this.map.set('done', done)
  }
}

/** Typed access to one initiative of a plan (a Y.Map in the plan's `initiatives` map). */
export class InitiativeModel {
  readonly funding: OrderedCollection<FundingLineModel>
  readonly metrics: OrderedCollection<MetricModel>
  readonly milestones: OrderedCollection<MilestoneModel>

  constructor(readonly map: Y.Map<unknown>) {
    this.funding = new OrderedCollection(
      this.childCollection('funding'),
      (m) => new FundingLineModel(m),
      (m) => m.set('program', newText()),
    )
    this.metrics = new OrderedCollection(
      this.childCollection('metrics'),
      (m) => new MetricModel(m),
      (m) => {
        for (const f of ['name', 'baseline', 'target', 'dataSource']) m.set(f, newText())
        m.set('disaggregation', new Y.Map())
      },
    )
    this.milestones = new OrderedCollection(
      this.childCollection('milestones'),
      (m) => new MilestoneModel(m),
      (m) => {
        m.set('title', newText())
        m.set('done', false)
      },
    )
  }

  /** Fills a new initiative's map with every field, so nobody has to create one later. */
  static populate(
    map: Y.Map<unknown>,
    init: { id: string; lever: string; order: string; title?: string; createdBy?: string },
  ): void {
    map.set('id', init.id)
    map.set('lever', validated(leverIdSchema, init.lever, 'Lever'))
    map.set('order', init.order)
    map.set('title', newText(validated(initiativeTitleSchema, init.title ?? '', 'Initiative title')))
    map.set('description', new Y.XmlFragment())
    for (const f of ['owner', 'partners', 'risks'] as const) map.set(f, newText())
    map.set('status', 'notStarted')
    map.set('components', new Y.Map())
    map.set('laborPractices', new Y.Map())
    const evidence = new Y.Map<unknown>()
    evidence.set('citation', newText())
    evidence.set('evaluationDesign', newText())
    map.set('evidence', evidence)
    map.set('funding', new Y.Map())
    map.set('metrics', new Y.Map())
    map.set('milestones', new Y.Map())
    map.set('createdAt', new Date().toISOString())
    if (init.createdBy) map.set('createdBy', init.createdBy)
  }

  private childCollection(key: string): Y.Map<Y.Map<unknown>> {
    const child = mapAt<Y.Map<unknown>>(this.map, key)
    // A detached map reads as empty; adding to it would be lost, so populate() always creates it.
    return child ?? new Y.Map<Y.Map<unknown>>()
  }

  get id(): string {
    return stringAt(this.map, 'id') ?? ''
  }
  get lever(): string {
    return stringAt(this.map, 'lever') ?? ''
  }
  get order(): string {
    return readOrder(this.map)
  }
  text(field: InitiativeTextField): Y.Text | null {
    return textAt(this.map, field)
  }
  get title(): string {
    return textOf(this.map, 'title')
  }
  get description(): Y.XmlFragment | null {
    const value = this.map.get('description')
    return value instanceof Y.XmlFragment ? value : null
  }
  get status(): InitiativeStatus {
    return validAt<InitiativeStatus>(this.map, 'status', initiativeStatusSchema) ?? 'notStarted'
  }
  setStatus(status: InitiativeStatus): void {
    this.map.set('status', validated(initiativeStatusSchema, status, 'Status'))
  }
  date(field: DateField): string | null {
    return validAt(this.map, field, isoDateSchema)
  }
  setDate(field: DateField, value: string | null): void {
    setOrDelete(
      this.map,
      field,
      value === null ? null : validated(isoDateSchema, value, field === 'startDate' ? 'Start date' : 'Due date'),
    )
  }
  get components(): ComponentId[] {
    return flagsOf(mapAt(this.map, 'components'), componentIds)
  }
  setComponent(component: ComponentId, on: boolean): void {
    setFlag(this.map, 'components', validated(componentIdSchema, component, 'Component'), on)
  }
  get laborPractices(): LaborPractice[] {
    return flagsOf(mapAt(this.map, 'laborPractices'), laborIds)
  }
  setLaborPractice(practice: LaborPractice, on: boolean): void {
    setFlag(this.map, 'laborPractices', validated(laborPracticeSchema, practice, 'Labor practice'), on)
  }
  private get evidenceMap(): Y.Map<unknown> | null {
    return mapAt(this.map, 'evidence')
  }
  get evidenceTier(): EvidenceTier | null {
    const evidence = this.evidenceMap
    return evidence ? validAt(evidence, 'tier', evidenceTierSchema) : null
  }
  setEvidenceTier(tier: EvidenceTier | null): void {
    const evidence = this.evidenceMap
    if (!evidence) return
    setOrDelete(evidence, 'tier', tier === null ? null : validated(evidenceTierSchema, tier, 'Evidence tier'))
  }
  evidenceText(field: 'citation' | 'evaluationDesign'): Y.Text | null {
    const evidence = this.evidenceMap
    return evidence ? textAt(evidence, field) : null
  }
  /** Library entries cited in the initiative's evidence, oldest first, as they were when cited. */
  get citations(): EvidenceCitation[] {
    const evidence = this.evidenceMap
    const map = evidence ? mapAt<unknown>(evidence, 'citations') : null
    if (!map) return []
    const list: EvidenceCitation[] = []
    for (const value of map.values()) {
      const parsed = evidenceCitationSchema.safeParse(value)
      if (parsed.success) list.push(parsed.data)
    }
    return list.sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
  }
  /**
   * Adds a citation of a library entry. The map of citations is created on the first one; the
   * server makes these changes (one writer), so two first citations never race to create it.
   */
  addCitation(citation: EvidenceCitation): void {
    const evidence = this.evidenceMap
    if (!evidence) return
    let map = mapAt<unknown>(evidence, 'citations')
    if (!map) {
      map = new Y.Map<unknown>()
      evidence.set('citations', map)
    }
    map.set(citation.id, validated(evidenceCitationSchema, citation, 'Citation'))
  }
  removeCitation(id: string): boolean {
    const evidence = this.evidenceMap
    const map = evidence ? mapAt<unknown>(evidence, 'citations') : null
    if (!map?.has(id)) return false
    map.delete(id)
    return true
  }
  get provenance(): Provenance | null {
    const parsed = provenanceSchema.safeParse(this.map.get('provenance'))
    return parsed.success ? parsed.data : null
  }

  /** The other team's plan this initiative was copied from, if it was. */
  get borrowedFrom(): BorrowedFrom | null {
    const parsed = borrowedFromSchema.safeParse(this.map.get('borrowedFrom'))
    return parsed.success ? parsed.data : null
  }
  /** The template this initiative was added from, if it was. */
  get fromTemplate(): FromTemplate | null {
    const parsed = fromTemplateSchema.safeParse(this.map.get('fromTemplate'))
    return parsed.success ? parsed.data : null
  }

  /** The initiative as plain values. */
  snapshot(): InitiativeSnapshot {
    const evidence = this.evidenceMap
    return {
      id: this.id,
      lever: this.lever,
      title: this.title,
      description: fragmentText(this.description),
      owner: textOf(this.map, 'owner'),
      partners: textOf(this.map, 'partners'),
      status: this.status,
      startDate: this.date('startDate'),
      dueDate: this.date('dueDate'),
      components: this.components,
      funding: this.funding.list().map((f) => ({
        id: f.id,
        source: f.source,
        program: f.program?.toString() ?? '',
        category: f.category,
        budgeted: f.amount('budgeted'),
        obligated: f.amount('obligated'),
        spent: f.amount('spent'),
        obligatedBy: f.date('obligatedBy'),
        spentBy: f.date('spentBy'),
      })),
      evidence: {
        tier: this.evidenceTier,
        citation: evidence ? textOf(evidence, 'citation') : '',
        evaluationDesign: evidence ? textOf(evidence, 'evaluationDesign') : '',
        citations: this.citations,
      },
      metrics: this.metrics.list().map((m) => ({
        id: m.id,
        name: m.text('name')?.toString() ?? '',
        type: m.type,
        baseline: m.text('baseline')?.toString() ?? '',
        target: m.text('target')?.toString() ?? '',
        targetDate: m.targetDate,
        dataSource: m.text('dataSource')?.toString() ?? '',
        frequency: m.frequency,
        disaggregation: m.disaggregation,
      })),
      milestones: this.milestones.list().map((m) => ({
        id: m.id,
        title: m.title?.toString() ?? '',
        dueDate: m.dueDate,
        done: m.done,
      })),
      risks: textOf(this.map, 'risks'),
      laborPractices: this.laborPractices,
      provenance: this.provenance,
    }
  }
}
