import { Hono } from 'hono'
import { z } from 'zod'
import type { PlanService } from '../domain/plans.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { visiblePlan } from './jurisdictionRoutes.ts'
import { parseWith } from './validation.ts'

const planIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id')

/** `/api/plans/:id`: one plan's metadata (its content is the collaboration document). */
export function planRoutes({ plans }: { plans: PlanService }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/:id', (c) => {
    const user = requireUser(c)
    const plan = plans.get(parseWith(planIdSchema, c.req.param('id')))
    if (!plan) throw ApiError.notFound('No such plan')
    const visible = visiblePlan(user, plan)
    if (!visible)
      throw ApiError.forbidden('This plan is not shared with you. Ask its team or a facilitator for access.')
    return c.json(visible)
  })
  return app
}
