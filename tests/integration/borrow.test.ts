import type { LeverServer } from '@lever/server'
import { PlanModel, type PlanSummary } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clientPool, synced } from '../support/clients.ts'
import { apiCaller, COACH, createPlan, FACILITATOR, lead, signIn, startServer } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('borrowing an initiative from a peer’s plan', () => {
  let server: LeverServer
  let boulder = ''
  let ohio = ''
  let chicago = ''
  let coach = ''
  let facilitator = ''
  let shared: PlanSummary
  let unshared: PlanSummary
  let ohioPlan: PlanSummary
  let chicagoPlan: PlanSummary
  let initiativeId = ''
  let threadedText = ''
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)
  const { clients, connect } = clientPool(() => server)
  const stored = (docName: string) => server.rooms.withRoom(docName, (room) => new PlanModel(room.doc).snapshot())
  const borrow = (token: string, target: string, body: Record<string, unknown>) =>
    api(token, 'POST', `/plans/${target}/borrow`, body)

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    boulder = await signIn(server, lead('boulder-co'))
    ohio = await signIn(server, lead('ohio'))
    chicago = await signIn(server, lead('chicago-il'))
    coach = await signIn(server, COACH)
    shared = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder, title: 'Boulder shared plan' })
    unshared = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder, title: 'Boulder private plan' })
    ohioPlan = await createPlan(server, { jurisdictionId: 'ohio', token: ohio, title: 'Ohio plan' })
    chicagoPlan = await createPlan(server, { jurisdictionId: 'chicago-il', token: chicago, title: 'Chicago plan' })

    // Boulder writes an initiative with a milestone, a metric and a comment, and shares the plan.
    const team = connect(shared.docName, boulder)
    await synced(team)
    const model = new PlanModel(team.doc)
    team.doc.transact(() => {
      const initiative = model.addInitiative('procurement', { title: 'Living wage in janitorial contracts' })
      initiative.setStatus('onTrack')
      initiative.text('owner')?.insert(0, 'Purchasing')
      initiative.milestones.add('ms1').title?.insert(0, 'Award first contract')
      initiative.milestones.get('ms1')?.setDone(true)
      initiative.metrics.add('me1').text('name')?.insert(0, 'Median wage')
      const p = new Y.XmlElement('paragraph')
      const t = new Y.XmlText()
      t.insert(0, 'Janitors earn ')
      t.insert(14, 'too little', { 'comment--abc': { threadId: 'thread1' } })
      p.insert(0, [t])
      initiative.description?.insert(0, [p])
      initiativeId = initiative.id
      model.setSharedWithCohort(true)
    })
    threadedText = 'Janitors earn too little'
    await waitFor(async () => (await server.plans.get(shared.id))?.sharedWithCohort === true, {
      message: 'sharing to be mirrored',
    })
    const privateTeam = connect(unshared.docName, boulder)
    await synced(privateTeam)
    new PlanModel(privateTeam.doc).addInitiative('policy', { title: 'Private idea' })
    await waitFor(async () => (await stored(unshared.docName)).initiatives.length === 1, { message: 'private idea' })
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('copies the initiative into the reader’s own plan with fresh ids, a note of its origin, and no comments', async () => {
    const watcher = connect(ohioPlan.docName, ohio)
    await synced(watcher)
    const res = await borrow(ohio, ohioPlan.id, { fromPlanId: shared.id, initiativeId, lever: 'hrPractices' })
    expect(res.status).toBe(201)
    const { initiativeId: copyId } = (await res.json()) as { initiativeId: string }
    expect(copyId).not.toBe(initiativeId)
    // The copy reaches a team member who has the plan open: a server-made edit of the live document.
    await waitFor(() => new PlanModel(watcher.doc).initiative(copyId) !== null, { message: 'the copy to arrive live' })
    const copy = new PlanModel(watcher.doc).initiative(copyId)
    expect(copy?.lever).toBe('hrPractices')
    expect(copy?.title).toBe('Living wage in janitorial contracts')
    expect(copy?.text('owner')?.toString()).toBe('Purchasing')
    expect(copy?.status).toBe('notStarted')
    expect(copy?.borrowedFrom).toMatchObject({
      planId: shared.id,
      jurisdictionId: 'boulder-co',
      jurisdictionName: 'City of Boulder',
      initiativeId,
    })
    const milestones = copy?.milestones.list() ?? []
    expect(milestones.map((m) => [m.title?.toString(), m.done])).toEqual([['Award first contract', false]])
    expect(milestones[0]?.id).not.toBe('ms1')
    expect(copy?.metrics.list()[0]?.id).not.toBe('me1')
    // The text is copied; the comment mark (the thread belongs to Boulder's plan) is not.
    const snapshot = (await stored(ohioPlan.docName)).initiatives.find((i) => i.id === copyId)
    expect(snapshot?.description).toBe(threadedText)
    expect(JSON.stringify(copy?.description?.toJSON())).not.toContain('thread1')
    // The original is untouched.
    const original = (await stored(shared.docName)).initiatives.find((i) => i.id === initiativeId)
    expect(original?.status).toBe('onTrack')
  })

  it('makes two copies when the same initiative is borrowed twice', async () => {
    const before = (await stored(chicagoPlan.docName)).initiatives.length
    const first = (await (
      await borrow(chicago, chicagoPlan.id, { fromPlanId: shared.id, initiativeId, lever: 'procurement' })
    ).json()) as { initiativeId: string }
    const second = (await (
      await borrow(chicago, chicagoPlan.id, { fromPlanId: shared.id, initiativeId, lever: 'procurement' })
    ).json()) as { initiativeId: string }
    expect(first.initiativeId).not.toBe(second.initiativeId)
    const after = await stored(chicagoPlan.docName)
    expect(after.initiatives).toHaveLength(before + 2)
    const copies = after.initiatives.filter((i) => i.title === 'Living wage in janitorial contracts')
    expect(copies.map((c) => c.id).sort()).toEqual([first.initiativeId, second.initiativeId].sort())
    expect(copies[0]?.milestones[0]?.id).not.toBe(copies[1]?.milestones[0]?.id)
  })

  it('shows the original team how many teams borrowed each initiative', async () => {
    // Ohio borrowed once, Chicago twice: two teams, three copies.
    const res = await api(boulder, 'GET', `/plans/${shared.id}/borrows`)
    expect(res.status).toBe(200)
    expect((await res.json()).initiatives[initiativeId]).toEqual({ teams: 2, copies: 3 })
    // Peers who can read the shared plan see the count too; nobody sees it of a plan they cannot read.
    expect((await api(ohio, 'GET', `/plans/${shared.id}/borrows`)).status).toBe(200)
    expect((await api(ohio, 'GET', `/plans/${unshared.id}/borrows`)).status).toBe(403)
  })

  it('refuses to copy from a plan that is not shared with the caller', async () => {
    const privateId = (await stored(unshared.docName)).initiatives[0]?.id as string
    const res = await borrow(ohio, ohioPlan.id, { fromPlanId: unshared.id, initiativeId: privateId, lever: 'policy' })
    expect(res.status).toBe(403)
    expect((await res.json()).error).toMatchObject({
      code: 'forbidden',
      message: expect.stringContaining('not shared'),
    })
    expect((await stored(ohioPlan.docName)).initiatives.map((i) => i.title)).not.toContain('Private idea')
    const missing = await borrow(ohio, ohioPlan.id, { fromPlanId: 'noSuchPlan', initiativeId, lever: 'policy' })
    expect(missing.status).toBe(404)
    const gone = await borrow(ohio, ohioPlan.id, { fromPlanId: shared.id, initiativeId: 'nope', lever: 'policy' })
    expect(gone.status).toBe(404)
  })

  it('refuses to copy into a plan the caller cannot edit', async () => {
    const before = (await stored(chicagoPlan.docName)).initiatives.length
    // Ohio cannot edit Chicago's plan; a coach only comments; nobody copies into a plan that does not exist.
    const res = await borrow(ohio, chicagoPlan.id, { fromPlanId: shared.id, initiativeId, lever: 'policy' })
    expect(res.status).toBe(403)
    expect((await res.json()).error.message).toContain('plans you can edit')
    expect((await borrow(coach, shared.id, { fromPlanId: shared.id, initiativeId, lever: 'policy' })).status).toBe(403)
    expect((await borrow(ohio, 'noSuchPlan', { fromPlanId: shared.id, initiativeId, lever: 'policy' })).status).toBe(
      404,
    )
    expect((await stored(chicagoPlan.docName)).initiatives).toHaveLength(before)
  })

  it('validates the request: an unknown lever, a malformed body', async () => {
    const noLever = await borrow(ohio, ohioPlan.id, { fromPlanId: shared.id, initiativeId, lever: 'education' })
    expect(noLever.status).toBe(400)
    expect((await borrow(ohio, ohioPlan.id, { fromPlanId: shared.id })).status).toBe(400)
    expect(
      (await borrow(ohio, ohioPlan.id, { fromPlanId: shared.id, initiativeId, lever: 'policy', extra: 1 })).status,
    ).toBe(400)
    expect((await fetch(`${server.url}/api/plans/${ohioPlan.id}/borrow`, { method: 'POST' })).status).toBe(401)
  })

  it('lets a facilitator copy into any plan', async () => {
    const res = await borrow(facilitator, ohioPlan.id, {
      fromPlanId: unshared.id,
      initiativeId: (await stored(unshared.docName)).initiatives[0]?.id,
      lever: 'policy',
    })
    expect(res.status).toBe(201)
  })
})
