import type * as Y from 'yjs'
import { ThreadsModel } from '../comments/ThreadModel.ts'
import { ratingText } from '../library.ts'
import {
  DISAGGREGATIONS,
  EVIDENCE_TIERS,
  FUNDING_SOURCES,
  INITIATIVE_STATUSES,
  JOB_QUALITY_COMPONENTS,
  LABOR_PRACTICES,
  labelOf,
  METRIC_FREQUENCIES,
  METRIC_TYPES,
  PLAN_SECTIONS,
  PLAN_STATUSES,
  SLFRF_CATEGORIES,
  SLFRF_DEADLINES,
} from '../plan/catalog.ts'
import {
  type Completeness,
  type CoverageMatrix,
  completeness,
  coverageMatrix,
  type PlanWarning,
  planWarnings,
} from '../plan/derived.ts'
import { PlanModel } from '../plan/PlanModel.ts'
import type { InitiativeSnapshot } from '../plan/schemas.ts'
import { type ProseNode, proseJson } from './proseJson.ts'

/**
 * One export model of a plan: everything a briefing book, a document, a spreadsheet or a
 * Markdown file shows, with labels resolved and totals computed, so every format is a thin
 * renderer over it. Built from a Y.Doc, so the live document and a stored version export alike.
 */

export interface ExportContext {
  planId: string
  jurisdiction: { id: string; name: string; agency: string; kind: string; state: string }
  /** The stored version exported, or null for the current plan. */
  version: { id: string; label: string } | null
  /** `YYYY-MM-DD`: the date the export is "as of". */
  asOf: string
  /** Include the open comment threads as an appendix (off by default). */
  includeComments?: boolean
  /**
   * The thread documents whose threads the appendix lists: only those the person exporting may
   * read (threads live beside the plan, one document per visibility).
   */
  threadDocs?: readonly Y.Doc[]
}

export interface FundingExport {
  id: string
  source: string | null
  sourceLabel: string
  program: string
  category: string | null
  categoryLabel: string
  budgeted: number | null
  obligated: number | null
  spent: number | null
  /** `YYYY-MM-DD`: when the line is (to be) obligated, or null when not given. */
  obligatedBy: string | null
  /** `YYYY-MM-DD`: when the line is (to be) spent, or null when not given. */
  spentBy: string | null
}

export interface MetricExport {
  id: string
  name: string
  type: string | null
  typeLabel: string
  baseline: string
  target: string
  targetDate: string | null
  dataSource: string
  frequencyLabel: string
  disaggregationLabels: string[]
}

export interface InitiativeExport {
  id: string
  /** 1-based position in the whole plan (for "Initiative 12"). */
  number: number
  leverId: string
  leverLabel: string
  title: string
  description: ProseNode
  owner: string
  partners: string
  status: string
  statusLabel: string
  startDate: string | null
  dueDate: string | null
  componentLabels: string[]
  milestones: Array<{ id: string; title: string; dueDate: string | null; done: boolean }>
  funding: FundingExport[]
  /** Each amount summed over the lines that report it; null when none does (not reported, never zero). */
  totals: { budgeted: number | null; obligated: number | null; spent: number | null }
  evidence: {
    tier: string | null
    tierLabel: string
    citation: string
    evaluationDesign: string
    /** Library entries cited, each as "Title (Scheme: rating as cited)". */
    libraryCitations: string[]
  }
  metrics: MetricExport[]
  risks: string
  laborPracticeLabels: string[]
  warnings: PlanWarning[]
}

export interface SectionExport {
  id: string
  group: string
  label: string
  prose: ProseNode
}

export interface FundingSummaryRow {
  source: string
  label: string
  budgeted: number
  obligated: number
  spent: number
}

export interface ThreadExport {
  id: string
  about: string
  quote: string
  comments: Array<{ authorName: string; body: string; createdAt: string }>
}

