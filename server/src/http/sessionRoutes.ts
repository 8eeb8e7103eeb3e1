import {
  AccessMode,
  type CohortSession,
  createSessionRequestSchema,
  DocKind,
  type DraftInfo,
  docNameFor,
  ErrorCode,
  isSessionPast,
  SessionModel,
  sendToPlanRequestSchema,
  type User,
  updateSessionRequestSchema,
} from '@lever/shared'
import { Hono } from 'hono'
import { z } from 'zod'
import type { UserService } from '../auth/users.ts'
import type { DocumentTypes } from '../collab/documentTypes.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { BreakoutService } from '../domain/breakouts.ts'
import type { CohortSessionService } from '../domain/cohortSessions.ts'
import type { JurisdictionService } from '../domain/jurisdictions.ts'
import type { PlanService } from '../domain/plans.ts'
import { sendToPlan } from '../domain/sendToPlan.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an id')

export interface SessionRoutesDeps {
  sessions: CohortSessionService
  breakouts: BreakoutService
  plans: PlanService
  users: UserService
  jurisdictions: JurisdictionService
  rooms: RoomManager
  documents: DocumentTypes
  /** Re-check open connections of these drafts (their access may have changed). */
  onDraftAccessChanged(draftIds: string[]): void
  /** Before a session is marked ended (version history takes versions of plans with unsaved changes). */
  onSessionEnding?(session: { id: string; title: string }): void | Promise<void>
}

function requireFacilitator(user: User): void {
  if (user.role !== 'facilitator') throw ApiError.forbidden('Only facilitators run sessions')
}

/** Past sessions are read-only (409 `session_past`). */
function pastSession(message: string): ApiError {
  return new ApiError(409, ErrorCode.SessionPast, message)
}

