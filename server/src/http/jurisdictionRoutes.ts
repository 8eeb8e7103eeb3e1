import { createPlanRequestSchema } from '@lever/shared'
import { Hono } from 'hono'
import { type JurisdictionService, jurisdictionIdSchema } from '../domain/jurisdictions.ts'
import type { PlanService } from '../domain/plans.ts'
import { ApiError } from './ApiError.ts'
import { parseWith, readJson } from './validation.ts'

export interface JurisdictionRoutesDeps {
  jurisdictions: JurisdictionService
  plans: PlanService
}

/** `/api/jurisdictions`: the cohort, each jurisdiction, and its plans. */
export function jurisdictionRoutes({ jurisdictions, plans }: JurisdictionRoutesDeps): Hono {
  const app = new Hono()

  const findJurisdiction = (raw: string) => {
    const jurisdiction = jurisdictions.get(parseWith(jurisdictionIdSchema, raw))
    if (!jurisdiction) throw ApiError.notFound('No such jurisdiction')
    return jurisdiction
  }

  app.get('/', (c) => c.json({ jurisdictions: jurisdictions.list() }))

  app.get('/:id', (c) => c.json({ jurisdiction: findJurisdiction(c.req.param('id')) }))

  app.get('/:id/plans', (c) => {
    const jurisdiction = findJurisdiction(c.req.param('id'))
    return c.json({ plans: plans.list(jurisdiction.id) })
  })

  app.post('/:id/plans', async (c) => {
    const jurisdiction = findJurisdiction(c.req.param('id'))
    const body = await readJson(c, createPlanRequestSchema)
    const plan = await plans.create({ jurisdictionId: jurisdiction.id, title: body.title })
    return c.json(plan, 201)
  })

  return app
}
