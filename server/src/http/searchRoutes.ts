import { planAccess, threadAccess } from '@lever/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import type { PlanService } from '../domain/plans.ts'
import { SEARCH_KINDS, type SearchIndex } from '../search/SearchIndex.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith } from './validation.ts'

const searchQuerySchema = z.object({
  // Long input is cut by the query builder; past this it is not a search but an abuse of the URL.
  q: z.string().max(2000, 'Search for at most 2,000 characters').default(''),
  kind: z.enum(SEARCH_KINDS).optional(),
})

/** `/api/search`: full-text search over what the caller may read now. */
export function searchRoutes({ plans, index }: { plans: PlanService; index: SearchIndex }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    const user = requireUser(c)
    const { q, kind } = parseWith(searchQuerySchema, c.req.query())
    // Permissions at query time: the plans this person may read right now (sharing, assignments).
    const readablePlans = (await plans.listAll()).filter((plan) => planAccess(user, plan) !== null)
    const readable = readablePlans.map((plan) => plan.id)
    // Team-only comment threads: the plan's team, its coaches and facilitators.
    const team = readablePlans.filter((plan) => threadAccess(user, plan, 'team') !== null).map((plan) => plan.id)
    return c.json({ results: index.search(q, readable, kind, team) })
  })

  return app
}
