import type { LeverServer } from '@lever/server'
import {
  CloseCode,
  DEFAULT_THREAD_VISIBILITY,
  PlanKeys,
  PlanModel,
  sectionField,
  ThreadsModel,
  threadDocName,
} from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { bearer, COACH, createPlan, lead, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

function paragraphText(doc: Y.Doc): Y.XmlText {
  return (doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText
}

describe('who reads a comment thread: team and coaches, or everyone who reads the plan', () => {
  let server: LeverServer
  let teamToken = ''
  let coachToken = ''
  let peerToken = ''
  let coach = { id: '', name: '' }
  let planId = ''
  let docName = ''
  const clients: TestClient[] = []
  const open = (name: string, token: string) => {
    const client = connectClient(wsUrl(server), name, { params: { token } })
    clients.push(client)
    return client
  }

  beforeAll(async () => {
    server = await startServer()
    teamToken = await signIn(server, lead('boulder-co'))
    coachToken = await signIn(server, COACH)
    // A member of another jurisdiction: a peer once the plan is shared with the cohort.
    peerToken = await signIn(server, lead('baltimore-county-md'))
    const record = await server.auth.users.getByEmail(COACH)
    coach = { id: record?.id ?? '', name: record?.name ?? '' }
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: teamToken })
    planId = plan.id
    docName = plan.docName
    const team = open(docName, teamToken)
    await synced(team)
    team.doc.transact(() => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('Contract janitors earn too little to live in Boulder.')])
      team.doc.getXmlFragment(sectionField('problem')).insert(0, [p])
      new PlanModel(team.doc).setSharedWithCohort(true)
    })
    await waitFor(async () => (await server.plans.get(planId))?.sharedWithCohort === true, {
      message: 'the plan to be shared',
    })
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('keeps a coach’s new thread (team visibility by default) from a peer: the team document is refused and nothing of it is sent', async () => {
    expect(DEFAULT_THREAD_VISIBILITY).toBe('team')
    const coachThreads = open(threadDocName(planId, DEFAULT_THREAD_VISIBILITY), coachToken)
    await synced(coachThreads)
    new ThreadsModel(coachThreads.doc).create({
      anchor: { kind: 'initiative', initiativeId: 'none' },
      author: coach,
      body: 'Coaching note: the wage floor is below the county living wage.',
    })
    const teamThreads = open(threadDocName(planId, 'team'), teamToken)
    await waitFor(() => new ThreadsModel(teamThreads.doc).list().length === 1, { message: 'the team to read it' })

    const raw = await rawClient(`${wsUrl(server)}/${threadDocName(planId, 'team')}?token=${peerToken}`)
    expect((await raw.closed).code).toBe(CloseCode.Forbidden)
    expect(Buffer.concat(raw.received).toString('latin1')).not.toContain('Coaching note')

    // The plan itself and the threads for everyone are the peer's to read.
    const peerPlan = open(docName, peerToken)
    const peerAll = open(threadDocName(planId, 'all'), peerToken)
    await synced(peerPlan)
    await synced(peerAll)
    expect(paragraphText(peerPlan.doc).toString()).toContain('Contract janitors')
    expect(new ThreadsModel(peerAll.doc).list()).toHaveLength(0)
  })

  it('moves a thread to everyone when its author asks, so the peer reads it; the peer may not move threads', async () => {
    const teamThreads = open(threadDocName(planId, 'team'), teamToken)
    await synced(teamThreads)
    const thread = new ThreadsModel(teamThreads.doc).list()[0]
    expect(thread).toBeDefined()
    const threadId = thread?.id ?? ''
    const url = `${server.url}/api/plans/${planId}/threads/${threadId}/visibility`
    const post = (token: string, body: unknown) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify(body),
      })

    expect((await post(peerToken, { visibility: 'all' })).status).toBe(404)
    expect((await post(coachToken, { visibility: 'everyone' })).status).toBe(400)
    const res = await post(coachToken, { visibility: 'all' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ visibility: 'all', moved: true })

    const peerAll = open(threadDocName(planId, 'all'), peerToken)
    await waitFor(() => new ThreadsModel(peerAll.doc).get(threadId) !== null, { message: 'the peer to read it' })
    const moved = new ThreadsModel(peerAll.doc).get(threadId)?.snapshot()
    expect(moved?.authorId).toBe(coach.id)
    expect(moved?.comments[0]?.body).toContain('Coaching note')
    await waitFor(() => new ThreadsModel(teamThreads.doc).get(threadId) === null, {
      message: 'it to leave the team document',
    })

    // And back: the peer loses it again.
    expect((await post(teamToken, { visibility: 'team' })).status).toBe(200)
    await waitFor(() => new ThreadsModel(peerAll.doc).get(threadId) === null, { message: 'the peer to lose it' })
    await waitFor(() => new ThreadsModel(teamThreads.doc).get(threadId) !== null, { message: 'the team to keep it' })
  })

  it('finds a team-only thread for the team and its coach in search, never for a peer', async () => {
    const coachThreads = open(threadDocName(planId, 'team'), coachToken)
    await synced(coachThreads)
    new ThreadsModel(coachThreads.doc).create({
      anchor: { kind: 'initiative', initiativeId: 'none' },
      author: coach,
      body: 'Quixotic procurement timeline',
    })
    const search = async (token: string) => {
      const res = await fetch(`${server.url}/api/search?q=quixotic`, { headers: bearer(token) })
      return ((await res.json()) as { results: Array<{ kind: string }> }).results.filter((r) => r.kind === 'thread')
    }
    await waitFor(async () => (await search(teamToken)).length === 1, { message: 'the team to find the thread' })
    expect(await search(coachToken)).toHaveLength(1)
    expect(await search(peerToken)).toHaveLength(0)
    // Nor in the inbox of the peer (who is mentioned nowhere, but nothing team-only may show).
    const inbox = await fetch(`${server.url}/api/inbox?filter=all`, { headers: bearer(peerToken) })
    expect(JSON.stringify(await inbox.json())).not.toContain('Quixotic')
  })

  it('refuses a comment-only coach taking someone else’s comment mark off, and keeps the mark', async () => {
    const team = open(docName, teamToken)
    await synced(team)
    const teamThreads = open(threadDocName(planId, 'team'), teamToken)
    await synced(teamThreads)
    const lee = await server.auth.users.getByEmail(lead('boulder-co'))
    const thread = new ThreadsModel(teamThreads.doc).create({
      anchor: { kind: 'text', field: sectionField('problem'), quote: 'too little', before: 'earn ', after: ' to' },
      author: { id: lee?.id ?? '', name: lee?.name ?? '' },
      body: 'Our own note',
    })
    paragraphText(team.doc).format(23, 10, { 'comment--team': { threadId: thread.id } })
    const coachPlan = open(docName, coachToken)
    await waitFor(
      () =>
        coachPlan.doc.getXmlFragment(sectionField('problem')).length === 1 &&
        paragraphText(coachPlan.doc)
          .toDelta()
          .some((op: { attributes?: Record<string, unknown> }) => op.attributes?.['comment--team']),
      { message: 'the mark to reach the coach' },
    )
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(coachPlan.doc))
    const before = Y.encodeStateVector(replica)
    paragraphText(replica).format(23, 10, { 'comment--team': null })
    const raw = await rawClient(`${wsUrl(server)}/${docName}?token=${coachToken}`)
    raw.send(syncUpdateFrame(Y.encodeStateAsUpdate(replica, before)))
    expect((await raw.closed).code).toBe(CloseCode.WriteNotAllowed)
    const marked = paragraphText(team.doc)
      .toDelta()
      .find((op: { attributes?: Record<string, unknown> }) => op.attributes?.['comment--team'])
    expect(marked?.insert).toBe('too little')
  })
})

