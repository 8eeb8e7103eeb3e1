import type { LeverServer } from '@lever/server'
import { CloseCode, MessageType, PlanModel, sectionField, ThreadsModel, threadDocName } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { changeOf, craftItem, encodeCrafted } from '../support/craftedUpdates.ts'
import { outsideThreads } from '../support/planFixture.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { COACH, createPlan, lead, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/**
 * The findings of the attack on the collaboration core (issue 11), each replayed with hand-made
 * updates over the standard protocol against a real server, with a stock y-websocket client of the
 * team connected throughout.
 */
describe('hand-made updates the server used to let through', () => {
  let server: LeverServer
  let teamToken = ''
  let coachToken = ''
  let team: TestClient
  /** The team has the plan's team thread document open too (threads live there). */
  let teamThreads: TestClient
  let docName = ''
  let threadsName = ''
  const teamCloses: number[] = []
  const coach = { id: '', name: '' }
  const member = { id: '', name: '' }

  const roomDoc = (name = docName) => server.rooms.peek(name)?.doc as Y.Doc
  const threadsDoc = () => roomDoc(threadsName)
  const storedRows = async (name = docName) => {
    await server.rooms.peek(name)?.whenDurable()
    return (await server.store.load(name)).rows
  }
  /**
   * Sends one update on a connection of its own (asking for save acknowledgements) and returns the
   * code it was closed with, or null once the server acknowledged the update as handled.
   */
  const send = async (token: string, update: Uint8Array, name = docName): Promise<number | null> => {
    const raw = await rawClient(`${wsUrl(server)}/${name}?token=${token}&acks=1`)
    raw.send(syncUpdateFrame(update))
    const acked = waitFor(() => raw.received.some((frame) => frame[0] === MessageType.SaveAck) && 'acked', {
      message: 'the update to be acknowledged',
    })
    const outcome = await Promise.race([raw.closed.then((c) => c.code), acked])
    if (outcome === 'acked') {
      raw.ws.close()
      return null
    }
    acked.catch(() => {})
    return outcome as number
  }

  beforeAll(async () => {
    server = await startServer()
    teamToken = await signIn(server, lead('boulder-co'))
    coachToken = await signIn(server, COACH)
    for (const [who, email] of [
      [coach, COACH],
      [member, lead('boulder-co')],
    ] as const) {
      const user = await server.auth.users.getByEmail(email)
      who.id = user?.id as string
      who.name = user?.name as string
    }
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: teamToken })
    docName = plan.docName
    threadsName = threadDocName(plan.id, 'team')
    teamThreads = connectClient(wsUrl(server), threadsName, { params: { token: teamToken } })
    await synced(teamThreads)
    team = connectClient(wsUrl(server), docName, { params: { token: teamToken } })
    team.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) teamCloses.push(event.code)
    })
    await synced(team)
    team.doc.transact(() => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('Contract janitors earn too little to live in Boulder.')])
      team.doc.getXmlFragment(sectionField('problem')).insert(0, [p])
      const initiative = new PlanModel(team.doc).addInitiative('procurement', { title: 'Wage floor' })
      initiative.map.set('owner', 'Procurement office')
    })
    await waitFor(() => roomDoc()?.getXmlFragment(sectionField('problem')).length === 1, {
      message: 'the prose to reach the server',
    })
  })
  afterAll(async () => {
    team.destroy()
    teamThreads.destroy()
    await server.close()
  })

  it('1: refuses a coach’s comment mark sent as the value of a field or an initiative, and removes nothing', async () => {
    const before = outsideThreads(roomDoc())
    const rows = await storedRows()
    const model = new PlanModel(roomDoc())
    const initiative = model.initiatives()[0]
    const client = 77_001
    const targets: Array<{ parent: string | Y.ID; parentSub: string }> = [
      { parent: 'meta', parentSub: 'title' },
      { parent: 'initiatives', parentSub: initiative?.id as string },
      { parent: initiative?.map._item?.id as Y.ID, parentSub: 'title' },
    ]
    for (const target of targets) {
      const mark = craftItem(Y.createID(client, 0), new Y.ContentFormat('comment--h1', { threadId: 't1' }), target)
      const update = encodeCrafted({ blocks: [{ client, clock: 0, structs: [mark] }], deletes: [] })
      expect(await send(coachToken, update)).toBe(CloseCode.WriteNotAllowed)
    }
    expect(outsideThreads(roomDoc())).toBe(before)
    expect(new PlanModel(roomDoc()).title).not.toBe('')
    expect(await storedRows()).toBe(rows)
    expect(team.provider.wsconnected).toBe(true)
  })

  it('1b: refuses an item that starts inside what the server has of its client, placed by an allowed parent', async () => {
    // The coach's own thread (in the team's thread document), sent properly first: the server now knows client 77002 up to its end.
    const client = 77_002
    const thread = changeOf(
      threadsDoc(),
      (doc) =>
        new ThreadsModel(doc).create({
          anchor: { kind: 'initiative', initiativeId: 'i' },
          author: coach,
          body: 'Which wage floor?',
          id: 'coach-thread',
        }),
      client,
    )
    expect(await send(coachToken, thread, threadsName)).toBeNull()
    await waitFor(() => new ThreadsModel(threadsDoc()).get('coach-thread'), { message: 'the coach’s thread' })
    const before = outsideThreads(threadsDoc())
    const rows = await storedRows(threadsName)
    const known = Y.getState(threadsDoc().store, client)
    const holder = new ThreadsModel(threadsDoc()).get('coach-thread')?.map._item?.id as Y.ID
    // Two characters from one clock below the known state: Yjs would integrate the second with an
    // offset, after the client's last item, whatever parent the update names.
    for (const target of [
      { parent: 'threads', parentSub: 'coach-thread-2' },
      { parent: holder, parentSub: 'status' },
    ]) {
      const overlap = craftItem(Y.createID(client, known - 1), new Y.ContentString('xx'), target)
      const update = encodeCrafted({ blocks: [{ client, clock: known - 1, structs: [overlap] }], deletes: [] })
      expect(await send(coachToken, update, threadsName)).toBe(CloseCode.UpdateOverlapsState)
    }
    expect(outsideThreads(threadsDoc())).toBe(before)
    expect(new ThreadsModel(threadsDoc()).get('coach-thread')?.snapshot().comments).toHaveLength(1)
    expect(await storedRows(threadsName)).toBe(rows)
  })

  it('2: closes only the sender of an item whose parent is a later item of the same update; nobody else is dropped', async () => {
    const client = 77_003
    const start = teamCloses.length
    for (const token of [teamToken, coachToken]) {
      // Item 0 hangs from item 1, which comes later in the same update.
      const child = craftItem(Y.createID(client, 0), new Y.ContentString('x'), { parent: Y.createID(client, 1) })
      const map = craftItem(Y.createID(client, 1), new Y.ContentType(new Y.Map()), {
        parent: 'threads',
        parentSub: 'k',
      })
      const update = encodeCrafted({ blocks: [{ client, clock: 0, structs: [child, map] }], deletes: [] })
      expect(await send(token, update)).toBe(CloseCode.UnintegrableUpdate)
    }
    // The team's provider was never closed (no 4501 reload), and its edits still go through.
    expect(teamCloses.slice(start)).toEqual([])
    expect(team.provider.wsconnected).toBe(true)
    new PlanModel(team.doc).meta.set('title', 'Still editing')
    await waitFor(() => new PlanModel(roomDoc()).title === 'Still editing', { message: 'the team’s edit' })
  })

  it('3: refuses updates with missing dependencies, keeping nothing pending however many arrive', async () => {
    const rows = await storedRows()
    const big = 'x'.repeat(256 * 1024)
    for (let i = 0; i < 24; i++) {
      const client = 78_000 + i
      // Half skip a clock of their own client, half hang from an item the server never got.
      const item =
        i % 2 === 0
          ? craftItem(Y.createID(client, 1), new Y.ContentString(big), { parent: 'elsewhere', parentSub: null })
          : craftItem(Y.createID(client, 0), new Y.ContentString(big), { origin: Y.createID(99_999, 5) })
      const update = encodeCrafted({ blocks: [{ client, clock: item.id.clock, structs: [item] }], deletes: [] })
      expect(await send(teamToken, update)).toBe(CloseCode.MissingDependencies)
      // Deletes of changes the server does not have are refused the same way.
      const deletes = encodeCrafted({ blocks: [], deletes: [[99_999, [[0, 10]]]] })
      if (i === 0) expect(await send(teamToken, deletes)).toBe(CloseCode.MissingDependencies)
    }
    expect(roomDoc().store.pendingStructs).toBeNull()
    expect(roomDoc().store.pendingDs).toBeNull()
    expect(await storedRows()).toBe(rows)
    expect(team.provider.wsconnected).toBe(true)
  })

  it('5: refuses a thread or a reply in someone else’s name, even with the sender’s own id', async () => {
    const forged = changeOf(
      threadsDoc(),
      (doc) =>
        new ThreadsModel(doc).create({
          anchor: { kind: 'initiative', initiativeId: 'i' },
          author: { id: member.id, name: 'Fran Facilitator' },
          body: 'Approved.',
          id: 'forged',
        }),
      77_005,
    )
    expect(await send(teamToken, forged, threadsName)).toBe(CloseCode.WriteNotAllowed)
    const forgedReply = changeOf(
      threadsDoc(),
      (doc) =>
        new ThreadsModel(doc).get('coach-thread')?.reply({ id: coach.id, name: 'Fran Facilitator' }, 'Approved.'),
      77_006,
    )
    expect(await send(coachToken, forgedReply, threadsName)).toBe(CloseCode.WriteNotAllowed)
    expect(new ThreadsModel(threadsDoc()).get('forged')).toBeNull()
    expect(new ThreadsModel(threadsDoc()).get('coach-thread')?.snapshot().comments).toHaveLength(1)
    // In their own name, the same thread goes through.
    const own = changeOf(
      threadsDoc(),
      (doc) =>
        new ThreadsModel(doc).create({
          anchor: { kind: 'initiative', initiativeId: 'i' },
          author: member,
          body: 'Approved.',
          id: 'own',
        }),
      77_007,
    )
    expect(await send(teamToken, own, threadsName)).toBeNull()
    await waitFor(() => new ThreadsModel(threadsDoc()).get('own')?.snapshot().authorName === member.name, {
      message: 'the thread in the member’s own name',
    })
  })
})