export interface PlanExport {
  planId: string
  title: string
  status: string
  statusLabel: string
  jurisdiction: ExportContext['jurisdiction']
  lastReviewed: string | null
  asOf: string
  version: ExportContext['version']
  /** "Current plan" or the version's label, as printed on the cover and in footers. */
  versionLabel: string
  targetComponentLabels: string[]
  sections: SectionExport[]
  levers: Array<{ id: string; label: string; description: string; initiatives: InitiativeExport[] }>
  initiatives: InitiativeExport[]
  summary: {
    statuses: Array<{ id: string; label: string }>
    /** Initiatives by lever and status. */
    byLever: Array<{ leverId: string; label: string; counts: Record<string, number>; total: number }>
    statusTotals: Record<string, number>
    funding: FundingSummaryRow[]
    fundingTotal: { budgeted: number; obligated: number; spent: number }
    slfrf: { budgeted: number; obligated: number; spent: number; obligateBy: string; spendBy: string }
    coverage: CoverageMatrix
    completeness: Pick<Completeness, 'done' | 'total' | 'percent'>
    warnings: PlanWarning[]
  }
  /** Open comment threads; empty unless asked for. */
  threads: ThreadExport[]
}

const sum = (values: Array<number | null>) => values.reduce<number>((s, v) => s + (v ?? 0), 0)

/** The sum of the amounts that are reported, or null when none is. */
export function reportedSum(values: Array<number | null>): number | null {
  const reported = values.filter((v): v is number => v !== null)
  return reported.length ? sum(reported) : null
}

function initiativeExport(
  i: InitiativeSnapshot,
  number: number,
  leverLabel: string,
  description: ProseNode,
  warnings: PlanWarning[],
): InitiativeExport {
  const funding = i.funding.map((f) => ({
    id: f.id,
    source: f.source,
    sourceLabel: f.source ? labelOf(FUNDING_SOURCES, f.source) : '',
    program: f.program,
    category: f.category,
    categoryLabel: f.category ? `${f.category} ${labelOf(SLFRF_CATEGORIES, f.category)}` : '',
    budgeted: f.budgeted,
    obligated: f.obligated,
    spent: f.spent,
    obligatedBy: f.obligatedBy,
    spentBy: f.spentBy,
  }))
  return {
    id: i.id,
    number,
    leverId: i.lever,
    leverLabel,
    title: i.title.trim() || 'Untitled initiative',
    description,
    owner: i.owner,
    partners: i.partners,
    status: i.status,
    statusLabel: labelOf(INITIATIVE_STATUSES, i.status),
    startDate: i.startDate,
    dueDate: i.dueDate,
    componentLabels: i.components.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)),
    milestones: i.milestones.map(({ id, title, dueDate, done }) => ({ id, title, dueDate, done })),
    funding,
    totals: {
      budgeted: reportedSum(funding.map((f) => f.budgeted)),
      obligated: reportedSum(funding.map((f) => f.obligated)),
      spent: reportedSum(funding.map((f) => f.spent)),
    },
    evidence: {
      tier: i.evidence.tier,
      tierLabel: i.evidence.tier ? labelOf(EVIDENCE_TIERS, i.evidence.tier) : '',
      citation: i.evidence.citation,
      evaluationDesign: i.evidence.evaluationDesign,
      libraryCitations: i.evidence.citations.map((c) => `${c.title} (${ratingText(c.rating)})`),
    },
    metrics: i.metrics.map((m) => ({
      id: m.id,
      name: m.name,
      type: m.type,
      typeLabel: m.type ? labelOf(METRIC_TYPES, m.type) : '',
      baseline: m.baseline,
      target: m.target,
      targetDate: m.targetDate,
      dataSource: m.dataSource,
      frequencyLabel: m.frequency ? labelOf(METRIC_FREQUENCIES, m.frequency) : '',
      disaggregationLabels: m.disaggregation.map((d) => labelOf(DISAGGREGATIONS, d)),
    })),
    risks: i.risks,
    laborPracticeLabels: i.laborPractices.map((p) => labelOf(LABOR_PRACTICES, p)),
    warnings,
  }
}

function openThreads(docs: readonly Y.Doc[], plan: PlanModel): ThreadExport[] {
  const titles = new Map(plan.initiatives().map((i) => [i.id, i.title.trim() || 'Untitled initiative']))
  const sections = new Map<string, string>(PLAN_SECTIONS.map((s) => [`section:${s.id}`, s.label]))
  return docs
    .flatMap((doc) => new ThreadsModel(doc).list())
    .map((t) => t.snapshot())
    .filter((t) => t.status === 'open')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((t) => {
      const anchor = t.anchor
      let about = 'The plan'
      let quote = ''
      if (anchor?.kind === 'text') {
        const initiativeId = /^initiative:([^:]+):/.exec(anchor.field)?.[1]
        about =
          sections.get(anchor.field) ??
          (initiativeId ? `${titles.get(initiativeId) ?? 'An initiative'}: description` : anchor.field)
        quote = anchor.quote
      } else if (anchor?.kind === 'initiative' || anchor?.kind === 'metric') {
        about = titles.get(anchor.initiativeId) ?? 'A removed initiative'
      }
      return {
        id: t.id,
        about,
        quote,
        comments: t.comments
          .filter((c) => !c.deleted)
          .map((c) => ({ authorName: c.authorName, body: c.body, createdAt: c.createdAt })),
      }
    })
}

