import type { LeverServer } from '@lever/server'
import {
  followUpResponseSchema,
  isSessionPast,
  PlanModel,
  planWarnings,
  sessionListResponseSchema,
  ThreadsModel,
  threadDocName,
} from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { bearer, COACH, FACILITATOR, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'

describe('the demo (DEMO=1) is worth opening', () => {
  let server: LeverServer
  let facilitator = ''
  const dataDir = tempDir()
  const clients: TestClient[] = []
  const api = async (path: string, token = facilitator) =>
    (await fetch(`${server.url}/api${path}`, { headers: bearer(token) })).json()

  beforeAll(async () => {
    server = await startServer({ dataDir, auth: { demoContent: true } })
    facilitator = await signIn(server, FACILITATOR)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('gives every team two members who can sign in', async () => {
    const people = await server.auth.users.list()
    for (const j of await server.jurisdictions.list()) {
      const team = people.filter((p) => p.role === 'member' && p.jurisdictionId === j.id)
      expect(team.length, j.id).toBe(2)
      expect(new Set(team.map((p) => p.name)).size).toBe(2)
    }
    await signIn(server, 'member@boulder-co.demo.test')
  })

  it('gives the coach’s three jurisdictions a realistic plan in progress', async () => {
    const coachToken = await signIn(server, COACH)
    const coach = await server.auth.users.getByEmail(COACH)
    expect(coach?.coachOf).toHaveLength(3)
    for (const jurisdictionId of coach?.coachOf ?? []) {
      const plans = await api(`/jurisdictions/${jurisdictionId}/plans`, coachToken)
      expect(plans.plans ?? plans, jurisdictionId).toHaveLength(1)
      const plan = (plans.plans ?? plans)[0]
      const client = connectClient(wsUrl(server), plan.docName, { params: { token: coachToken } })
      clients.push(client)
      await synced(client)
      const snapshot = new PlanModel(client.doc).snapshot()
      expect(new Set(snapshot.initiatives.map((i) => i.lever)).size).toBeGreaterThanOrEqual(2)
      expect(snapshot.initiatives.some((i) => i.funding.length > 0)).toBe(true)
      expect(snapshot.initiatives.some((i) => i.metrics.length > 0)).toBe(true)
      expect(snapshot.initiatives.some((i) => i.milestones.length > 0)).toBe(true)
      expect(snapshot.initiatives.every((i) => i.owner !== '' && i.startDate && i.dueDate)).toBe(true)
      expect(snapshot.targetComponents.length).toBeGreaterThan(0)
      expect(snapshot.sections.problem).not.toBe('')
      // The coach's comments are for the team and its coaches: in the team's thread document.
      const teamThreads = connectClient(wsUrl(server), threadDocName(plan.id, 'team'), {
        params: { token: coachToken },
      })
      clients.push(teamThreads)
      await synced(teamThreads)
      const threads = new ThreadsModel(teamThreads.doc).list().map((t) => t.snapshot())
      expect(threads.length).toBeGreaterThan(0)
      expect(threads.every((t) => t.authorId === coach?.id)).toBe(true)
      // In progress: some, not all, initiatives are under way; no impossible dates.
      expect(
        planWarnings(snapshot).some((w) => w.code === 'milestoneOutsideDates' || w.code === 'dueBeforeStart'),
      ).toBe(false)
    }
  })

  it('puts sessions on the calendar relative to today: one live now, some upcoming, a past one with follow-ups', async () => {
    const { sessions } = sessionListResponseSchema.parse(await api('/sessions'))
    const now = Date.now()
    const live = sessions.filter((s) => s.status === 'live')
    expect(live).toHaveLength(1)
    expect(Math.abs(Date.parse(live[0]?.startsAt as string) - now)).toBeLessThan(3_600_000)
    const upcoming = sessions.filter((s) => s.status === 'scheduled' && Date.parse(s.startsAt) > now)
    expect(upcoming.length).toBeGreaterThanOrEqual(2)
    const recent = sessions.filter(
      (s) => s.status === 'ended' && isSessionPast(s) && now - Date.parse(s.startsAt) < 60 * 86_400_000,
    )
    expect(recent).toHaveLength(1)
    const followUp = followUpResponseSchema.parse(await api(`/sessions/${recent[0]?.id}/follow-up`))
    expect(followUp.attendance.length).toBeGreaterThanOrEqual(4)
    expect(followUp.jurisdictions.flatMap((j) => j.transfers).length).toBeGreaterThanOrEqual(2)
  })

  it('seeds once: a restart adds nothing', async () => {
    const before = (await api('/sessions')).sessions.length
    await server.close()
    server = await startServer({ dataDir, auth: { demoContent: true } })
    facilitator = await signIn(server, FACILITATOR)
    expect((await api('/sessions')).sessions.length).toBe(before)
    expect(await server.plans.listAll()).toHaveLength(3)
  })
})
