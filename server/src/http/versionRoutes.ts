import { AccessMode, nameVersionRequestSchema, restoreRequestSchema, type User } from '@lever/shared'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { WorkBudgets } from '../collab/WorkBudgets.ts'
import type { PlanRecord, PlanService } from '../domain/plans.ts'
import type { RestoreScope } from '../versions/restoreContent.ts'
import type { VersionService } from '../versions/VersionService.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { visiblePlan } from './jurisdictionRoutes.ts'
import { parseWith, readJson } from './validation.ts'
import { chargedTo } from './workBudget.ts'

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an id')
const compareQuerySchema = z.object({ with: z.union([z.literal('current'), idSchema]) })

/**
 * `/api/plans/:id/versions`: a plan's version history. Whoever may read the plan reads its
 * history (coaches of assigned plans included); only those who may edit it name and restore.
 */
export function versionRoutes({
  plans,
  versions,
  workBudgets,
}: {
  plans: PlanService
  versions: VersionService
  /** Each person's share of the server's time: comparing and restoring are charged to it. */
  workBudgets?: WorkBudgets
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const readable = async (c: Context<AppEnv>): Promise<{ user: User; plan: PlanRecord }> => {
    const user = requireUser(c)
    const plan = await plans.get(parseWith(idSchema, c.req.param('id')))
    if (!plan) throw ApiError.notFound('No such plan')
    const visible = await visiblePlan(user, plan)
    if (!visible)
      throw ApiError.forbidden('This plan is not shared with you. Ask its team or a facilitator for access.')
    return { user, plan }
  }
  const editable = async (c: Context<AppEnv>) => {
    const found = await readable(c)
    if (visiblePlan(found.user, found.plan)?.access !== AccessMode.ReadWrite) {
      throw ApiError.forbidden('Only the plan’s team and facilitators name and restore versions')
    }
    return found
  }
  const versionId = (c: Context<AppEnv>) => parseWith(idSchema, c.req.param('versionId'))

  app.get('/:id/versions', async (c) => c.json({ versions: await versions.list((await readable(c)).plan) }))

  app.post('/:id/versions', async (c) => {
    const { user, plan } = await editable(c)
    const { name } = await readJson(c, nameVersionRequestSchema)
    return c.json(await chargedTo(workBudgets, user, () => versions.name(plan, user, name)), 201)
  })

  app.patch('/:id/versions/:versionId', async (c) => {
    const { plan } = await editable(c)
    const id = versionId(c)
    const { name } = await readJson(c, nameVersionRequestSchema)
    return c.json(await versions.rename(plan, id, name))
  })

  // Facilitators delete versions a plan no longer needs (its history has a byte budget).
  app.delete('/:id/versions/:versionId', async (c) => {
    const { user, plan } = await readable(c)
    if (user.role !== 'facilitator') throw ApiError.forbidden('Only facilitators delete versions')
    await versions.remove(plan, versionId(c))
    return c.body(null, 204)
  })

  // Reading a version decodes it whole (a second or two for a plan near its size limit): on the
  // reader's share of the server's time, like comparing.
  app.get('/:id/versions/:versionId', async (c) => {
    const { user, plan } = await readable(c)
    const id = versionId(c)
    return c.json(await chargedTo(workBudgets, user, () => versions.detail(plan, id)))
  })

  app.get('/:id/versions/:versionId/compare', async (c) => {
    const { user, plan } = await readable(c)
    const id = versionId(c)
    const query = parseWith(compareQuerySchema, { with: c.req.query('with') ?? 'current' })
    return c.json(await chargedTo(workBudgets, user, () => versions.compare(plan, id, query.with)))
  })

  app.post('/:id/versions/:versionId/restore', async (c) => {
    const { user, plan } = await editable(c)
    const id = versionId(c)
    const raw = await c.req.text()
    let body: unknown = {}
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw)
      } catch {
        throw ApiError.badRequest('The request body must be JSON')
      }
    }
    const request = parseWith(restoreRequestSchema, body)
    const scope: RestoreScope =
      'initiativeId' in request
        ? { kind: 'initiative', initiativeId: request.initiativeId }
        : 'section' in request
          ? { kind: 'section', section: request.section }
          : { kind: 'all' }
    const beforeRestore = await chargedTo(workBudgets, user, () => versions.restore(plan, id, scope, user))
    return c.json({ beforeRestore })
  })

  return app
}