/** Builds the export model of a plan document (the live one or a stored version's). */
export function buildPlanExport(doc: Y.Doc, context: ExportContext): PlanExport {
  const model = new PlanModel(doc)
  const snapshot = model.snapshot()
  const warnings = planWarnings(snapshot, context.asOf)
  const descriptions = new Map(model.initiatives().map((i) => [i.id, proseJson(i.description)]))
  const leverLabels = new Map(snapshot.levers.map((l) => [l.id, l.label]))

  const initiatives = snapshot.initiatives.map((i, index) =>
    initiativeExport(
      i,
      index + 1,
      leverLabels.get(i.lever) ?? i.lever,
      descriptions.get(i.id) ?? proseJson(null),
      warnings.filter((w) => w.initiativeId === i.id),
    ),
  )
  const statuses = INITIATIVE_STATUSES.map(({ id, label }) => ({ id, label }))
  const zeroCounts = () => Object.fromEntries(statuses.map((s) => [s.id, 0])) as Record<string, number>
  const statusTotals = zeroCounts()
  for (const i of initiatives) statusTotals[i.status] = (statusTotals[i.status] ?? 0) + 1

  const funding = FUNDING_SOURCES.map(({ id, label }) => {
    const lines = initiatives.flatMap((i) => i.funding.filter((f) => f.source === id))
    return {
      source: id,
      label,
      budgeted: sum(lines.map((f) => f.budgeted)),
      obligated: sum(lines.map((f) => f.obligated)),
      spent: sum(lines.map((f) => f.spent)),
    }
  })
  const slfrf = funding.find((f) => f.source === 'slfrf') ?? { budgeted: 0, obligated: 0, spent: 0 }
  const allLines = initiatives.flatMap((i) => i.funding)
  const done = completeness(snapshot)

  return {
    planId: context.planId,
    title: snapshot.title.trim() || 'Untitled plan',
    status: snapshot.status,
    statusLabel: labelOf(PLAN_STATUSES, snapshot.status),
    jurisdiction: context.jurisdiction,
    lastReviewed: snapshot.lastReviewed,
    asOf: context.asOf,
    version: context.version,
    versionLabel: context.version ? `Version ${context.version.label}` : 'Current plan',
    targetComponentLabels: snapshot.targetComponents.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)),
    sections: PLAN_SECTIONS.map((s) => ({
      id: s.id,
      group: s.group,
      label: s.label,
      prose: proseJson(model.section(s.id)),
    })),
    levers: snapshot.levers.map((l) => ({
      id: l.id,
      label: l.label,
      description: l.description,
      initiatives: initiatives.filter((i) => i.leverId === l.id),
    })),
    initiatives,
    summary: {
      statuses,
      byLever: snapshot.levers.map((l) => {
        const counts = zeroCounts()
        const mine = initiatives.filter((i) => i.leverId === l.id)
        for (const i of mine) counts[i.status] = (counts[i.status] ?? 0) + 1
        return { leverId: l.id, label: l.label, counts, total: mine.length }
      }),
      statusTotals,
      funding,
      fundingTotal: {
        budgeted: sum(allLines.map((f) => f.budgeted)),
        obligated: sum(allLines.map((f) => f.obligated)),
        spent: sum(allLines.map((f) => f.spent)),
      },
      slfrf: {
        budgeted: slfrf.budgeted,
        obligated: slfrf.obligated,
        spent: slfrf.spent,
        obligateBy: SLFRF_DEADLINES.obligateBy,
        spendBy: SLFRF_DEADLINES.spendBy,
      },
      coverage: coverageMatrix(snapshot),
      completeness: { done: done.done, total: done.total, percent: done.percent },
      warnings,
    },
    threads: context.includeComments ? openThreads(context.threadDocs ?? [], model) : [],
  }
}
