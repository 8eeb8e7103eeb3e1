import type { LeverServer } from '@lever/server'
import {
  CloseCode,
  inboxResponseSchema,
  PlanModel,
  planPeopleResponseSchema,
  sectionField,
  ThreadsModel,
  threadDocName,
} from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { bearer, COACH, createPlan, lead, signIn, sqliteOf, startServer, wsUrl } from '../support/server.ts'
import { sleep, waitFor } from '../support/wait.ts'

function paragraphText(doc: Y.Doc): Y.XmlText {
  return (doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText
}

describe('comments on the server', () => {
  let server: LeverServer
  let teamToken = ''
  let coachToken = ''
  let coachId = ''
  let team: TestClient
  let coach: TestClient
  /** The plan's team thread document, as the team and the coach have it open. */
  let teamThreads: TestClient
  let coachThreads: TestClient
  let threadsName = ''
  let planId = ''
  let docName = ''

  beforeAll(async () => {
    server = await startServer()
    teamToken = await signIn(server, lead('boulder-co'))
    coachToken = await signIn(server, COACH)
    coachId = (await server.auth.users.getByEmail(COACH))?.id as string
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: teamToken })
    planId = plan.id
    docName = plan.docName
    team = connectClient(wsUrl(server), docName, { params: { token: teamToken } })
    await synced(team)
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('Contract janitors earn too little to live in Boulder.')])
    team.doc.getXmlFragment(sectionField('problem')).insert(0, [p])
    coach = connectClient(wsUrl(server), docName, { params: { token: coachToken } })
    await synced(coach)
    await waitFor(() => coach.doc.getXmlFragment(sectionField('problem')).length === 1, {
      message: 'prose to reach the coach',
    })
    threadsName = threadDocName(planId, 'team')
    teamThreads = connectClient(wsUrl(server), threadsName, { params: { token: teamToken } })
    coachThreads = connectClient(wsUrl(server), threadsName, { params: { token: coachToken } })
    await synced(teamThreads)
    await synced(coachThreads)
  })
  afterAll(async () => {
    team.destroy()
    coach.destroy()
    teamThreads.destroy()
    coachThreads.destroy()
    await server.close()
  })

  it('accepts a thread (in the thread document) and its comment mark (in the plan) from a comment-only coach, and the team sees both', async () => {
    const boulderLeadId = (await server.auth.users.getByEmail(lead('boulder-co')))?.id as string
    const thread = coachThreads.doc.transact(() => {
      const t = new ThreadsModel(coachThreads.doc).create({
        anchor: {
          kind: 'text',
          field: sectionField('problem'),
          quote: 'too little',
          before: 'janitors earn ',
          after: ' to live',
        },
        author: { id: coachId, name: 'Cory Coach' },
        body: 'What does a living wage mean here?',
        mentions: [boulderLeadId],
      })
      return t
    })
    paragraphText(coach.doc).format(23, 10, { 'comment--abc': { threadId: thread.id } })
    await waitFor(() => new ThreadsModel(teamThreads.doc).get(thread.id) !== null, {
      message: 'thread to reach the team',
    })
    const marked = await waitFor(() =>
      paragraphText(team.doc)
        .toDelta()
        .find((op: { attributes?: Record<string, unknown> }) => op.attributes?.['comment--abc']),
    )
    expect(marked.insert).toBe('too little')
    expect(coach.provider.wsconnected).toBe(true)
  })

  it('refuses a text edit, a field change and a structural change sent by hand on a comment-only connection', async () => {
    const edits: Array<[string, (doc: Y.Doc) => void]> = [
      ['text edit', (doc) => paragraphText(doc).insert(0, 'Sadly, ')],
      ['field change', (doc) => new PlanModel(doc).setStatus('adopted')],
      ['structural change', (doc) => new PlanModel(doc).addInitiative('policy', { title: 'Coach idea' })],
    ]
    for (const [name, edit] of edits) {
      const replica = new Y.Doc()
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(team.doc))
      const before = Y.encodeStateVector(replica)
      edit(replica)
      const rowsBefore = (await server.store.load(docName)).rows
      const raw = await rawClient(`${wsUrl(server)}/${docName}?token=${coachToken}`)
      raw.send(syncUpdateFrame(Y.encodeStateAsUpdate(replica, before)))
      expect(`${name}: ${(await raw.closed).code}`).toBe(`${name}: ${CloseCode.WriteNotAllowed}`)
      await sleep(50)
      expect((await server.store.load(docName)).rows).toBe(rowsBefore)
    }
    const plan = new PlanModel(team.doc)
    expect(paragraphText(team.doc).toString()).not.toContain('Sadly')
    expect(plan.status).toBe('draft')
    expect(plan.initiatives()).toHaveLength(0)
  })

  it('lists a mention in the inbox once the index catches up, unread until read', async () => {
    const inbox = async (token: string, filter = 'all') =>
      inboxResponseSchema.parse(
        await (await fetch(`${server.url}/api/inbox?filter=${filter}`, { headers: bearer(token) })).json(),
      )
    const found = await waitFor(async () => (await inbox(teamToken, 'mentions')).items[0], {
      message: 'mention to be indexed',
    })
    expect(found).toMatchObject({
      mentionsMe: true,
      unread: true,
      quote: 'too little',
      anchorLabel: 'Problem and baseline',
    })
    const read = await fetch(`${server.url}/api/inbox/read`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(teamToken) },
      body: JSON.stringify({ planId, threadId: found.threadId }),
    })
    expect(read.status).toBe(204)
    expect((await inbox(teamToken, 'unread')).items).toEqual([])
    // The coach is responsible for Boulder too: the open thread is in their inbox, already read (they wrote it).
    expect((await inbox(coachToken)).items.map((i) => [i.threadId, i.unread])).toEqual([[found.threadId, false]])
    // A peer from elsewhere who cannot see the plan gets nothing.
    expect((await inbox(await signIn(server, lead('ohio')))).items).toEqual([])
  })

  it('marks a thread orphaned when its text is deleted, and finds it again when the text comes back', async () => {
    const undo = new Y.UndoManager(team.doc.getXmlFragment(sectionField('problem')))
    paragraphText(team.doc).delete(0, paragraphText(team.doc).length)
    undo.stopCapturing()
    const threadsOf = () => sqliteOf(server).prepare('SELECT orphaned FROM thread_index WHERE plan_id = ?').all(planId)
    await waitFor(() => JSON.stringify(threadsOf()) === '[{"orphaned":1}]', { message: 'orphan to be indexed' })
    undo.undo()
    await waitFor(() => JSON.stringify(threadsOf()) === '[{"orphaned":0}]', { message: 'anchor to come back' })
  })

  it('lists the people who can see a plan, for @mentions', async () => {
    const res = await fetch(`${server.url}/api/plans/${planId}/people`, { headers: bearer(teamToken) })
    const { people } = planPeopleResponseSchema.parse(await res.json())
    const names = people.map((p) => p.name)
    expect(names).toContain('Cory Coach')
    expect(names).toContain('City of Boulder lead')
    expect(names).not.toContain('City of Tulsa lead')
  })

  it("refuses a team member's hand-made edit of the coach's comment, while their reply and resolve go through", async () => {
    const thread = coachThreads.doc.transact(() =>
      new ThreadsModel(coachThreads.doc).create({
        anchor: { kind: 'initiative', initiativeId: 'none-yet' },
        author: { id: coachId, name: 'Cory Coach' },
        body: 'Add a metric for turnover.',
      }),
    )
    await waitFor(() => new ThreadsModel(teamThreads.doc).get(thread.id) !== null, {
      message: 'thread to reach the team',
    })

    // Through the raw protocol, as a modified client would: the coach's words rewritten by the team.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(teamThreads.doc))
    const before = Y.encodeStateVector(replica)
    new ThreadsModel(replica).get(thread.id)?.comments()[0]?.edit('Looks perfect, change nothing.')
    const rowsBefore = (await server.store.load(threadsName)).rows
    const raw = await rawClient(`${wsUrl(server)}/${threadsName}?token=${teamToken}`)
    raw.send(syncUpdateFrame(Y.encodeStateAsUpdate(replica, before)))
    expect((await raw.closed).code).toBe(CloseCode.WriteNotAllowed)
    await sleep(50)
    expect((await server.store.load(threadsName)).rows).toBe(rowsBefore)

    // The team's own reply and resolve, through the stock provider, reach the coach.
    const leadId = (await server.auth.users.getByEmail(lead('boulder-co')))?.id as string
    const teamThread = new ThreadsModel(teamThreads.doc).get(thread.id)
    teamThread?.reply({ id: leadId, name: 'City of Boulder lead' }, 'Added one.')
    teamThread?.resolve({ id: leadId, name: 'City of Boulder lead' })
    await waitFor(() => new ThreadsModel(coachThreads.doc).get(thread.id)?.status === 'resolved', {
      message: 'resolve to reach the coach',
    })
    const seen = new ThreadsModel(coachThreads.doc).get(thread.id)?.snapshot()
    expect(seen?.comments.map((c) => c.body)).toEqual(['Add a metric for turnover.', 'Added one.'])
    expect(teamThreads.provider.wsconnected).toBe(true)
  })

  it('re-indexes threads as a plan is typed in only when the plan has threads: typing in a plan without any reads no thread document', async () => {
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: teamToken })
    const writer = connectClient(wsUrl(server), plan.docName, { params: { token: teamToken } })
    const reader = connectClient(wsUrl(server), plan.docName, { params: { token: coachToken } })
    try {
      await synced(writer)
      await synced(reader)
      // The indexing when the plan loaded reads its thread documents once.
      await server.threads.indexHook.flush()
      const reads = vi.spyOn(server.store, 'load')
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('Wages first.')])
      writer.doc.getXmlFragment(sectionField('problem')).insert(0, [p])
      // Forwarded only once durable, when the hooks have heard of it.
      await waitFor(() => reader.doc.getXmlFragment(sectionField('problem')).length === 1, {
        message: 'the edit to reach the other person',
      })
      await server.threads.indexHook.flush()
      const threadReads = () => reads.mock.calls.map(([name]) => name).filter((name) => name.includes(plan.id))
      expect(threadReads()).toEqual([])

      // Once a thread is started, a change to the plan alone re-indexes it: renaming the
      // initiative it is about changes the label the inbox shows.
      const initiative = new PlanModel(writer.doc).addInitiative('procurement', { title: 'Wage floor' })
      const teamLead = (await server.auth.users.getByEmail(lead('boulder-co'))) as { id: string; name: string }
      const threadsOfPlan = connectClient(wsUrl(server), threadDocName(plan.id, 'team'), {
        params: { token: teamToken },
      })
      await synced(threadsOfPlan)
      new ThreadsModel(threadsOfPlan.doc).create({
        anchor: { kind: 'initiative', initiativeId: initiative.id },
        author: { id: teamLead.id, name: teamLead.name },
        body: 'Which wages?',
      })
      const labels = () =>
        (
          sqliteOf(server).prepare('SELECT anchor_label FROM thread_index WHERE plan_id = ?').all(plan.id) as Array<{
            anchor_label: string
          }>
        ).map((r) => r.anchor_label)
      await waitFor(
        async () => {
          await server.threads.indexHook.flush()
          return labels().join() === 'Wage floor'
        },
        { message: 'the thread to be indexed' },
      )
      threadsOfPlan.destroy()
      const title = initiative.text('title') as Y.Text
      writer.doc.transact(() => {
        title.delete(0, title.length)
        title.insert(0, 'Living wage floor')
      })
      await waitFor(
        async () => {
          await server.threads.indexHook.flush()
          return labels().join() === 'Living wage floor'
        },
        { message: 'the renamed initiative to reach the index' },
      )
      reads.mockRestore()
    } finally {
      writer.destroy()
      reader.destroy()
    }
  })
})
