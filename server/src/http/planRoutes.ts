import { planAccess } from '@lever/shared'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { UserService } from '../auth/users.ts'
import type { PlanService } from '../domain/plans.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { visiblePlan } from './jurisdictionRoutes.ts'
import { parseWith } from './validation.ts'

const planIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id')

/** `/api/plans/:id`: one plan's metadata (its content is the collaboration document). */
export function planRoutes({ plans, users }: { plans: PlanService; users: UserService }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const findVisible = async (c: Context<AppEnv>) => {
    const user = requireUser(c)
    const plan = await plans.get(parseWith(planIdSchema, c.req.param('id')))
    if (!plan) throw ApiError.notFound('No such plan')
    const visible = visiblePlan(user, plan)
    if (!visible)
      throw ApiError.forbidden('This plan is not shared with you. Ask its team or a facilitator for access.')
    return visible
  }

  app.get('/:id', async (c) => c.json(await findVisible(c)))

  /** People who can see the plan: who may be @mentioned in its comments. */
  app.get('/:id/people', async (c) => {
    const plan = await findVisible(c)
    const people = (await users.list()).flatMap((u) => {
      const access = u.active ? planAccess(u, plan) : null
      return access ? [{ id: u.id, name: u.name, role: u.role, color: u.color, access }] : []
    })
    return c.json({ people })
  })

  return app
}
