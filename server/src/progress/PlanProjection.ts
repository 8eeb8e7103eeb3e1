import {
  type CheckInCounts,
  checkInCountsByPeriod,
  type DashboardFigures,
  dashboardFigures,
  type OpenMilestone,
  type OverviewJurisdiction,
  type OverviewPlan,
  openMilestones,
  overdueMilestones,
  type PlanDashboardResponse,
  type PlanProgressInput,
  type PlanStatus,
} from '@lever/shared'
import type { Db } from '../db/queries.ts'
import { type QueryScript, run } from '../db/queryScripts.ts'
import type { PlanFiguresTable } from '../db/tables.ts'

/** Bump when what is stored changes: rows of older versions are recomputed at start. */
export const FIGURES_VERSION = 1

/** The part of the dashboard stored as JSON (what does not depend on the day it is read). */
type StoredDashboard = Pick<
  DashboardFigures,
  'statusByLever' | 'fundingBySource' | 'slfrfOverTime' | 'slfrfBudget' | 'deadlines' | 'metrics' | 'coverage'
> & { openMilestones: OpenMilestone[] }

type FiguresRow = Pick<
  PlanFiguresTable,
  | 'status'
  | 'initiatives'
  | 'budgeted'
  | 'obligated'
  | 'spent'
  | 'components'
  | 'warnings'
  | 'check_ins'
  | 'check_ins_due'
>

const FIGURE_COLUMNS = [
  'f.status',
  'f.initiatives',
  'f.budgeted',
  'f.obligated',
  'f.spent',
  'f.components',
  'f.warnings',
  'f.check_ins',
  'f.check_ins_due',
] as const

/** Above this many jurisdictions, the overview reads them all and keeps the listed ones (a bound on parameters). */
const MAX_LISTED_JURISDICTIONS = 500

/** Orders text as SQLite does by default (binary), whatever PostgreSQL's collation. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Per-plan figures (`plan_figures`), written by the projection hook after changes, so the cohort
 * overview is one query and loads no plan document.
 */
export class PlanProjection {
  constructor(private readonly db: Db) {}

  /**
   * Computes the figures of one plan now (from `input`, read from its document) and gives the
   * script that stores them (run it with a `ScriptRunner`). The row is written only while the
   * plan exists: a plan deleted in the meantime gets no figures.
   */
  write(planId: string, input: PlanProgressInput, today: string, period: string): () => QueryScript<void> {
    const d = dashboardFigures(input.plan, input.checkIns, { today, period })
    const f = d.figures
    const stored: StoredDashboard = {
      statusByLever: d.statusByLever,
      fundingBySource: d.fundingBySource,
      slfrfOverTime: d.slfrfOverTime,
      slfrfBudget: d.slfrfBudget,
      deadlines: d.deadlines,
      metrics: d.metrics,
      coverage: d.coverage,
      openMilestones: openMilestones(input.plan),
    }
    // Initiatives due a check-in in a period nobody has reported on yet.
    const dueByDefault = input.plan.initiatives.filter((i) => i.status !== 'done').length
    const checkIns = JSON.stringify(checkInCountsByPeriod(input.plan, input.checkIns))
    const computedAt = new Date().toISOString()
    const db = this.db
    // One statement, so the row is written only if the plan is there. Values in a select list are
    // typed by a cast: PostgreSQL would otherwise take them for text.
    const query = db
      .insertInto('plan_figures')
      .columns([
        'plan_id',
        'figures_version',
        'status',
        'initiatives',
        'budgeted',
        'obligated',
        'spent',
        'components',
        'warnings',
        'check_ins',
        'check_ins_due',
        'dashboard',
        'computed_at',
      ])
      .expression(
        db
          .selectFrom('plans')
          .select((eb) => [
            'id',
            eb.cast<number>(eb.val(FIGURES_VERSION), 'integer').as('figures_version'),
            eb.cast<string>(eb.val(f.status), 'text').as('status'),
            eb.cast<string>(eb.val(JSON.stringify(f.initiatives)), 'text').as('initiatives'),
            eb.cast<number>(eb.val(f.funding.budgeted), 'double precision').as('budgeted'),
            eb.cast<number>(eb.val(f.funding.obligated), 'double precision').as('obligated'),
            eb.cast<number>(eb.val(f.funding.spent), 'double precision').as('spent'),
            eb.cast<string>(eb.val(JSON.stringify(f.components)), 'text').as('components'),
            eb.cast<number>(eb.val(f.warnings), 'integer').as('warnings'),
            eb.cast<string>(eb.val(checkIns), 'text').as('check_ins'),
            eb.cast<number>(eb.val(dueByDefault), 'integer').as('check_ins_due'),
            eb.cast<string>(eb.val(JSON.stringify(stored)), 'text').as('dashboard'),
            eb.cast<string>(eb.val(computedAt), 'text').as('computed_at'),
          ])
          .where('id', '=', planId),
      )
      .onConflict((oc) =>
        oc.column('plan_id').doUpdateSet((eb) => ({
          figures_version: eb.ref('excluded.figures_version'),
          status: eb.ref('excluded.status'),
          initiatives: eb.ref('excluded.initiatives'),
          budgeted: eb.ref('excluded.budgeted'),
          obligated: eb.ref('excluded.obligated'),
          spent: eb.ref('excluded.spent'),
          components: eb.ref('excluded.components'),
          warnings: eb.ref('excluded.warnings'),
          check_ins: eb.ref('excluded.check_ins'),
          check_ins_due: eb.ref('excluded.check_ins_due'),
          dashboard: eb.ref('excluded.dashboard'),
          computed_at: eb.ref('excluded.computed_at'),
        })),
      )
    return function* () {
      yield* run(query)
    }
  }

