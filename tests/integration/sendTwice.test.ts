import type { LeverServer } from '@lever/server'
import { alreadySentDetailsSchema, DraftModel, fragmentText, PlanModel, SessionModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientPool, synced } from '../support/clients.ts'
import { apiCaller, createPlan, FACILITATOR, lead, signIn, startServer } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('sending a draft card into a plan twice', () => {
  let server: LeverServer
  let facilitator = ''
  let boulder = ''
  let draftId = ''
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)
  const { clients, connect } = clientPool(() => server)

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    boulder = await signIn(server, lead('boulder-co'))
    const created = await api(facilitator, 'POST', '/sessions', {
      title: 'Procurement breakouts',
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
    })
    const session = await created.json()
    expect((await api(facilitator, 'POST', `/sessions/${session.id}/start`)).status).toBe(200)
    const host = connect(session.docName, facilitator)
    await synced(host)
    const boulderId = (await server.auth.users.getByEmail(lead('boulder-co')))?.id as string
    const model = new SessionModel(host.doc)
    host.doc.transact(() => {
      const group = model.addGroup('Group A', 'Draft a procurement idea')
      model.assign(boulderId, group.id)
      model.setBreakoutsOpen(true)
    })
    await waitFor(
      async () => (await (await api(boulder, 'GET', `/sessions/${session.id}`)).json()).groups.length === 1,
      {
        message: 'the group to be mirrored',
      },
    )
    draftId = new SessionModel(host.doc).groups.list()[0]?.draftId as string
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('asks first, updates the initiative already sent when told to, and adds a new one only on request', async () => {
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder, title: 'Boulder plan' })
    const draft = connect(`draft:${draftId}`, boulder)
    await synced(draft)
    const card = new DraftModel(draft.doc).cards.add('card-1')
    draft.doc.transact(() => {
      card.text('title')?.insert(0, 'Good-jobs scoring in RFPs')
      card.text('notes')?.insert(0, 'Score bids on wages.')
      card.setLever('procurement')
      card.setComponent('wages', true)
    })
    const send = (extra: Record<string, unknown> = {}) =>
      api(boulder, 'POST', `/drafts/${draftId}/send`, {
        planId: plan.id,
        target: { kind: 'lever', leverId: 'procurement' },
        cardIds: [card.id],
        ...extra,
      })
    const first = await send()
    expect(first.status).toBe(201)
    const [initiativeId] = (await first.json()).initiativeIds
    await waitFor(() => new DraftModel(draft.doc).cards.get(card.id)?.sentTo?.initiativeId === initiativeId, {
      message: 'the draft to remember where the card went',
    })

    // The team works on the initiative in the plan; the group refines the card.
    const editor = connect(plan.docName, boulder)
    await synced(editor)
    new PlanModel(editor.doc).initiative(initiativeId)?.setComponent('benefits', true)
    draft.doc.transact(() => {
      const title = card.text('title')
      title?.insert(title.length, ' (pilot)')
      card.setComponent('learning', true)
      card.text('notes')?.insert(0, 'Pilot in two departments. ')
    })

    // Sending again without saying what to do asks first, and changes nothing.
    const again = await send()
    expect(again.status).toBe(409)
    const body = await again.json()
    expect(body.error.code).toBe('already_sent')
    expect(alreadySentDetailsSchema.parse(body.error.details).cards).toEqual([
      expect.objectContaining({ cardId: card.id, initiativeId, title: 'Good-jobs scoring in RFPs (pilot)' }),
    ])

    // "Update" (what the app offers first) changes the initiative already there: no duplicate.
    const update = await send({ resend: 'update' })
    expect(update.status).toBe(201)
    expect(await update.json()).toEqual({ initiativeIds: [initiativeId], blocks: 0, updated: [initiativeId] })
    await waitFor(
      () => new PlanModel(editor.doc).initiative(initiativeId)?.title === 'Good-jobs scoring in RFPs (pilot)',
      {
        message: 'the update to reach the editor',
      },
    )
    const model = new PlanModel(editor.doc)
    expect(model.initiatives('procurement')).toHaveLength(1)
    const updated = model.initiative(initiativeId)
    expect(updated?.components).toEqual(['wages', 'benefits', 'learning']) // the team's own stays
    expect(fragmentText(updated?.description ?? null)).toContain('Pilot in two departments. Score bids on wages.')

    // "Add a new one" is there for who wants it.
    const dup = await send({ resend: 'new' })
    expect(dup.status).toBe(201)
    const [newId] = (await dup.json()).initiativeIds
    expect(newId).not.toBe(initiativeId)
    await waitFor(() => new PlanModel(editor.doc).initiatives('procurement').length === 2, {
      message: 'a second initiative',
    })

    // A card whose initiative was deleted from the plan is simply sent again, without asking.
    await waitFor(() => new DraftModel(draft.doc).cards.get(card.id)?.sentTo?.initiativeId === newId)
    new PlanModel(editor.doc).removeInitiative(newId)
    await waitFor(
      async () => {
        const res = await send()
        if (res.status === 409) return false
        expect(res.status).toBe(201)
        return true
      },
      { message: 'the deletion to reach the server, then a send without asking' },
    )
  })
})
