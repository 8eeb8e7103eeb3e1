import type { LeverServer } from '@lever/server'
import type { CoachingAllowances, CoachingSession, CoachingSummary } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addPerson, apiCaller, COACH, FACILITATOR, lead, signIn, startServer } from '../support/server.ts'

describe('the coaching log', () => {
  let server: LeverServer
  let facilitator = ''
  let coach = ''
  let otherCoach = ''
  let boulder = ''
  let atlanta = ''
  let ohio = ''
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)
  const log = async (token: string, body: Record<string, unknown>) => api(token, 'POST', '/coaching/sessions', body)
  const sessions = async (token: string, query = '') => {
    const res = await api(token, 'GET', `/coaching/sessions${query}`)
    return { status: res.status, body: (await res.json()) as { sessions: CoachingSession[] } }
  }
  const summary = async (token: string) =>
    (await (await api(token, 'GET', '/coaching/summary')).json()) as CoachingSummary
  const session = {
    jurisdictionId: 'boulder-co',
    date: '2026-11-20',
    minutes: 60,
    topics: { levers: ['procurement'], components: ['wages', 'benefits'] },
    notes: 'Walked through bid scoring; the team worries about fewer bidders.',
    followUps: ['Send sample contract language', 'Intro to Atlanta’s procurement lead'],
  }

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    coach = await signIn(server, COACH)
    boulder = await signIn(server, lead('boulder-co'))
    atlanta = await signIn(server, lead('atlanta-ga'))
    ohio = await signIn(server, lead('ohio'))
    // A second coach, also assigned to Boulder (and Ohio).
    await addPerson(server, { email: 'second.coach@demo.test', name: 'Sam Second', role: 'coach' })
    const id = (await server.auth.users.getByEmail('second.coach@demo.test'))?.id
    const assigned = await api(facilitator, 'PUT', `/users/${id}/coach-assignments`, {
      jurisdictionIds: ['boulder-co', 'ohio'],
    })
    expect(assigned.status).toBe(200)
    otherCoach = await signIn(server, 'second.coach@demo.test')
  })
  afterAll(async () => {
    await server.close()
  })

  it('lets a coach log a session for an assigned jurisdiction, and refuses any other', async () => {
    const res = await log(coach, session)
    expect(res.status).toBe(201)
    const created = (await res.json()) as CoachingSession
    expect(created).toMatchObject({
      jurisdictionId: 'boulder-co',
      coachName: 'Cory Coach',
      minutes: 60,
      phase: 'phase1',
      topics: { levers: ['procurement'], components: ['wages', 'benefits'] },
      notes: session.notes,
      followUps: session.followUps,
    })
    // Ohio is not the demo coach's jurisdiction.
    const refused = await log(coach, { ...session, jurisdictionId: 'ohio' })
    expect(refused.status).toBe(403)
    expect((await refused.json()).error.message).toContain('assigned to you')
    // Team members do not log sessions; unknown jurisdictions and bad values are clear errors.
    expect((await log(boulder, session)).status).toBe(403)
    expect((await log(coach, { ...session, jurisdictionId: 'atlantis' })).status).toBe(404)
    expect((await log(coach, { ...session, minutes: 0 })).status).toBe(400)
    expect((await log(coach, { ...session, minutes: 60.5 })).status).toBe(400)
    expect((await log(coach, { ...session, date: 'yesterday' })).status).toBe(400)
    expect((await log(coach, { ...session, topics: { levers: [], components: ['happiness'] } })).status).toBe(400)
    expect((await log(coach, { ...session, notes: 'x'.repeat(10_001) })).status).toBe(400)
    expect((await fetch(`${server.url}/api/coaching/sessions`)).status).toBe(401)
  })

  it('shows a team only its own log, a coach their jurisdictions’, a facilitator everything', async () => {
    expect((await log(coach, { ...session, jurisdictionId: 'atlanta-ga', minutes: 30 })).status).toBe(201)
    expect(
      (await log(otherCoach, { ...session, jurisdictionId: 'ohio', minutes: 45, notes: 'Ohio notes' })).status,
    ).toBe(201)

    const team = await sessions(boulder)
    expect(team.status).toBe(200)
    expect(new Set(team.body.sessions.map((s) => s.jurisdictionId))).toEqual(new Set(['boulder-co']))
    expect(team.body.sessions[0]?.notes).toBe(session.notes)
    expect((await sessions(boulder, '?jurisdictionId=atlanta-ga')).status).toBe(403)
    expect((await sessions(atlanta, '?jurisdictionId=atlanta-ga')).body.sessions).toHaveLength(1)
    expect((await sessions(ohio)).body.sessions.map((s) => s.notes)).toEqual(['Ohio notes'])

    const coachView = await sessions(coach)
    expect(new Set(coachView.body.sessions.map((s) => s.jurisdictionId))).toEqual(new Set(['boulder-co', 'atlanta-ga']))
    expect((await sessions(coach, '?jurisdictionId=ohio')).status).toBe(403)

    const all = await sessions(facilitator)
    expect(all.body.sessions).toHaveLength(3)
    expect(all.body.sessions.every((s) => s.notes !== null)).toBe(true)
    expect((await sessions(facilitator, '?jurisdictionId=ohio')).body.sessions).toHaveLength(1)
    expect((await sessions(facilitator, '?jurisdictionId=BAD!')).status).toBe(400)
  })

  it('keeps notes from other coaches of the same jurisdiction', async () => {
    // The second coach is also Boulder's: they see the session and its minutes, not its notes.
    const view = await sessions(otherCoach, '?jurisdictionId=boulder-co')
    expect(view.status).toBe(200)
    const theirs = view.body.sessions.find((s) => s.coachName === 'Cory Coach')
    expect(theirs?.minutes).toBe(60)
    expect(theirs?.notes).toBeNull()
    expect(theirs?.followUps).toBeNull()
    expect(JSON.stringify(view.body)).not.toContain('bid scoring')
    const one = await api(otherCoach, 'GET', `/coaching/sessions/${theirs?.id}`)
    expect(((await one.json()) as CoachingSession).notes).toBeNull()
    // Another team cannot open it at all.
    expect((await api(atlanta, 'GET', `/coaching/sessions/${theirs?.id}`)).status).toBe(404)
  })

  it('lets only the author coach or a facilitator change or delete a session', async () => {
    const mine = (await sessions(coach, '?jurisdictionId=boulder-co')).body.sessions[0] as CoachingSession
    expect((await api(otherCoach, 'PATCH', `/coaching/sessions/${mine.id}`, { minutes: 90 })).status).toBe(403)
    expect((await api(boulder, 'PATCH', `/coaching/sessions/${mine.id}`, { minutes: 90 })).status).toBe(403)
    expect((await api(atlanta, 'DELETE', `/coaching/sessions/${mine.id}`)).status).toBe(404)
    const patched = await api(coach, 'PATCH', `/coaching/sessions/${mine.id}`, { minutes: 75 })
    expect(patched.status).toBe(200)
    const after = (await patched.json()) as CoachingSession
    // Only what was sent changes.
    expect(after).toMatchObject({ minutes: 75, notes: session.notes, followUps: session.followUps })
    expect(after.topics.components).toEqual(['wages', 'benefits'])
    // The author cannot move a session to a jurisdiction they do not coach.
    expect((await api(coach, 'PATCH', `/coaching/sessions/${mine.id}`, { jurisdictionId: 'ohio' })).status).toBe(403)
    expect((await api(facilitator, 'PATCH', `/coaching/sessions/${mine.id}`, { minutes: 80 })).status).toBe(200)
    expect((await api(coach, 'PATCH', `/coaching/sessions/${mine.id}`, { minutes: -1 })).status).toBe(400)

    const extra = (await (await log(coach, { ...session, minutes: 15 })).json()) as CoachingSession
    expect((await api(otherCoach, 'DELETE', `/coaching/sessions/${extra.id}`)).status).toBe(403)
    expect((await api(coach, 'DELETE', `/coaching/sessions/${extra.id}`)).status).toBe(204)
    expect((await api(coach, 'DELETE', `/coaching/sessions/${extra.id}`)).status).toBe(404)
    const other = (await (await log(coach, { ...session, minutes: 20 })).json()) as CoachingSession
    expect((await api(facilitator, 'DELETE', `/coaching/sessions/${other.id}`)).status).toBe(204)
  })

  it('sums each team’s minutes against the allowance: own for a team, assigned for a coach, all for facilitators', async () => {
    // Boulder: 80 minutes now (60 edited to 75, then 80); Atlanta 30; Ohio 45.
    const team = await summary(boulder)
    expect(team.jurisdictions).toEqual([
      expect.objectContaining({ id: 'boulder-co', allowanceMinutes: 240, usedMinutes: 80 }),
    ])
    const coachSummary = await summary(coach)
    expect(coachSummary.jurisdictions.map((j) => [j.id, j.usedMinutes]).sort()).toEqual([
      ['atlanta-ga', 30],
      ['baltimore-county-md', 0],
      ['boulder-co', 80],
    ])
    const all = await summary(facilitator)
    expect(all.phase).toBe('phase1')
    expect(all.jurisdictions).toHaveLength(20)
    expect(all.jurisdictions.find((j) => j.id === 'ohio')?.usedMinutes).toBe(45)
    expect(all.jurisdictions.find((j) => j.id === 'colorado')).toMatchObject({ usedMinutes: 0, allowanceMinutes: 240 })
  })

  it('lets facilitators set each phase’s allowance and the current phase', async () => {
    expect(
      (await api(coach, 'PUT', '/coaching/allowances', { phases: [{ phase: 'phase1', allowanceMinutes: 600 }] }))
        .status,
    ).toBe(403)
    expect((await api(boulder, 'PUT', '/coaching/allowances', { currentPhase: 'phase2' })).status).toBe(403)
    expect(
      (await api(facilitator, 'PUT', '/coaching/allowances', { phases: [{ phase: 'phase1', allowanceMinutes: -5 }] }))
        .status,
    ).toBe(400)
    const res = await api(facilitator, 'PUT', '/coaching/allowances', {
      phases: [{ phase: 'phase1', allowanceMinutes: 300 }],
    })
    expect(res.status).toBe(200)
    expect(((await res.json()) as CoachingAllowances).phases).toContainEqual({ phase: 'phase1', allowanceMinutes: 300 })
    expect((await summary(boulder)).jurisdictions[0]).toMatchObject({ allowanceMinutes: 300, usedMinutes: 80 })

    // In phase 2, its own allowance applies and phase-1 minutes no longer count.
    await api(facilitator, 'PUT', '/coaching/allowances', {
      currentPhase: 'phase2',
      phases: [{ phase: 'phase2', allowanceMinutes: 180 }],
    })
    expect((await summary(boulder)).jurisdictions[0]).toMatchObject({ allowanceMinutes: 180, usedMinutes: 0 })
    const logged = (await (await log(coach, { ...session, minutes: 50 })).json()) as CoachingSession
    expect(logged.phase).toBe('phase2')
    expect((await summary(boulder)).jurisdictions[0]).toMatchObject({ usedMinutes: 50 })
    expect(
      ((await (await api(boulder, 'GET', '/coaching/allowances')).json()) as CoachingAllowances).currentPhase,
    ).toBe('phase2')
  })
})
