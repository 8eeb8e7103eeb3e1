import {
  addFromTemplateRequestSchema,
  borrowRequestSchema,
  canCreatePlan,
  createTemplateRequestSchema,
  instantiateTemplateRequestSchema,
  type TemplateSummary,
  templateIdSchema,
  type User,
  updateTemplateRequestSchema,
} from '@lever/shared'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import { jurisdictionIdSchema } from '../domain/jurisdictions.ts'
import { addFromTemplate, borrowInitiative, instantiateTemplate, type PlanCopyDeps } from '../domain/planCopies.ts'
import { type TemplateRecord, templateAccess } from '../domain/templates.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { visiblePlan } from './jurisdictionRoutes.ts'
import { parseWith, readJson } from './validation.ts'

const planIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id')

function summary(user: User, template: TemplateRecord): TemplateSummary {
  return { ...template, access: templateAccess(user) === 'read-write' ? 'read-write' : 'read-only' }
}

function requireFacilitator(user: User): void {
  if (user.role !== 'facilitator') throw ApiError.forbidden('Only facilitators write templates')
}

/** `/api/templates`: plan and initiative templates; facilitators write them, everyone reads them. */
export function templateRoutes(deps: PlanCopyDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const find = async (c: Context<AppEnv>) => {
    const template = await deps.templates.get(parseWith(templateIdSchema, c.req.param('id')))
    if (!template) throw ApiError.notFound('No such template')
    return template
  }

  app.get('/', async (c) => {
    const user = requireUser(c)
    return c.json({ templates: (await deps.templates.list()).map((t) => summary(user, t)) })
  })

  app.post('/', async (c) => {
    const user = requireUser(c)
    requireFacilitator(user)
    const body = await readJson(c, createTemplateRequestSchema)
    const template = await deps.templates.create({ ...body, createdBy: user.id })
    return c.json(summary(user, template), 201)
  })

  app.get('/:id', async (c) => {
    const user = requireUser(c)
    return c.json(summary(user, await find(c)))
  })

  app.patch('/:id', async (c) => {
    const user = requireUser(c)
    requireFacilitator(user)
    const template = await find(c)
    const body = await readJson(c, updateTemplateRequestSchema)
    await deps.templates.setDescription(template.id, body.description)
    return c.json(summary(user, (await deps.templates.get(template.id)) as TemplateRecord))
  })

  app.post('/:id/instantiate', async (c) => {
    const user = requireUser(c)
    const template = await find(c)
    const body = await readJson(c, instantiateTemplateRequestSchema)
    const jurisdiction = await deps.jurisdictions.get(parseWith(jurisdictionIdSchema, body.jurisdictionId))
    if (!jurisdiction) throw ApiError.notFound('No such jurisdiction')
    if (!canCreatePlan(user, jurisdiction.id)) {
      throw ApiError.forbidden(`Only ${jurisdiction.name}'s team or a facilitator can start its plans`)
    }
    const plan = await instantiateTemplate(deps, user, template, { jurisdictionId: jurisdiction.id, title: body.title })
    return c.json(visiblePlan(user, plan), 201)
  })

  return app
}

/**
 * `/api/plans/:id/…`: copying initiatives into a plan, from an initiative template or from a
 * peer's plan, and how often a plan's initiatives were copied by other teams.
 */
export function planCopyRoutes(deps: PlanCopyDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:id/initiatives/from-template', async (c) => {
    const user = requireUser(c)
    const planId = parseWith(planIdSchema, c.req.param('id'))
    const body = await readJson(c, addFromTemplateRequestSchema)
    const ids = await addFromTemplate(deps, user, planId, body)
    return c.json({ initiativeId: ids[0], initiativeIds: ids }, 201)
  })

  app.post('/:id/borrow', async (c) => {
    const user = requireUser(c)
    const planId = parseWith(planIdSchema, c.req.param('id'))
    const body = await readJson(c, borrowRequestSchema)
    const initiativeId = await borrowInitiative(deps, user, planId, body)
    return c.json({ initiativeId, planId }, 201)
  })

  app.get('/:id/borrows', async (c) => {
    const user = requireUser(c)
    const plan = await deps.plans.get(parseWith(planIdSchema, c.req.param('id')))
    if (!plan) throw ApiError.notFound('No such plan')
    if (!visiblePlan(user, plan)) throw ApiError.forbidden('This plan is not shared with you')
    return c.json({ initiatives: await deps.borrows.counts(plan) })
  })

  return app
}
