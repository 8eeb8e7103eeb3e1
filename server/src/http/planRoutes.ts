import { Hono } from 'hono'
import { z } from 'zod'
import type { PlanService } from '../domain/plans.ts'
import { ApiError } from './ApiError.ts'
import { parseWith } from './validation.ts'

const planIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id')

/** `/api/plans/:id`: one plan's metadata (its content is the collaboration document). */
export function planRoutes({ plans }: { plans: PlanService }): Hono {
  const app = new Hono()
  app.get('/:id', (c) => {
    const plan = plans.get(parseWith(planIdSchema, c.req.param('id')))
    if (!plan) throw ApiError.notFound('No such plan')
    return c.json(plan)
  })
  return app
}
