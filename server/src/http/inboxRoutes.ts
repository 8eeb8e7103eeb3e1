import { planAccess } from '@lever/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import { inboxFor } from '../domain/inbox.ts'
import type { PlanService } from '../domain/plans.ts'
import type { ThreadIndex } from '../domain/threadIndex.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)
const inboxQuerySchema = z.object({ filter: z.enum(['all', 'mentions', 'unread']).default('all') })
const markReadSchema = z.object({ planId: idSchema, threadId: idSchema }).strict()

/** `/api/inbox`: threads that mention me or are open on plans I am responsible for, across plans. */
export function inboxRoutes({
  plans,
  threads,
  onRead,
}: {
  plans: PlanService
  threads: ThreadIndex
  /** Called after a person marked a thread read (their other pages refresh their badge). */
  onRead?(userId: string): void
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    const user = requireUser(c)
    const { filter } = parseWith(inboxQuerySchema, c.req.query())
    let items = await inboxFor(user, plans, threads)
    if (filter === 'mentions') items = items.filter((i) => i.mentionsMe)
    if (filter === 'unread') items = items.filter((i) => i.unread)
    return c.json({ items, unread: items.filter((i) => i.unread).length })
  })

  app.post('/read', async (c) => {
    const user = requireUser(c)
    const body = await readJson(c, markReadSchema)
    const plan = await plans.get(body.planId)
    if (!plan || !planAccess(user, plan)) throw ApiError.notFound('No such plan')
    await threads.markRead(user.id, body.planId, body.threadId)
    onRead?.(user.id)
    return c.body(null, 204)
  })

  return app
}
