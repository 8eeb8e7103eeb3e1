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
import type { Database, Statement } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'

/** Bump when what is stored changes: rows of older versions are recomputed at start. */
export const FIGURES_VERSION = 1

/** The part of the dashboard stored as JSON (what does not depend on the day it is read). */
type StoredDashboard = Pick<
  DashboardFigures,
  'statusByLever' | 'fundingBySource' | 'slfrfOverTime' | 'slfrfBudget' | 'deadlines' | 'metrics' | 'coverage'
> & { openMilestones: OpenMilestone[] }

interface FiguresRow {
  status: string
  initiatives: string
  budgeted: number
  obligated: number
  spent: number
  components: string
  warnings: number
  check_ins: string
  check_ins_due: number
}

interface OverviewRow extends Partial<FiguresRow> {
  jurisdiction_id: string
  jurisdiction_name: string
  plan_id: string | null
  title: string | null
  updated_at: string | null
}

const FIGURE_COLUMNS =
  'f.status, f.initiatives, f.budgeted, f.obligated, f.spent, f.components, f.warnings, f.check_ins, f.check_ins_due'

/**
 * Per-plan figures in SQLite (`plan_figures`), written by the projection hook after changes, so
 * the cohort overview is one query and loads no plan document.
 */
export class PlanProjection {
  private readonly sql: (sql: string) => Statement

  constructor(db: Database) {
    this.sql = preparedStatements(db)
  }

  /** Computes and stores the figures of one plan. */
  write(planId: string, input: PlanProgressInput, today: string, period: string): void {
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
    this.sql(
      `INSERT INTO plan_figures (plan_id, figures_version, status, initiatives, budgeted, obligated, spent, components,
         warnings, check_ins, check_ins_due, dashboard, computed_at)
       SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM plans WHERE id = ?
       ON CONFLICT (plan_id) DO UPDATE SET figures_version = excluded.figures_version, status = excluded.status,
         initiatives = excluded.initiatives, budgeted = excluded.budgeted, obligated = excluded.obligated,
         spent = excluded.spent, components = excluded.components, warnings = excluded.warnings,
         check_ins = excluded.check_ins, check_ins_due = excluded.check_ins_due, dashboard = excluded.dashboard,
         computed_at = excluded.computed_at`,
    ).run(
      FIGURES_VERSION,
      f.status,
      JSON.stringify(f.initiatives),
      f.funding.budgeted,
      f.funding.obligated,
      f.funding.spent,
      JSON.stringify(f.components),
      f.warnings,
      JSON.stringify(checkInCountsByPeriod(input.plan, input.checkIns)),
      dueByDefault,
      JSON.stringify(stored),
      new Date().toISOString(),
      planId,
    )
  }

  /** Every plan that has figures. */
  projected(): string[] {
    return (this.sql('SELECT plan_id FROM plan_figures ORDER BY plan_id').all() as Array<{ plan_id: string }>).map(
      (r) => r.plan_id,
    )
  }

  /** Plans with no figures yet, figures of an older version, or changed since (a crash). */
  missing(): string[] {
    return (
      this.sql(
        'SELECT p.id FROM plans p LEFT JOIN plan_figures f ON f.plan_id = p.id WHERE f.plan_id IS NULL OR f.figures_version < ? OR f.computed_at < p.updated_at ORDER BY p.updated_at DESC',
      ).all(FIGURES_VERSION) as Array<{ id: string }>
    ).map((r) => r.id)
  }

  /**
   * The cohort overview in one query: every jurisdiction (or those listed) with its plans and
   * their figures. `period` picks the check-in counts. Plans without figures are listed in
   * `missing` (the caller computes them and asks again).
   */
  overview(
    jurisdictionIds: readonly string[] | null,
    period: string,
  ): { jurisdictions: OverviewJurisdiction[]; missing: string[] } {
    const rows = this.sql(
      `SELECT j.id AS jurisdiction_id, j.name AS jurisdiction_name, p.id AS plan_id, p.title, p.updated_at, ${FIGURE_COLUMNS}
       FROM jurisdictions j
       LEFT JOIN plans p ON p.jurisdiction_id = j.id
       LEFT JOIN plan_figures f ON f.plan_id = p.id AND f.figures_version = ?
       WHERE ? IS NULL OR j.id IN (SELECT value FROM json_each(?))
       ORDER BY j.name, j.id, p.created_at, p.id`,
    ).all(FIGURES_VERSION, jurisdictionIds === null ? null : 1, JSON.stringify(jurisdictionIds ?? [])) as OverviewRow[]
    const out: OverviewJurisdiction[] = []
    const missing: string[] = []
    const byId = new Map<string, OverviewJurisdiction>()
    for (const row of rows) {
      let current = byId.get(row.jurisdiction_id)
      if (!current) {
        current = { id: row.jurisdiction_id, name: row.jurisdiction_name, plans: [] }
        byId.set(current.id, current)
        out.push(current)
      }
      if (row.plan_id === null) continue
      if (row.status === undefined || row.status === null) {
        missing.push(row.plan_id)
        continue
      }
      current.plans.push(toOverviewPlan(row.plan_id, row.title ?? '', row.updated_at ?? '', row as FiguresRow, period))
    }
    return { jurisdictions: out, missing }
  }

  /** One plan's dashboard from its stored figures, or null when it has none yet. */
  dashboard(planId: string, today: string, period: string): PlanDashboardResponse | null {
    const row = this.sql(
      `SELECT p.title, p.updated_at, f.dashboard, ${FIGURE_COLUMNS} FROM plans p
       JOIN plan_figures f ON f.plan_id = p.id AND f.figures_version = ? WHERE p.id = ?`,
    ).get(FIGURES_VERSION, planId) as
      | (FiguresRow & { title: string; updated_at: string; dashboard: string })
      | undefined
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