describe('plans of the first layout, whose threads are inside the plan', () => {
  it('move their threads into the team document when loaded, once, and let go of them', async () => {
    const server = await startServer()
    try {
      const teamToken = await signIn(server, lead('boulder-co'))
      const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: teamToken })
      // Turn the stored plan into one of layout 1 with a coach thread inside, as older servers wrote them.
      const old = new Y.Doc()
      for (const u of (await server.store.load(plan.docName)).updates) Y.applyUpdate(old, u)
      const sv = Y.encodeStateVector(old)
      const coach = await server.auth.users.getByEmail(COACH)
      old.transact(() => {
        new PlanModel(old).meta.set('schemaVersion', 1)
        new ThreadsModel(old).create({
          anchor: { kind: 'initiative', initiativeId: 'x' },
          author: { id: coach?.id ?? '', name: coach?.name ?? '' },
          body: 'A coaching note from before',
        })
      })
      await server.store.append(plan.docName, Y.encodeStateAsUpdate(old, sv))
      const threadId = new ThreadsModel(old).list()[0]?.id ?? ''

      // Two clients at once while the room loads and migrates.
      const a = connectClient(wsUrl(server), plan.docName, { params: { token: teamToken } })
      const b = connectClient(wsUrl(server), plan.docName, { params: { token: teamToken } })
      await synced(a)
      await synced(b)
      for (const c of [a, b]) {
        expect(new PlanModel(c.doc).schemaVersion).toBe(2)
        expect(c.doc.getMap(PlanKeys.threads).size).toBe(0)
      }
      const team = connectClient(wsUrl(server), threadDocName(plan.id, 'team'), { params: { token: teamToken } })
      await synced(team)
      expect(new ThreadsModel(team.doc).get(threadId)?.snapshot().comments[0]?.body).toBe('A coaching note from before')
      const all = connectClient(wsUrl(server), threadDocName(plan.id, 'all'), { params: { token: teamToken } })
      await synced(all)
      expect(new ThreadsModel(all.doc).list()).toHaveLength(0)

      // Running the move again (an attempt that stopped half way) copies nothing twice.
      const rowsBefore = (await server.store.load(threadDocName(plan.id, 'team'))).rows
      expect(await server.threads.moveOutOfPlan(plan.id, old)).toBe(0)
      expect((await server.store.load(threadDocName(plan.id, 'team'))).rows).toBe(rowsBefore)
      expect(new ThreadsModel(team.doc).list()).toHaveLength(1)
      for (const c of [a, b, team, all]) c.destroy()
    } finally {
      await server.close()
    }
  })
})
