import { canCreatePlan, createPlanRequestSchema, type PlanSummary, planAccess, type User } from '@lever/shared'
import { Hono } from 'hono'
import { type JurisdictionService, jurisdictionIdSchema } from '../domain/jurisdictions.ts'
import type { PlanRecord, PlanService } from '../domain/plans.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

export interface JurisdictionRoutesDeps {
  jurisdictions: JurisdictionService
  plans: PlanService
}

/** A plan as this person sees it, or null when they may not see it. */
export function visiblePlan(user: User, plan: PlanRecord): PlanSummary | null {
  const access = planAccess(user, plan)
  return access ? { ...plan, access } : null
}

/** `/api/jurisdictions`: the cohort, each jurisdiction, and the plans the caller may see. */
export function jurisdictionRoutes({ jurisdictions, plans }: JurisdictionRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const findJurisdiction = async (raw: string) => {
    const jurisdiction = await jurisdictions.get(parseWith(jurisdictionIdSchema, raw))
    if (!jurisdiction) throw ApiError.notFound('No such jurisdiction')
    return jurisdiction
  }
  const visiblePlans = async (user: User, jurisdictionId: string) =>
    (await plans.list(jurisdictionId)).flatMap((p) => visiblePlan(user, p) ?? [])

  app.get('/', async (c) => {
    const user = requireUser(c)
    const counts = new Map<string, number>()
    for (const plan of await plans.listAll()) {
      if (planAccess(user, plan)) counts.set(plan.jurisdictionId, (counts.get(plan.jurisdictionId) ?? 0) + 1)
    }
    return c.json({
      jurisdictions: (await jurisdictions.list()).map((j) => ({ ...j, planCount: counts.get(j.id) ?? 0 })),
    })
  })

  app.get('/:id', async (c) => {
    const user = requireUser(c)
    const jurisdiction = await findJurisdiction(c.req.param('id'))
    return c.json({ jurisdiction: { ...jurisdiction, planCount: (await visiblePlans(user, jurisdiction.id)).length } })
  })

  app.get('/:id/plans', async (c) => {
    const user = requireUser(c)
    const jurisdiction = await findJurisdiction(c.req.param('id'))
    return c.json({ plans: await visiblePlans(user, jurisdiction.id) })
  })

  app.post('/:id/plans', async (c) => {
    const user = requireUser(c)
    const jurisdiction = await findJurisdiction(c.req.param('id'))
    if (!canCreatePlan(user, jurisdiction.id))
      throw ApiError.forbidden(`Only ${jurisdiction.name}'s team or a facilitator can start its plans`)
    const body = await readJson(c, createPlanRequestSchema)
    await plans.checkMayStart(user, jurisdiction.id)
    const plan = await plans.create({
      jurisdictionId: jurisdiction.id,
      title: body.title,
      createdBy: user.id,
      startedBy: user,
    })
    return c.json(visiblePlan(user, plan), 201)
  })

  return app
}
