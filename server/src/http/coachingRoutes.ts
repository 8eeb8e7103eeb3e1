import {
  coachingSessionIdSchema,
  coachingSessionInputSchema,
  coachingSessionPatchSchema,
  type User,
  updateAllowancesRequestSchema,
} from '@lever/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import type { UserService } from '../auth/users.ts'
import { type CoachingLog, mayLogFor, visibleJurisdictions } from '../domain/coaching.ts'
import { type JurisdictionService, jurisdictionIdSchema } from '../domain/jurisdictions.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

export interface CoachingRoutesDeps {
  coaching: CoachingLog
  jurisdictions: JurisdictionService
  users: UserService
}

const listQuerySchema = z.object({ jurisdictionId: jurisdictionIdSchema.optional() }).strict()

/**
 * `/api/coaching`: the one-on-one coaching log. Coaches log for their assigned jurisdictions and
 * see theirs; a team sees its own log; facilitators see and manage everything.
 */
export function coachingRoutes({ coaching, jurisdictions }: CoachingRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const requireJurisdiction = async (id: string) => {
    const jurisdiction = await jurisdictions.get(id)
    if (!jurisdiction) throw ApiError.notFound('No such jurisdiction')
    return jurisdiction
  }
  const requireMayLog = async (user: User, jurisdictionId: string) => {
    const jurisdiction = await requireJurisdiction(jurisdictionId)
    if (!mayLogFor(user, jurisdiction.id)) {
      throw ApiError.forbidden(
        user.role === 'coach'
          ? `You are not ${jurisdiction.name}'s coach: you can log sessions only for the jurisdictions assigned to you`
          : 'Only coaches and facilitators log coaching sessions',
      )
    }
  }
  /** The author coach, or a facilitator, may change a session. */
  const requireMayChange = async (user: User, id: string) => {
    const owner = await coaching.owner(id)
    if (!owner) throw ApiError.notFound('No such coaching session')
    const visible = visibleJurisdictions(user)
    if (visible && !visible.includes(owner.jurisdictionId)) throw ApiError.notFound('No such coaching session')
    if (user.role !== 'facilitator' && owner.coachId !== user.id) {
      throw ApiError.forbidden('Only the coach who logged a session, or a facilitator, can change it')
    }
    return owner
  }

  app.get('/sessions', async (c) => {
    const user = requireUser(c)
    const query = parseWith(listQuerySchema, c.req.query())
    const visible = visibleJurisdictions(user)
    if (query.jurisdictionId !== undefined) {
      await requireJurisdiction(query.jurisdictionId)
      if (visible && !visible.includes(query.jurisdictionId)) {
        throw ApiError.forbidden("You can see only your own team's coaching log")
      }
      return c.json({ sessions: await coaching.list([query.jurisdictionId], user) })
    }
    return c.json({ sessions: await coaching.list(visible, user) })
  })

  app.post('/sessions', async (c) => {
    const user = requireUser(c)
    const body = await readJson(c, coachingSessionInputSchema)
    await requireMayLog(user, body.jurisdictionId)
    return c.json(await coaching.create(body, user), 201)
  })

  app.get('/sessions/:id', async (c) => {
    const user = requireUser(c)
    const id = parseWith(coachingSessionIdSchema, c.req.param('id'))
    const session = await coaching.get(id, user)
    const visible = visibleJurisdictions(user)
    if (!session || (visible && !visible.includes(session.jurisdictionId))) {
      throw ApiError.notFound('No such coaching session')
    }
    return c.json(session)
  })

  app.patch('/sessions/:id', async (c) => {
    const user = requireUser(c)
    const id = parseWith(coachingSessionIdSchema, c.req.param('id'))
    await requireMayChange(user, id)
    const body = await readJson(c, coachingSessionPatchSchema)
    if (body.jurisdictionId !== undefined) await requireMayLog(user, body.jurisdictionId)
    const session = await coaching.update(id, body, user)
    if (!session) throw ApiError.notFound('No such coaching session')
    return c.json(session)
  })

  app.delete('/sessions/:id', async (c) => {
    const user = requireUser(c)
    const id = parseWith(coachingSessionIdSchema, c.req.param('id'))
    await requireMayChange(user, id)
    if (!(await coaching.delete(id))) throw ApiError.notFound('No such coaching session')
    return c.body(null, 204)
  })

  app.get('/summary', async (c) => {
    const user = requireUser(c)
    const visible = visibleJurisdictions(user)
    const list = (await jurisdictions.list()).filter((j) => !visible || visible.includes(j.id))
    return c.json(await coaching.summary(list))
  })

  app.get('/allowances', async (c) => {
    requireUser(c)
    return c.json(await coaching.allowances())
  })

  app.put('/allowances', async (c) => {
    const user = requireUser(c)
    if (user.role !== 'facilitator') throw ApiError.forbidden('Only facilitators set the coaching allowance')
    const body = await readJson(c, updateAllowancesRequestSchema)
    await coaching.setAllowances(body, user)
    return c.json(await coaching.allowances())
  })

  return app
}
