import {
  canManagePeople,
  coachAssignmentsRequestSchema,
  createUserRequestSchema,
  type User,
  updateUserRequestSchema,
} from '@lever/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import type { AuthService } from '../auth/AuthService.ts'
import type { OriginPolicy } from '../auth/OriginPolicy.ts'
import { publicUser } from '../auth/users.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const userIdSchema = z.string().regex(/^[a-z0-9]{1,40}$/, 'Not a person id')

export interface UserRoutesDeps {
  auth: AuthService
  /** Invite links are made with the public origin, never with the request's Host header. */
  origins: OriginPolicy
  /** Called after someone's role, team, assignments or status changed (re-check live connections). */
  onAccessChanged(userId: string): void
  /** Emails an invitation when email is configured; resolves whether it was sent. */
  emailInvite?(user: User, inviteUrl: string, invitedBy: string): Promise<boolean>
}

function inviteUrl(origins: OriginPolicy, token: string): string {
  return `${origins.publicOrigin}/invite/${token}`
}

/** `/api/users`: facilitators manage people (invite, roles, coach assignments, deactivation). */
export function userRoutes({ auth, origins, onAccessChanged, emailInvite }: UserRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const users = auth.users

  app.use('*', async (c, next) => {
    if (!canManagePeople(requireUser(c))) throw ApiError.forbidden('Only facilitators manage people')
    await next()
  })

  app.get('/', async (c) => c.json({ users: await users.list() }))

  app.post('/', async (c) => {
    const body = await readJson(c, createUserRequestSchema)
    const user = await users.create({
      email: body.email,
      name: body.name,
      role: body.role,
      jurisdictionId: body.jurisdictionId,
    })
    const token = await auth.invites.issue(user.id)
    const url = inviteUrl(origins, token)
    const emailed = (await emailInvite?.(publicUser(user), url, requireUser(c).name)) ?? false
    return c.json({ user: publicUser(user), inviteUrl: url, emailed }, 201)
  })

  app.patch('/:id', async (c) => {
    const id = parseWith(userIdSchema, c.req.param('id'))
    const body = await readJson(c, updateUserRequestSchema)
    const me = requireUser(c)
    if (id === me.id && (body.active === false || (body.role && body.role !== 'facilitator'))) {
      throw ApiError.badRequest('You cannot deactivate yourself or give up your own facilitator role')
    }
    const user: User = publicUser(await users.update(id, body))
    if (!user.active) await auth.sessions.revokeUser(id)
    onAccessChanged(id)
    return c.json({ user })
  })

  app.put('/:id/coach-assignments', async (c) => {
    const id = parseWith(userIdSchema, c.req.param('id'))
    const body = await readJson(c, coachAssignmentsRequestSchema)
    const user = publicUser(await users.setCoachAssignments(id, body.jurisdictionIds))
    onAccessChanged(id)
    return c.json({ user })
  })

  app.post('/:id/invites', async (c) => {
    const id = parseWith(userIdSchema, c.req.param('id'))
    const user = await users.get(id)
    if (!user) throw ApiError.notFound('No such person')
    if (!user.active) throw ApiError.badRequest('Reactivate this person before inviting them')
    const url = inviteUrl(origins, await auth.invites.issue(id))
    const emailed = (await emailInvite?.(publicUser(user), url, requireUser(c).name)) ?? false
    return c.json({ inviteUrl: url, emailed }, 201)
  })

  return app
}
