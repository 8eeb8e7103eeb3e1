import type { LeverServer } from '@lever/server'
import { DraftModel, PlanModel, SessionModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientPool, synced, type TestClient } from '../support/clients.ts'
import { apiCaller, createPlan, FACILITATOR, lead, signIn, startServer } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('sending a breakout draft into a plan', () => {
  let server: LeverServer
  let facilitator = ''
  let boulder = ''
  let ohio = ''
  let draftId = ''
  let host: TestClient
  const userId = async (email: string) => (await server.auth.users.getByEmail(email))?.id as string
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)
  const { clients, connect } = clientPool(() => server)

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    boulder = await signIn(server, lead('boulder-co'))
    ohio = await signIn(server, lead('ohio'))
    const session = await (
      await api(facilitator, 'POST', '/sessions', { title: 'Breakouts', startsAt: '2026-12-09T17:00:00Z' })
    ).json()
    expect((await api(facilitator, 'POST', `/sessions/${session.id}/start`)).status).toBe(200)
    host = connect(session.docName, facilitator)
    await synced(host)
    const model = new SessionModel(host.doc)
    const [boulderId, ohioId] = [await userId(lead('boulder-co')), await userId(lead('ohio'))]
    host.doc.transact(() => {
      const a = model.addGroup('Group A', 'Procurement ideas')
      const b = model.addGroup('Group B', 'Policy ideas')
      model.assign(boulderId, a.id)
      model.assign(ohioId, b.id)
      model.setBreakoutsOpen(true)
    })
    draftId = model.groups.list()[0]?.draftId as string
    await waitFor(
      async () => (await (await api(boulder, 'GET', `/sessions/${session.id}`)).json()).myGroupId !== null,
      { message: 'groups to be mirrored' },
    )
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it("refuses a person outside the group sending the group's cards into their own plan, and leaves the card's sentTo alone", async () => {
    const draft = connect(`draft:${draftId}`, boulder)
    await synced(draft)
    const card = new DraftModel(draft.doc).addCard('Score bids on wages')
    card.setLever('procurement')
    await waitFor(
      async () =>
        (await server.rooms.withRoom(`draft:${draftId}`, (r) => new DraftModel(r.doc).cards.get(card.id))) !==
        undefined,
      {
        message: 'the card to reach the server',
      },
    )
    const ohioPlan = await createPlan(server, { jurisdictionId: 'ohio', token: ohio, title: 'Ohio plan' })
    const stolen = await api(ohio, 'POST', `/drafts/${draftId}/send`, {
      planId: ohioPlan.id,
      target: { kind: 'lever', leverId: 'procurement' },
      cardIds: [card.id],
    })
    expect(stolen.status).toBe(403)
    expect((await stolen.json()).error.code).toBe('forbidden')
    const reader = connect(ohioPlan.docName, ohio)
    await synced(reader)
    expect(new PlanModel(reader.doc).initiatives()).toHaveLength(0)
    const stored = await server.rooms.withRoom(
      `draft:${draftId}`,
      (r) => new DraftModel(r.doc).cards.get(card.id)?.sentTo,
    )
    expect(stored ?? null).toBeNull()

    // A member of the group sends it into their plan; a facilitator may send it too.
    const boulderPlan = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder })
    const sent = await api(boulder, 'POST', `/drafts/${draftId}/send`, {
      planId: boulderPlan.id,
      target: { kind: 'lever', leverId: 'procurement' },
      cardIds: [card.id],
    })
    expect(sent.status).toBe(201)
    await waitFor(() => new DraftModel(draft.doc).cards.get(card.id)?.sentTo?.planId === boulderPlan.id, {
      message: 'sentTo to name the member’s plan',
    })
    // The card is in that plan already: the server asks first, then updates it when told to.
    const again = { planId: boulderPlan.id, target: { kind: 'lever', leverId: 'procurement' }, cardIds: [card.id] }
    expect((await api(facilitator, 'POST', `/drafts/${draftId}/send`, again)).status).toBe(409)
    const byFacilitator = await api(facilitator, 'POST', `/drafts/${draftId}/send`, { ...again, resend: 'update' })
    expect(byFacilitator.status).toBe(201)
  })
})
