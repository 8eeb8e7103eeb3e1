import {
  describePeriod,
  periodIdSchema,
  periodOf,
  type ReportingCalendarResponse,
  recentPeriods,
  reportingCalendarSchema,
  todayIso,
  type User,
} from '@lever/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import type { PlanService } from '../domain/plans.ts'
import { ApiError } from '../http/ApiError.ts'
import { requireUser } from '../http/authMiddleware.ts'
import type { AppEnv } from '../http/env.ts'
import { visiblePlan } from '../http/jurisdictionRoutes.ts'
import { parseWith, readJson } from '../http/validation.ts'
import type { PlanProjection } from './PlanProjection.ts'
import type { ProjectionRefresher } from './ProjectionRefresher.ts'
import type { ReportingCalendarService } from './ReportingCalendarService.ts'

export interface ProgressRoutesDeps {
  plans: PlanService
  projection: PlanProjection
  refresher: ProjectionRefresher
  calendar: ReportingCalendarService
}

const planIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id')
/** How many past periods the calendar lists. */
const LISTED_PERIODS = 12

/** The jurisdictions whose overview a person may see: null for all; 403 for nobody's. */
export function overviewScope(user: User): string[] | null {
  if (user.active && user.role === 'facilitator') return null
  if (user.active && user.role === 'coach') return user.coachOf
  if (user.active && user.role === 'member' && user.jurisdictionId) return [user.jurisdictionId]
  throw ApiError.forbidden('The cohort overview is for facilitators, coaches and team members')
}

function requireFacilitator(user: User): void {
  if (!user.active || user.role !== 'facilitator')
    throw ApiError.forbidden('Only facilitators manage the reporting calendar')
}

/** `/api/cohort/...`: the overview of every plan's figures, the reporting calendar, check-ins due. */
export function cohortProgressRoutes(deps: ProgressRoutesDeps): Hono<AppEnv> {
  const { projection, refresher, calendar } = deps
  const app = new Hono<AppEnv>()
  const currentPeriod = () => periodOf(todayIso(), calendar.get().frequency)

  const overview = async (scope: string[] | null) => {
    const period = currentPeriod()
    let result = projection.overview(scope, period)
    if (result.missing.length > 0) {
      // Plans never projected (e.g. written before the projection existed): computed once, now.
      await refresher.ensure(result.missing)
      result = projection.overview(scope, period)
    }
    return result
  }

  app.get('/overview', async (c) => {
    const scope = overviewScope(requireUser(c))
    const { jurisdictions } = await overview(scope)
    return c.json({ jurisdictions })
  })

  app.get('/check-ins/due', async (c) => {
    const user = requireUser(c)
    const scope = overviewScope(user)
    const today = todayIso()
    const { jurisdictions } = await overview(scope)
    const plans = jurisdictions.flatMap((j) =>
      j.plans.map((p) => ({
        id: p.id,
        title: p.title,
        jurisdictionId: j.id,
        due: p.checkIns.due,
        done: p.checkIns.done,
      })),
    )
    return c.json({ period: describePeriod(currentPeriod(), calendar.get(), today, calendar.reopened()), plans })
  })

  const calendarResponse = (): ReportingCalendarResponse => {
    const today = todayIso()
    const cal = calendar.get()
    const reopened = calendar.reopened()
    const periods = recentPeriods(cal, today, LISTED_PERIODS).map((p) => describePeriod(p, cal, today, reopened))
    return { calendar: cal, today, current: periods[0] as ReportingCalendarResponse['current'], periods, reopened }
  }

  app.get('/calendar', (c) => {
    requireUser(c)
    return c.json(calendarResponse())
  })

  app.put('/calendar', async (c) => {
    const user = requireUser(c)
    requireFacilitator(user)
    calendar.set(await readJson(c, reportingCalendarSchema), user.id)
    return c.json(calendarResponse())
  })

  app.post('/periods/:period/reopen', (c) => {
    const user = requireUser(c)
    requireFacilitator(user)
    calendar.reopen(parseWith(periodIdSchema, c.req.param('period')), user.id)
    return c.json(calendarResponse())
  })

  app.post('/periods/:period/close', (c) => {
    const user = requireUser(c)
    requireFacilitator(user)
    calendar.close(parseWith(periodIdSchema, c.req.param('period')))
    return c.json(calendarResponse())
  })

  return app
}

/** `/api/plans/:id/dashboard`: one plan's figures and series, for whoever may see the plan. */
export function planDashboardRoutes(deps: ProgressRoutesDeps): Hono<AppEnv> {
  const { plans, projection, refresher, calendar } = deps
  const app = new Hono<AppEnv>()
  app.get('/:id/dashboard', async (c) => {
    const user = requireUser(c)
    const plan = await plans.get(parseWith(planIdSchema, c.req.param('id')))
    if (!plan) throw ApiError.notFound('No such plan')
    if (!visiblePlan(user, plan))
      throw ApiError.forbidden('This plan is not shared with you. Ask its team or a facilitator for access.')
    const today = todayIso()
    const period = periodOf(today, calendar.get().frequency)
    let dashboard = projection.dashboard(plan.id, today, period)
    if (!dashboard) {
      await refresher.ensure([plan.id])
      dashboard = projection.dashboard(plan.id, today, period)
    }
    if (!dashboard) throw ApiError.notFound('This plan has no figures yet')
    return c.json(dashboard)
  })
  return app
}