/** `/api/sessions`: the cohort calendar, starting and ending live sessions, attendance, follow-up. */
export function sessionRoutes(deps: SessionRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const { sessions, breakouts, users } = deps

  const find = async (raw: string): Promise<CohortSession> => {
    const session = await sessions.get(parseWith(idSchema, raw))
    if (!session) throw ApiError.notFound('No such session')
    return session
  }
  const person = async (id: string) => {
    const u = await users.get(id)
    return { id, name: u?.name ?? 'Former participant', jurisdictionId: u?.jurisdictionId ?? null }
  }
  /** Writes the session's status into its live document, so everyone in it sees it at once. */
  const writeStatus = (session: CohortSession, change: (model: SessionModel) => void) =>
    deps.rooms.withRoom(session.docName, (room) => room.transactServer((doc) => change(new SessionModel(doc))))

  app.get('/', async (c) => {
    requireUser(c)
    return c.json({ sessions: await sessions.list() })
  })

  app.post('/', async (c) => {
    requireFacilitator(requireUser(c))
    const body = await readJson(c, createSessionRequestSchema)
    return c.json(await sessions.create(body), 201)
  })

  app.get('/:id', async (c) => {
    const user = requireUser(c)
    const session = await find(c.req.param('id'))
    const groups = await Promise.all(
      (await breakouts.groups(session.id)).map(async (g) => ({
        ...g,
        members: await Promise.all(g.members.map((id) => person(id))),
      })),
    )
    const mine = groups.find((g) => g.members.some((m) => m.id === user.id)) ?? null
    return c.json({ session, groups, myGroupId: mine?.id ?? null })
  })

  app.patch('/:id', async (c) => {
    requireFacilitator(requireUser(c))
    const session = await find(c.req.param('id'))
    const body = await readJson(c, updateSessionRequestSchema)
    if (session.status === 'ended') throw pastSession('This session has ended: it is read-only.')
    // A session whose time passed without it being held may only be moved into the future.
    if (isSessionPast(session) && isSessionPast({ ...session, ...body })) {
      throw pastSession('This session’s time has passed: it is read-only, unless you move it to a future date.')
    }
    // Null: the session ended meanwhile.
    const updated = await sessions.update(session.id, body)
    if (!updated) throw pastSession('This session has ended: it is read-only.')
    return c.json(updated)
  })

  app.post('/:id/start', async (c) => {
    requireFacilitator(requireUser(c))
    const session = await find(c.req.param('id'))
    if (isSessionPast(session)) {
      throw pastSession(
        session.status === 'ended'
          ? 'This session has ended: it cannot be started again.'
          : 'This session’s time has passed: it cannot be started. Reschedule it, or create a new session.',
      )
    }
    // Null: the session ended meanwhile (an ended session is never started again).
    const started = await sessions.setStatus(session.id, 'live')
    if (!started) throw pastSession('This session has ended: it cannot be started again.')
    await writeStatus(session, (m) => m.setStatus('live'))
    deps.onDraftAccessChanged((await breakouts.groups(session.id, true)).map((g) => g.draftId))
    return c.json(started)
  })

  app.post('/:id/end', async (c) => {
    requireFacilitator(requireUser(c))
    const session = await find(c.req.param('id'))
    await deps.onSessionEnding?.(session)
    const ended = await sessions.setStatus(session.id, 'ended')
    if (!ended) throw ApiError.notFound('No such session')
    await writeStatus(session, (m) => {
      m.setStatus('ended')
      m.setBreakoutsOpen(false)
      m.stopTimer()
    })
    deps.onDraftAccessChanged((await breakouts.groups(session.id, true)).map((g) => g.draftId))
    return c.json(ended)
  })

  app.post('/:id/join', async (c) => {
    const user = requireUser(c)
    const session = await find(c.req.param('id'))
    if (session.status !== 'live') throw ApiError.conflict('This session is not live')
    await sessions.recordAttendance(session.id, user.id)
    return c.body(null, 204)
  })

  const attendanceOf = async (sessionId: string) => {
    const [memberships, attendance] = await Promise.all([
      breakouts.memberships(sessionId),
      sessions.attendance(sessionId),
    ])
    return Promise.all(
      attendance.map(async (a) => ({
        ...(await person(a.userId)),
        joinedAt: a.joinedAt,
        groups: memberships.filter((m) => m.userId === a.userId).map((m) => m.groupName),
      })),
    )
  }

  /** Who joined the session (and their groups), for the facilitator's room. */
  app.get('/:id/attendance', async (c) => {
    requireFacilitator(requireUser(c))
    return c.json({ attendance: await attendanceOf((await find(c.req.param('id'))).id) })
  })

  app.get('/:id/follow-up', async (c) => {
    requireFacilitator(requireUser(c))
    const session = await find(c.req.param('id'))
    const attendance = await attendanceOf(session.id)
    const transfers = await breakouts.transfers(session.id)
    const byJurisdiction = (await deps.jurisdictions.list())
      .map((j) => ({
        jurisdictionId: j.id,
        name: j.name,
        attended: attendance.filter((a) => a.jurisdictionId === j.id).length,
        transfers: transfers.filter((t) => t.jurisdictionId === j.id),
      }))
      .filter((j) => j.attended > 0 || j.transfers.length > 0)
    return c.json({ session, attendance, jurisdictions: byJurisdiction })
  })

  return app
}

/** `/api/drafts`: a breakout group's draft, and sending its content into a plan. */
export function draftRoutes(deps: SessionRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/:id', async (c) => {
    const user = requireUser(c)
    const id = parseWith(idSchema, c.req.param('id'))
    const group = await deps.breakouts.groupByDraft(id)
    const session = group ? await deps.sessions.get(group.sessionId) : null
    if (!group || !session) throw ApiError.notFound('No such draft')
    const docName = docNameFor(DocKind.Draft, id)
    const access = await deps.documents.accessTo(user, docName)
    if (!access) throw ApiError.forbidden()
    const info: DraftInfo = {
      id,
      docName,
      sessionId: session.id,
      sessionTitle: session.title,
      groupId: group.id,
      groupName: group.name,
      prompt: group.prompt,
      access: access === AccessMode.CommentOnly ? AccessMode.ReadOnly : access,
    }
    return c.json(info)
  })

  app.post('/:id/send', async (c) => {
    const user = requireUser(c)
    const id = parseWith(idSchema, c.req.param('id'))
    const body = await readJson(c, sendToPlanRequestSchema)
    const result = await sendToPlan(deps, user, id, body)
    return c.json(result, 201)
  })

  return app
}
