import { threadVisibilitySchema } from '@lever/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import type { PlanService } from '../domain/plans.ts'
import type { PlanThreads } from '../domain/threadDocuments.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an id')
const visibilityBodySchema = z.object({ visibility: threadVisibilitySchema }).strict()

/**
 * `POST /api/plans/:id/threads/:threadId/visibility` with `{ "visibility": "team" | "all" }`:
 * moves a comment thread to the thread document of that visibility, as a server-made change (the
 * copy is stored before the original is removed, so nothing is lost and the thread is never
 * readable by anyone outside its new audience). Who may: facilitators, the plan's team, and the
 * thread's author. Answers `{ visibility, moved }`.
 */
export function threadRoutes({ plans, threads }: { plans: PlanService; threads: PlanThreads }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:id/threads/:threadId/visibility', async (c) => {
    const user = requireUser(c)
    const planId = parseWith(idSchema, c.req.param('id'))
    const threadId = parseWith(idSchema, c.req.param('threadId'))
    const { visibility } = await readJson(c, visibilityBodySchema)
    if (!(await plans.get(planId))) throw ApiError.notFound('No such plan')
    const result = await threads.setVisibility(user, planId, threadId, visibility)
    if (!result.ok) {
      if (result.reason === 'forbidden')
        throw ApiError.forbidden("Only the thread's author, the plan's team or a facilitator can change who sees it")
      throw ApiError.notFound('No such comment thread')
    }
    return c.json({ visibility: result.visibility, moved: result.moved })
  })

  return app
}
