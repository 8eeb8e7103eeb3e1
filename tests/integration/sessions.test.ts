import type { LeverServer } from '@lever/server'
import {
  attendanceResponseSchema,
  CloseCode,
  DraftModel,
  followUpResponseSchema,
  PlanModel,
  SessionModel,
  sectionField,
} from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clientPool, synced, type TestClient } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { apiCaller, createPlan, FACILITATOR, lead, signIn, startServer, wsUrl } from '../support/server.ts'
import { sleep, waitFor } from '../support/wait.ts'

describe('cohort sessions and breakout drafts', () => {
  let server: LeverServer
  let facilitator = ''
  let boulder = ''
  let tulsa = ''
  let ohio = ''
  let sessionId = ''
  let sessionDoc = ''
  let host: TestClient
  const userId = async (email: string) => (await server.auth.users.getByEmail(email))?.id as string
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)
  const { clients, connect } = clientPool(() => server)

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    boulder = await signIn(server, lead('boulder-co'))
    tulsa = await signIn(server, lead('tulsa-ok'))
    ohio = await signIn(server, lead('ohio'))
    const created = await api(facilitator, 'POST', '/sessions', {
      title: 'Procurement breakouts',
      topic: 'Procurement',
      phase: 'phase2',
      startsAt: '2026-12-09T17:00:00Z',
      focus: ['lever:procurement'],
    })
    expect(created.status).toBe(201)
    const session = await created.json()
    sessionId = session.id
    sessionDoc = session.docName
    expect((await api(facilitator, 'POST', `/sessions/${sessionId}/start`)).status).toBe(200)
    host = connect(sessionDoc, facilitator)
    await synced(host)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('seeds the curriculum calendar and lets only facilitators create and run sessions', async () => {
    const { sessions } = await (await api(boulder, 'GET', '/sessions')).json()
    expect(sessions.map((s: { title: string }) => s.title)).toContain('Lever 1: Procurement')
    expect(sessions.filter((s: { phase: string }) => s.phase === 'phase1')).toHaveLength(5)
    expect((await api(boulder, 'POST', '/sessions', { title: 'x', startsAt: '2026-12-01T10:00:00Z' })).status).toBe(403)
    expect((await api(boulder, 'POST', `/sessions/${sessionId}/start`)).status).toBe(403)
    expect((await api(facilitator, 'POST', '/sessions', { title: '', startsAt: 'tomorrow' })).status).toBe(400)
  })

  it('changes only the fields a facilitator sends, keeping the others as they were', async () => {
    const created = await (
      await api(facilitator, 'POST', '/sessions', {
        title: 'Funding deadlines',
        topic: 'Funding',
        phase: 'phase2',
        startsAt: '2031-03-04T17:00:00Z',
        durationMinutes: 60,
        agenda: 'Welcome\nDeadlines',
        prework: 'Bring your funding lines.',
        focus: ['lever:procurement'],
      })
    ).json()
    const renamed = await api(facilitator, 'PATCH', `/sessions/${created.id}`, { title: 'Funding deadlines, again' })
    expect(renamed.status).toBe(200)
    const { session } = await (await api(boulder, 'GET', `/sessions/${created.id}`)).json()
    expect(session).toMatchObject({
      title: 'Funding deadlines, again',
      topic: 'Funding',
      phase: 'phase2',
      durationMinutes: 60,
      agenda: 'Welcome\nDeadlines',
      prework: 'Bring your funding lines.',
      focus: ['lever:procurement'],
    })
  })

  it('gives a participant who joins late the whole session state: groups, timer and messages', async () => {
    const model = new SessionModel(host.doc)
    const [boulderId, tulsaId, ohioId] = [
      await userId(lead('boulder-co')),
      await userId(lead('tulsa-ok')),
      await userId(lead('ohio')),
    ]
    host.doc.transact(() => {
      const a = model.addGroup('Group A', 'Draft two procurement ideas')
      const b = model.addGroup('Group B', 'Draft a policy idea')
      model.assign(boulderId, a.id)
      model.assign(tulsaId, a.id)
      model.assign(ohioId, b.id)
      model.setBreakoutsOpen(true)
      model.startTimer(600, 'Breakouts')
      model.broadcast('Ten minutes left to draft', 'Fran Facilitator')
    })
    await waitFor(
      async () => (await (await api(boulder, 'GET', `/sessions/${sessionId}`)).json()).groups.length === 2,
      {
        message: 'groups to be mirrored',
      },
    )
    const late = connect(sessionDoc, ohio)
    await synced(late)
    const seen = new SessionModel(late.doc)
    expect(seen.status).toBe('live')
    expect(seen.groups.list().map((g) => g.name)).toEqual(['Group A', 'Group B'])
    expect(seen.timer?.durationSeconds).toBe(600)
    expect(seen.broadcasts().map((b) => b.text)).toEqual(['Ten minutes left to draft'])
    expect(seen.groupOf(ohioId)?.name).toBe('Group B')
    // Participants read the session document but cannot change it.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(late.doc))
    const before = Y.encodeStateVector(replica)
    new SessionModel(replica).broadcast('I am not a facilitator', 'Ohio')
    const raw = await rawClient(`${wsUrl(server)}/${sessionDoc}?token=${ohio}`)
    raw.send(syncUpdateFrame(Y.encodeStateAsUpdate(replica, before)))
    expect((await raw.closed).code).toBe(CloseCode.WriteNotAllowed)
  })

  it('lets group members edit their draft and keeps everyone else read-only', async () => {
    const groupA = new SessionModel(host.doc).groups.list()[0]
    const draftDoc = `draft:${groupA?.draftId}`
    const member = connect(draftDoc, boulder)
    const other = connect(draftDoc, tulsa)
    await Promise.all([synced(member), synced(other)])
    new DraftModel(member.doc).addCard('Good-jobs scoring in RFPs', await userId(lead('boulder-co')))
    await waitFor(() => new DraftModel(other.doc).cards.size === 1, { message: 'card to reach the other member' })
    // Ohio is in group B: it may read group A's draft but not change it.
    const outsider = connect(draftDoc, ohio)
    await synced(outsider)
    expect(new DraftModel(outsider.doc).cards.size).toBe(1)
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(outsider.doc))
    const before = Y.encodeStateVector(replica)
    new DraftModel(replica).addCard('Not my group')
    const raw = await rawClient(`${wsUrl(server)}/${draftDoc}?token=${ohio}`)
    raw.send(syncUpdateFrame(Y.encodeStateAsUpdate(replica, before)))
    expect((await raw.closed).code).toBe(CloseCode.WriteNotAllowed)
    const info = await (await api(ohio, 'GET', `/drafts/${groupA?.draftId}`)).json()
    expect(info).toMatchObject({ groupName: 'Group A', access: 'read-only', prompt: 'Draft two procurement ideas' })
    expect((await (await api(boulder, 'GET', `/drafts/${groupA?.draftId}`)).json()).access).toBe('read-write')
  })

  it('sends a card into a plan as an initiative while two others edit that plan, keeping all three changes', async () => {
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder, title: 'Boulder plan' })
    const groupA = new SessionModel(host.doc).groups.list()[0]
    const draftId = groupA?.draftId as string
    const draft = connect(`draft:${draftId}`, boulder)
    await synced(draft)
    const card = new DraftModel(draft.doc).cards.list()[0]
    card?.setLever('procurement')
    card?.setComponent('wages', true)
    card?.text('notes')?.insert(0, 'Score bids on wages and benefits.')
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('Vendors with apprenticeship programs get extra points.')])
    new DraftModel(draft.doc).prose.insert(0, [p])
    await sleep(100)

    const editorA = connect(plan.docName, boulder)
    const editorB = connect(plan.docName, facilitator)
    await Promise.all([synced(editorA), synced(editorB)])
    // Two people keep editing while the card arrives.
    let typing = true
    const typeA = (async () => {
      let i = 0
      while (typing) {
        new PlanModel(editorA.doc).section('problem').insert(0, [new Y.XmlElement('paragraph')])
        ;(new PlanModel(editorA.doc).section('problem').get(0) as Y.XmlElement).insert(0, [new Y.XmlText(`A${i++}`)])
        await sleep(5)
      }
    })()
    const typeB = (async () => {
      let i = 0
      while (typing) {
        new PlanModel(editorB.doc).addInitiative('policy', { title: `B${i++}` })
        await sleep(7)
      }
    })()
    const res = await api(boulder, 'POST', `/drafts/${draftId}/send`, {
      planId: plan.id,
      target: { kind: 'section', sectionId: 'problem' },
      cardIds: [card?.id],
      blockIndexes: [0],
    })
    await sleep(50)
    typing = false
    await Promise.all([typeA, typeB])
    expect(res.status).toBe(201)
    const { initiativeIds } = await res.json()
    const viewer = connect(plan.docName, boulder)
    await synced(viewer)
    await waitFor(
      () => {
        const docs = [editorA.doc, editorB.doc, viewer.doc]
        return docs.every((d) =>
          Buffer.from(Y.encodeStateVector(d)).equals(Buffer.from(Y.encodeStateVector(editorA.doc))),
        )
      },
      { message: 'editors to converge' },
    )
    const model = new PlanModel(viewer.doc)
    const sent = model.initiative(initiativeIds[0])
    expect(sent?.title).toBe('Good-jobs scoring in RFPs')
    expect(sent?.lever).toBe('procurement')
    expect(sent?.components).toEqual(['wages'])
    expect(sent?.provenance).toMatchObject({ kind: 'breakout', groupName: 'Group A', draftId })
    expect(model.initiatives('policy').length).toBeGreaterThan(0) // B's edits survive
    const prose = viewer.doc.getXmlFragment(sectionField('problem')).toString()
    expect(prose).toContain('A0') // A's edits survive
    expect(prose).toContain('From breakout “Group A”')
    expect(prose).toContain('Vendors with apprenticeship programs get extra points.')
    // The draft remembers where the card went.
    await waitFor(() => new DraftModel(draft.doc).cards.get(card?.id as string)?.sentTo?.planId === plan.id, {
      message: 'sentTo to reach the draft',
    })
  })

  it('refuses to send into a plan the person cannot edit, or a card without a lever into a section', async () => {
    const tulsaPlan = await createPlan(server, { jurisdictionId: 'tulsa-ok', token: tulsa })
    const groupA = new SessionModel(host.doc).groups.list()[0]
    const draft = connect(`draft:${groupA?.draftId}`, boulder)
    await synced(draft)
    const card = new DraftModel(draft.doc).addCard('No lever yet')
    await sleep(100)
    const toTulsa = await api(boulder, 'POST', `/drafts/${groupA?.draftId}/send`, {
      planId: tulsaPlan.id,
      target: { kind: 'lever', leverId: 'procurement' },
      cardIds: [card.id],
    })
    expect(toTulsa.status).toBe(403)
    const boulderPlan = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder })
    const noLever = await api(boulder, 'POST', `/drafts/${groupA?.draftId}/send`, {
      planId: boulderPlan.id,
      target: { kind: 'section', sectionId: 'problem' },
      cardIds: [card.id],
    })
    expect(noLever.status).toBe(400)
    expect((await noLever.json()).error.message).toMatch(/lever/)
    const nothing = await api(boulder, 'POST', `/drafts/${groupA?.draftId}/send`, {
      planId: boulderPlan.id,
      target: { kind: 'lever', leverId: 'policy' },
    })
    expect(nothing.status).toBe(400)
    const reader = connect(boulderPlan.docName, boulder)
    await synced(reader)
    expect(new PlanModel(reader.doc).initiatives()).toHaveLength(0)
  })

  it('makes drafts read-only for members when the facilitator closes the breakouts, and keeps them readable', async () => {
    const groupA = new SessionModel(host.doc).groups.list()[0]
    const draftDoc = `draft:${groupA?.draftId}`
    const member = connect(draftDoc, boulder)
    await synced(member)
    const closed = new Promise<number>((resolve) =>
      member.provider.on('connection-close', (e) => resolve(e?.code ?? 0)),
    )
    new SessionModel(host.doc).setBreakoutsOpen(false)
    expect(await closed).toBe(CloseCode.RoomClosing) // reconnects with the new (read-only) access
    await synced(member)
    expect((await (await api(boulder, 'GET', `/drafts/${groupA?.draftId}`)).json()).access).toBe('read-only')
    expect(new DraftModel(member.doc).cards.size).toBeGreaterThan(0)
  })

  it('records who joined and what moved from drafts into each jurisdiction’s plan', async () => {
    for (const token of [boulder, tulsa, ohio])
      expect((await api(token, 'POST', `/sessions/${sessionId}/join`)).status).toBe(204)
    expect((await api(boulder, 'GET', `/sessions/${sessionId}/follow-up`)).status).toBe(403)
    expect((await api(boulder, 'GET', `/sessions/${sessionId}/attendance`)).status).toBe(403)
    const { attendance } = attendanceResponseSchema.parse(
      await (await api(facilitator, 'GET', `/sessions/${sessionId}/attendance`)).json(),
    )
    expect(attendance).toHaveLength(3)
    const followUp = followUpResponseSchema.parse(
      await (await api(facilitator, 'GET', `/sessions/${sessionId}/follow-up`)).json(),
    )
    const names = followUp.attendance.map((a) => [a.name, a.groups])
    expect(names).toContainEqual(['City of Boulder lead', ['Group A']])
    expect(names).toContainEqual(['State of Ohio lead', ['Group B']])
    const boulderRow = followUp.jurisdictions.find((j) => j.jurisdictionId === 'boulder-co')
    expect(boulderRow?.transfers.map((t) => [t.kind, t.summary])).toEqual([
      ['card', 'Good-jobs scoring in RFPs'],
      ['prose', '1 paragraph into Problem and baseline'],
    ])
    expect((await api(facilitator, 'POST', `/sessions/${sessionId}/end`)).status).toBe(200)
    expect((await api(boulder, 'POST', `/sessions/${sessionId}/join`)).status).toBe(409)
    await waitFor(() => new SessionModel(host.doc).status === 'ended', { message: 'end to reach the session document' })
  })
})
