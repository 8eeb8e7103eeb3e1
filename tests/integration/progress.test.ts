import type { LeverServer } from '@lever/server'
import {
  type CheckInsDueResponse,
  CheckInsModel,
  CloseCode,
  type CohortOverviewResponse,
  dashboardFigures,
  newId,
  type PlanDashboardResponse,
  PlanModel,
  type PlanSummary,
  periodOf,
  planFigures,
  progressInputOf,
  todayIso,
} from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import {
  addPerson,
  bearer,
  COACH,
  createPlan,
  FACILITATOR,
  lead,
  signIn,
  sqliteOf,
  startServer,
  wsUrl,
} from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('progress: check-ins, the figures projection and the cohort overview', () => {
  let server: LeverServer
  let facilitator = ''
  let boulderLead = ''
  let plan: PlanSummary
  let client: TestClient
  const clients: TestClient[] = []

  const get = async <T>(path: string, token: string): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${server.url}/api${path}`, { headers: bearer(token) })
    return { status: res.status, body: (await res.json()) as T }
  }
  const overviewPlan = async (token: string, planId: string) => {
    const { body } = await get<CohortOverviewResponse>('/cohort/overview', token)
    return body.jurisdictions.flatMap((j) => j.plans).find((p) => p.id === planId)
  }

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    boulderLead = await signIn(server, lead('boulder-co'))
    plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulderLead, title: 'Boulder good jobs' })
    client = connectClient(wsUrl(server), plan.docName, { params: { token: boulderLead } })
    clients.push(client)
    await synced(client)
  })

  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server?.close()
  })

  it('shows a plan edited over a live connection in the overview, with the numbers its own views compute', async () => {
    const model = new PlanModel(client.doc)
    const period = periodOf(todayIso(), 'monthly')
    const initiative = model.addInitiative('procurement', { title: 'Good-jobs scoring in RFPs' })
    initiative.setStatus('onTrack')
    initiative.setComponent('wages', true)
    initiative.setComponent('benefits', true)
    const line = initiative.funding.add(newId())
    line.setSource('slfrf')
    line.setAmount('budgeted', 250_000)
    line.setAmount('obligated', 120_000.5)
    line.setAmount('spent', 40_000.25)
    const metric = initiative.metrics.add(newId())
    metric.text('name')?.insert(0, 'Contracts scored on job quality')
    metric.text('baseline')?.insert(0, '0')
    metric.text('target')?.insert(0, '40 contracts')
    const checkIns = new CheckInsModel(client.doc)
    checkIns.setStatus(period, initiative.id, 'onTrack')
    checkIns.setMetricActual(period, initiative.id, metric.id, { value: 12, date: todayIso() })
    checkIns.setFundingAsOf(period, initiative.id, line.id, { obligated: 120_000.5, spent: 40_000.25 })
    const second = model.addInitiative('hrPractices', { title: 'Paid apprenticeships' })
    second.setStatus('atRisk')

    const expected = planFigures(progressInputOf(client.doc).plan, progressInputOf(client.doc).checkIns, {
      period,
      today: todayIso(),
    })
    expect(expected.funding).toEqual({ budgeted: 250_000, obligated: 120_000.5, spent: 40_000.25 })
    const row = await waitFor(
      async () => {
        const p = await overviewPlan(facilitator, plan.id)
        return p && JSON.stringify(p.funding) === JSON.stringify(expected.funding) && p.initiatives.atRisk === 1
          ? p
          : null
      },
      { message: 'the overview to show the live edit' },
    )
    const { title: _title, ...figures } = expected
    expect(row).toMatchObject(figures)
    expect(row.checkIns).toEqual({ due: 2, done: 1 })
    expect(row.initiatives).toMatchObject({ onTrack: 1, atRisk: 1, notStarted: 0 })
    expect(row.components).toMatchObject({ wages: 1, benefits: 1, voice: 0 })

    // The dashboard's series are the plan's own too.
    const input = progressInputOf(client.doc)
    const own = dashboardFigures(input.plan, input.checkIns, { period, today: todayIso() })
    const { body: dashboard } = await get<PlanDashboardResponse>(`/plans/${plan.id}/dashboard`, boulderLead)
    expect(dashboard.metrics).toEqual(own.metrics)
    expect(dashboard.metrics[0]?.actuals).toEqual([{ period, date: todayIso(), value: 12 }])
    expect(dashboard.metrics[0]).toMatchObject({ baseline: 0, target: 40 })
    expect(dashboard.fundingBySource).toEqual(own.fundingBySource)
    expect(dashboard.statusByLever).toEqual(own.statusByLever)
    expect(dashboard.slfrfOverTime).toEqual(own.slfrfOverTime)
    expect(dashboard.coverage).toEqual(own.coverage)

    // What the team still owes this period, for its home page.
    const { body: due } = await get<CheckInsDueResponse>('/cohort/check-ins/due', boulderLead)
    expect(due.period.id).toBe(period)
    expect(due.plans).toEqual([{ id: plan.id, title: plan.title, jurisdictionId: 'boulder-co', due: 2, done: 1 }])
  })

  it('lets facilitators see every jurisdiction, coaches their assigned ones, team members their own', async () => {
    const all = await get<CohortOverviewResponse>('/cohort/overview', facilitator)
    expect(all.status).toBe(200)
    expect(all.body.jurisdictions).toHaveLength(20)

    const coachOf = (await server.auth.users.getByEmail(COACH))?.coachOf ?? []
    expect(coachOf.length).toBeGreaterThan(0)
    const coach = await get<CohortOverviewResponse>('/cohort/overview', await signIn(server, COACH))
    expect(coach.status).toBe(200)
    expect(coach.body.jurisdictions.map((j) => j.id).sort()).toEqual([...coachOf].sort())

    const own = await get<CohortOverviewResponse>('/cohort/overview', boulderLead)
    expect(own.body.jurisdictions.map((j) => j.id)).toEqual(['boulder-co'])
    expect(own.body.jurisdictions[0]?.plans.map((p) => p.id)).toEqual([plan.id])

    const tulsa = await signIn(server, lead('tulsa-ok'))
    const tulsaView = await get<CohortOverviewResponse>('/cohort/overview', tulsa)
    expect(tulsaView.body.jurisdictions.map((j) => j.id)).toEqual(['tulsa-ok'])
    // Another team's unshared plan's dashboard is not theirs to see.
    expect((await get(`/plans/${plan.id}/dashboard`, tulsa)).status).toBe(403)

    // A coach with no jurisdictions sees none.
    await addPerson(server, { email: 'new-coach@demo.test', name: 'New Coach', role: 'coach' })
    const newCoach = await get<CohortOverviewResponse>('/cohort/overview', await signIn(server, 'new-coach@demo.test'))
    expect(newCoach.body.jurisdictions).toEqual([])
    expect((await fetch(`${server.url}/api/cohort/overview`)).status).toBe(401)
  })

  it('refuses check-ins of a closed period over the live connection until a facilitator reopens it', async () => {
    const closedPeriod = '2025-01'
    const model = new PlanModel(client.doc)
    const initiativeId = model.initiatives()[0]?.id as string
    const rowsBefore = (await server.store.load(plan.docName)).rows

    const edit = new Y.Doc()
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(client.doc))
    const before = Y.encodeStateVector(edit)
    new CheckInsModel(edit).setStatus(closedPeriod, initiativeId, 'done')
    const late = Y.encodeStateAsUpdate(edit, before)
    const writer = await rawClient(`${wsUrl(server)}/${plan.docName}?token=${boulderLead}`)
    writer.send(syncUpdateFrame(late))
    expect((await writer.closed).code).toBe(CloseCode.WriteNotAllowed)
    expect(new CheckInsModel(client.doc).get(closedPeriod, initiativeId).status).toBeNull()
    expect((await server.store.load(plan.docName)).rows).toBe(rowsBefore)

    // Only facilitators manage periods.
    const denied = await fetch(`${server.url}/api/cohort/periods/${closedPeriod}/reopen`, {
      method: 'POST',
      headers: bearer(boulderLead),
    })
    expect(denied.status).toBe(403)
    const reopened = await fetch(`${server.url}/api/cohort/periods/${closedPeriod}/reopen`, {
      method: 'POST',
      headers: bearer(facilitator),
    })
    expect(reopened.status).toBe(200)
    expect(((await reopened.json()) as { reopened: string[] }).reopened).toContain(closedPeriod)

    const again = await rawClient(`${wsUrl(server)}/${plan.docName}?token=${boulderLead}`)
    again.send(syncUpdateFrame(late))
    await waitFor(() => new CheckInsModel(client.doc).get(closedPeriod, initiativeId).status === 'done', {
      message: 'the reopened period’s check-in to arrive',
    })
    again.ws.close()
  })

  it('still counts a change made just before everyone leaves, from the stored log once the room is gone', async () => {
    const other = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulderLead, title: 'Quick edit' })
    const quick = connectClient(wsUrl(server), other.docName, { params: { token: boulderLead } })
    clients.push(quick)
    await synced(quick)
    new PlanModel(quick.doc).addInitiative('empowerment', { title: 'Worker centre grants' }).setStatus('done')
    await waitFor(async () => (await server.store.load(other.docName)).rows > 1, { message: 'the edit to be stored' })
    quick.destroy()
    await waitFor(() => !server.rooms.peek(other.docName), { message: 'the room to unload' })
    const row = await waitFor(async () => {
      const p = await overviewPlan(facilitator, other.id)
      return p?.initiatives.done === 1 ? p : null
    })
    expect(row.checkIns).toEqual({ due: 0, done: 0 })
  })

  it('validates the reporting calendar and lets only facilitators change it', async () => {
    const put = (token: string, body: unknown) =>
      fetch(`${server.url}/api/cohort/calendar`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify(body),
      })
    expect((await put(boulderLead, { frequency: 'quarterly', graceDays: 5 })).status).toBe(403)
    const bad = await put(facilitator, { frequency: 'weekly', graceDays: 500 })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
    const ok = await put(facilitator, { frequency: 'quarterly', graceDays: 5 })
    expect(ok.status).toBe(200)
    const body = (await ok.json()) as { current: { id: string } }
    expect(body.current.id).toBe(periodOf(todayIso(), 'quarterly'))
    expect((await put(facilitator, { frequency: 'monthly', graceDays: 7 })).status).toBe(200)
    // A coach reads the dashboard of an assigned jurisdiction's plan.
    expect((await get(`/plans/${plan.id}/dashboard`, await signIn(server, COACH))).status).toBe(200)
  })

  it('computes figures of a plan never opened since the projection existed without keeping it in memory', async () => {
    const other = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulderLead, title: 'Second plan' })
    // As if written before the projection: its document has content and it has no figures row.
    await server.rooms.withRoom(other.docName, (room) =>
      room.transactServer((doc) => {
        const i = new PlanModel(doc).addInitiative('policy', { title: 'Fair-chance hiring ordinance' })
        i.setStatus('offTrack')
        const line = i.funding.add(newId())
        line.setSource('local')
        line.setAmount('budgeted', 5000)
      }),
    )
    await waitFor(() => !server.rooms.peek(other.docName), { message: 'the plan to unload' })
    // The refresh the unload started has finished, so it cannot write the row back after this.
    await server.figures.flush()
    sqliteOf(server).prepare('DELETE FROM plan_figures WHERE plan_id = ?').run(other.id)

    const row = await overviewPlan(facilitator, other.id)
    expect(row?.initiatives.offTrack).toBe(1)
    expect(row?.funding).toEqual({ budgeted: 5000, obligated: 0, spent: 0 })
    expect(server.rooms.peek(other.docName)).toBeUndefined()
  })
})