  /** Every plan that has figures. */
  async projected(): Promise<string[]> {
    const found = await this.db.selectFrom('plan_figures').select('plan_id').orderBy('plan_id').execute()
    return found.map((r) => r.plan_id)
  }

  /** Plans with no figures yet, figures of an older version, or changed since (a crash); last changed first. */
  async missing(): Promise<string[]> {
    const found = await this.db
      .selectFrom('plans as p')
      .leftJoin('plan_figures as f', 'f.plan_id', 'p.id')
      .select('p.id')
      .where((eb) =>
        eb.or([
          eb('f.plan_id', 'is', null),
          eb('f.figures_version', '<', FIGURES_VERSION),
          eb('f.computed_at', '<', eb.ref('p.updated_at')),
        ]),
      )
      .orderBy('p.updated_at', 'desc')
      .orderBy('p.id')
      .execute()
    return found.map((r) => r.id)
  }

  /**
   * The cohort overview in one query: every jurisdiction (or those listed) with its plans and
   * their figures. `period` picks the check-in counts. Plans without figures are listed in
   * `missing` (the caller computes them and asks again).
   */
  async overview(
    jurisdictionIds: readonly string[] | null,
    period: string,
  ): Promise<{ jurisdictions: OverviewJurisdiction[]; missing: string[] }> {
    if (jurisdictionIds !== null && jurisdictionIds.length === 0) return { jurisdictions: [], missing: [] }
    const listed = jurisdictionIds === null ? null : new Set(jurisdictionIds)
    let query = this.db
      .selectFrom('jurisdictions as j')
      .leftJoin('plans as p', 'p.jurisdiction_id', 'j.id')
      .leftJoin('plan_figures as f', (join) =>
        join.onRef('f.plan_id', '=', 'p.id').on('f.figures_version', '=', FIGURES_VERSION),
      )
      .select([
        'j.id as jurisdiction_id',
        'j.name as jurisdiction_name',
        'p.id as plan_id',
        'p.title',
        'p.created_at',
        'p.updated_at',
        ...FIGURE_COLUMNS,
      ])
    if (listed && listed.size <= MAX_LISTED_JURISDICTIONS) query = query.where('j.id', 'in', [...listed])
    const found = (await query.execute()).filter((row) => !listed || listed.has(row.jurisdiction_id))
    // Sorted here rather than in SQL, so both engines give one order (PostgreSQL's collation may differ).
    found.sort(
      (a, b) =>
        byText(a.jurisdiction_name, b.jurisdiction_name) ||
        byText(a.jurisdiction_id, b.jurisdiction_id) ||
        byText(a.created_at ?? '', b.created_at ?? '') ||
        byText(a.plan_id ?? '', b.plan_id ?? ''),
    )
    const out: OverviewJurisdiction[] = []
    const missing: string[] = []
    const byId = new Map<string, OverviewJurisdiction>()
    for (const row of found) {
      let current = byId.get(row.jurisdiction_id)
      if (!current) {
        current = { id: row.jurisdiction_id, name: row.jurisdiction_name, plans: [] }
        byId.set(current.id, current)
        out.push(current)
      }
      if (row.plan_id === null) continue
      if (row.status === null) {
        missing.push(row.plan_id)
        continue
      }
      current.plans.push(toOverviewPlan(row.plan_id, row.title ?? '', row.updated_at ?? '', row as FiguresRow, period))
    }
    return { jurisdictions: out, missing }
  }

  /** One plan's dashboard from its stored figures, or null when it has none yet. */
  async dashboard(planId: string, today: string, period: string): Promise<PlanDashboardResponse | null> {
    const row = await this.db
      .selectFrom('plans as p')
      .innerJoin('plan_figures as f', (join) =>
        join.onRef('f.plan_id', '=', 'p.id').on('f.figures_version', '=', FIGURES_VERSION),
      )
      .select(['p.title', 'p.updated_at', 'f.dashboard', ...FIGURE_COLUMNS])
      .where('p.id', '=', planId)
      .executeTakeFirst()
    if (!row) return null
    const { openMilestones: open, ...stored } = JSON.parse(row.dashboard) as StoredDashboard
    return {
      plan: toOverviewPlan(planId, row.title, row.updated_at, row, period),
      period,
      ...stored,
      overdueMilestones: overdueMilestones(open, today),
    }
  }
}

function toOverviewPlan(id: string, title: string, updatedAt: string, row: FiguresRow, period: string): OverviewPlan {
  const byPeriod = JSON.parse(row.check_ins) as Record<string, CheckInCounts>
  return {
    id,
    title,
    status: row.status as PlanStatus,
    initiatives: JSON.parse(row.initiatives),
    funding: { budgeted: row.budgeted, obligated: row.obligated, spent: row.spent },
    components: JSON.parse(row.components),
    warnings: row.warnings,
    checkIns: byPeriod[period] ?? { due: row.check_ins_due, done: 0 },
    updatedAt,
  }
}
