import { type LeverServer, memoryLogger } from '@lever/server'
import { CloseCode, ErrorCode, PlanModel } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { changeOf, craftItem, encodeCrafted } from '../support/craftedUpdates.ts'
import { type RawClient, rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { apiCaller, createPlan, FACILITATOR, lead, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const KiB = 1024

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  return p
}

/** The texts of the problem section's paragraphs in a document. */
function problemTexts(doc: Y.Doc): string[] {
  return new PlanModel(doc)
    .section('problem')
    .toArray()
    .map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText | undefined)?.toString() ?? '')
}

describe('bounds on what one person can make the server do', () => {
  let server: LeverServer | undefined
  const raws: RawClient[] = []
  const clients: TestClient[] = []
  const raw = async (docName: string, token: string) => {
    const c = await rawClient(`${wsUrl(server as LeverServer)}/${docName}?token=${token}`)
    raws.push(c)
    return c
  }
  afterEach(async () => {
    for (const r of raws.splice(0)) r.ws.terminate()
    for (const c of clients.splice(0)) c.destroy()
    await server?.close()
    server = undefined
  })

  /** A copy of a document as the server has it now (loading it if it was unloaded). */
  const copyOf = (docName: string) =>
    (server as LeverServer).rooms.withRoom(docName, (room) => {
      const copy = new Y.Doc()
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
      return copy
    })

  /**
   * Writes a paragraph of `2 * ranges` characters as the server and returns the update that
   * deletes every other one of them: `ranges` separate ranges, which Yjs integrates in far more
   * time than the update's size (a few bytes a range) suggests.
   */
  async function everyOtherCharacter(docName: string, ranges: number): Promise<Uint8Array> {
    const id = await (server as LeverServer).rooms.withRoom(docName, (room) => {
      room.transactServer((doc) => new PlanModel(doc).section('problem').insert(0, [paragraph('x'.repeat(2 * ranges))]))
      const text = (new PlanModel(room.doc).section('problem').get(0) as Y.XmlElement).get(0) as Y.XmlText
      return (text._start as Y.Item).id
    })
    const deleted = Array.from({ length: ranges }, (_, i) => [id.clock + 2 * i + 1, 1] as [number, number])
    return encodeCrafted({ blocks: [], deletes: [[id.client, deleted]] })
  }

  it('slows down a team member whose crafted updates take the server past their share of its time, and never a facilitator', async () => {
    const recorded = memoryLogger('warn')
    server = await startServer({ logger: recorded.logger, collab: { workBudget: { msPerSecond: 1, burstMs: 20 } } })
    const memberToken = await signIn(server, lead('boulder-co'))
    const facilitatorToken = await signIn(server, FACILITATOR)
    const { docName } = await createPlan(server, { token: memberToken, jurisdictionId: 'boulder-co' })
    const live = () => problemTexts((server as LeverServer).rooms.peek(docName)?.doc ?? new Y.Doc())

    // The first costly update is taken (the budget was not spent): the person is now in debt.
    const member = await raw(docName, memberToken)
    member.send(syncUpdateFrame(await everyOtherCharacter(docName, 40_000)))
    await waitFor(() => live()[0]?.length === 40_000, { message: 'the first crafted update to apply' })
    // Anything more from them is refused until their share has refilled, on this connection...
    member.send(
      syncUpdateFrame(
        changeOf(await copyOf(docName), (d) => {
          new PlanModel(d).section('problem').insert(0, [paragraph('refused while in debt')])
        }),
      ),
    )
    expect((await member.closed).code).toBe(CloseCode.SlowDown)
    // ...and on a new one: the budget is the person's, not the connection's.
    const again = await raw(docName, memberToken)
    again.send(
      syncUpdateFrame(
        changeOf(await copyOf(docName), (d) => {
          new PlanModel(d).section('problem').insert(0, [paragraph('refused on a new connection')])
        }),
      ),
    )
    expect((await again.closed).code).toBe(CloseCode.SlowDown)
    const texts = await server.rooms.withRoom(docName, (room) => problemTexts(room.doc))
    expect(texts).toEqual(['x'.repeat(40_000)])
    expect(
      recorded.lines.some((l) => l.code === CloseCode.SlowDown && String(l.reason).includes('server’s time')),
    ).toBe(true)

    // A facilitator is not limited: two costly updates in a row both apply on one connection.
    const facilitator = await raw(docName, facilitatorToken)
    for (let round = 0; round < 2; round++) {
      facilitator.send(syncUpdateFrame(await everyOtherCharacter(docName, 40_000)))
      await waitFor(() => live()[0]?.length === 40_000 && live().length === round + 2, {
        message: `the facilitator's update ${round + 1} to apply`,
      })
    }
    expect(facilitator.ws.readyState).toBe(facilitator.ws.OPEN)
  })

  it('takes a stock client’s sync answer carrying a long-edited plan’s whole delete set (over 100,000 ranges), and refuses a deleted range sent twice', async () => {
    server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const { docName } = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    // 110,001 separate deletions in the document (made by the server in one go here, years of
    // editing elsewhere: one message cutting that many pieces is refused, see below).
    const deletion = await everyOtherCharacter(docName, 110_001)
    await server.rooms.withRoom(docName, (room) => Y.applyUpdate(room.doc, deletion))
    await waitFor(
      async () => (await server?.rooms.withRoom(docName, (room) => problemTexts(room.doc)[0]?.length)) === 110_001,
      {
        message: 'the deletions to apply',
        timeoutMs: 30_000,
      },
    )

    // A stock provider answers the server's sync request with its whole delete set: taken.
    const writer = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(writer)
    await synced(writer)
    new PlanModel(writer.doc).section('problem').insert(0, [paragraph('Still writing.')])
    await waitFor(
      async () => (await server?.rooms.withRoom(docName, (room) => problemTexts(room.doc)[0])) === 'Still writing.',
      { message: 'the writer’s paragraph to arrive' },
    )
    expect(writer.provider.wsconnected).toBe(true)

    // The same range twice (Yjs never writes that; each copy would be walked again): refused.
    const text = await server.rooms.withRoom(docName, (room) => {
      const t = (new PlanModel(room.doc).section('problem').get(1) as Y.XmlElement).get(0) as Y.XmlText
      return (t._start as Y.Item).id
    })
    const twice = await raw(docName, token)
    twice.send(
      syncUpdateFrame(
        encodeCrafted({
          blocks: [],
          deletes: [
            [
              text.client,
              [
                [text.clock, 1],
                [text.clock, 1],
              ],
            ],
          ],
        }),
      ),
    )
    expect((await twice.closed).code).toBe(CloseCode.MalformedMessage)
  })

  it('refuses 2,000 entries of one key that do not name the value they replace (Yjs walks the key’s history for each, at every load)', async () => {
    server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const { docName } = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    const client = 123_456_789
    const entries = Array.from({ length: 2_000 }, (_, i) =>
      craftItem(Y.createID(client, i), new Y.ContentAny([i]), { parent: 'meta', parentSub: 'zz' }),
    )
    const member = await raw(docName, token)
    member.send(syncUpdateFrame(encodeCrafted({ blocks: [{ client, clock: 0, structs: entries }], deletes: [] })))
    expect((await member.closed).code).toBe(CloseCode.ChangeTooLarge)
    expect(await server.rooms.withRoom(docName, (room) => room.doc.store.clients.has(client))).toBe(false)
  })

  it('refuses deleting 25,000 paragraphs in one update with ChangeTooLarge, keeping them, and takes them away a thousand at a time', async () => {
    server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const { docName } = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    // Written in one go by the server: one client's 75,000 structs, one after another.
    const written = await server.rooms.withRoom(docName, (room) => {
      room.transactServer((doc) =>
        new PlanModel(doc).section('problem').insert(
          0,
          Array.from({ length: 25_000 }, (_, i) => paragraph(`Paragraph ${i}`)),
        ),
      )
      const section = new PlanModel(room.doc).section('problem')
      const first = (section.get(0) as Y.XmlElement)._item as Y.Item
      const last = ((section.get(24_999) as Y.XmlElement).get(0) as Y.XmlText)._start as Y.Item
      return { client: first.id.client, clock: first.id.clock, len: last.id.clock + last.length - first.id.clock }
    })
    const count = () => server?.rooms.withRoom(docName, (room) => new PlanModel(room.doc).section('problem').length)

    // A 12-byte update that deletes them all: Yjs would take seconds to collect them.
    const member = await raw(docName, token)
    member.send(
      syncUpdateFrame(encodeCrafted({ blocks: [], deletes: [[written.client, [[written.clock, written.len]]]] })),
    )
    expect((await member.closed).code).toBe(CloseCode.ChangeTooLarge)
    expect(await count()).toBe(25_000)

    // A thousand at a time is taken.
    const tidier = await raw(docName, token)
    tidier.send(
      syncUpdateFrame(changeOf(await copyOf(docName), (d) => new PlanModel(d).section('problem').delete(0, 1000))),
    )
    await waitFor(async () => (await count()) === 24_000, { message: 'a thousand paragraphs to go' })
    expect(tidier.ws.readyState).toBe(tidier.ws.OPEN)

    // Deletions taken one by one add up in the log, which a load applies (and collects) at once:
    // past a second's worth the log is merged, long before the row or byte policy would.
    const rows = async () => (await (server as LeverServer).store.load(docName)).rows
    expect(await rows()).toBeGreaterThan(1)
    let deletions = 1
    while ((await rows()) > 1 && deletions < 15) {
      const left = await count()
      tidier.send(
        syncUpdateFrame(changeOf(await copyOf(docName), (d) => new PlanModel(d).section('problem').delete(0, 1000))),
      )
      await waitFor(async () => (await count()) === (left as number) - 1000, { message: 'a thousand more to go' })
      deletions++
      // A merge the deletion asked for is scheduled as it is taken: wait for it to finish.
      await waitFor(() => !(server as LeverServer).rooms.peek(docName)?.compacting, { message: 'no merge under way' })
    }
    expect(await rows()).toBe(1)
    expect(deletions).toBeLessThan(15)
    expect(await count()).toBe(25_000 - 1000 * deletions)
  })

  it('answers a team member’s comparing, reading and naming of versions with 429 and Retry-After once their share of the server’s time is spent, and never a facilitator’s', async () => {
    // A share so small that one comparison spends it.
    server = await startServer({ collab: { workBudget: { msPerSecond: 0.001, burstMs: 0.001 } } })
    const call = apiCaller(server)
    const memberToken = await signIn(server, lead('boulder-co'))
    const facilitatorToken = await signIn(server, FACILITATOR)
    const plan = await createPlan(server, { token: memberToken, jurisdictionId: 'boulder-co' })
    const named = await call(facilitatorToken, 'POST', `/plans/${plan.id}/versions`, { name: 'Before the session' })
    expect(named.status).toBe(201)
    const version = ((await named.json()) as { id: string }).id
    const compare = (token: string) => call(token, 'GET', `/plans/${plan.id}/versions/${version}/compare?with=current`)

    expect((await compare(memberToken)).status).toBe(200)
    const refused = await compare(memberToken)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    const body = (await refused.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe(ErrorCode.RateLimited)
    expect(body.error.message).toMatch(/Try again in \d+ s/)
    // Restoring, reading a version and naming one are the same share.
    const restore = await call(memberToken, 'POST', `/plans/${plan.id}/versions/${version}/restore`, {})
    expect(restore.status).toBe(429)
    expect((await call(memberToken, 'GET', `/plans/${plan.id}/versions/${version}`)).status).toBe(429)
    expect((await call(memberToken, 'POST', `/plans/${plan.id}/versions`, { name: 'Again' })).status).toBe(429)
    expect((await call(facilitatorToken, 'GET', `/plans/${plan.id}/versions/${version}`)).status).toBe(200)

    for (let i = 0; i < 3; i++) expect((await compare(facilitatorToken)).status).toBe(200)
  })

  it('refuses additions to a plan at its size limit with DocumentTooLarge, keeps what was stored, and lets the team make room', async () => {
    server = await startServer({ collab: { maxDocumentBytes: 256 * KiB } })
    const token = await signIn(server, lead('boulder-co'))
    const { docName } = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    const room = () => (server as LeverServer).rooms.peek(docName)
    const stored = async () => {
      const doc = new Y.Doc()
      for (const u of (await (server as LeverServer).store.load(docName)).updates) Y.applyUpdate(doc, u)
      return problemTexts(doc)
    }

    // A team member writes 120 KiB: within the limit.
    const writer = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(writer)
    await synced(writer)
    new PlanModel(writer.doc).section('problem').insert(0, [paragraph('a'.repeat(120 * KiB))])
    await waitFor(async () => (await stored()).includes('a'.repeat(120 * KiB)), { message: 'the first text stored' })

    // 160 KiB more would pass the limit: refused, and nothing of it is applied or stored.
    const adder = await raw(docName, token)
    adder.send(
      syncUpdateFrame(
        changeOf(room()?.doc as Y.Doc, (d) => {
          new PlanModel(d).section('problem').insert(1, [paragraph('b'.repeat(160 * KiB))])
        }),
      ),
    )
    expect((await adder.closed).code).toBe(CloseCode.DocumentTooLarge)
    expect(problemTexts(room()?.doc as Y.Doc)).toEqual(['a'.repeat(120 * KiB)])
    expect(await stored()).toEqual(['a'.repeat(120 * KiB)])

    // Removing is always accepted, and makes room: the same addition now passes, though the
    // stored log still holds the removed text.
    new PlanModel(writer.doc).section('problem').delete(0, 1)
    await waitFor(() => problemTexts(room()?.doc as Y.Doc).length === 0, { message: 'the removal to apply' })
    expect(writer.provider.wsconnected).toBe(true)
    const retry = await raw(docName, token)
    retry.send(
      syncUpdateFrame(
        changeOf(room()?.doc as Y.Doc, (d) => {
          new PlanModel(d).section('problem').insert(0, [paragraph('c'.repeat(160 * KiB))])
        }),
      ),
    )
    await waitFor(async () => (await stored()).includes('c'.repeat(160 * KiB)), { message: 'the addition stored' })
    expect(retry.ws.readyState).toBe(retry.ws.OPEN)
    await waitFor(() => problemTexts(writer.doc).length === 1, { message: 'the writer to see the addition' })
  })
  it('counts what a deletion’s splits add: cutting out every other character again and again is refused before the plan passes its size limit', async () => {
    const limit = 256 * KiB
    server = await startServer({ collab: { maxDocumentBytes: limit } })
    const token = await signIn(server, lead('boulder-co'))
    const { docName } = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    const size = () => Y.encodeStateAsUpdate((server as LeverServer).rooms.peek(docName)?.doc as Y.Doc).byteLength

    // Each round the server writes 6,000 characters and the member cuts out every other one: a
    // few kilobytes of update that grow the encoded plan by about ten times the text. Past the
    // limit's worth of rounds the size check has to refuse one.
    let refused: number | null = null
    for (let round = 0; round < 12 && refused === null; round++) {
      const deletion = await everyOtherCharacter(docName, 3000)
      const member = await raw(docName, token)
      member.send(syncUpdateFrame(deletion))
      const outcome = await Promise.race([
        member.closed.then((c) => c.code),
        waitFor(() => problemTexts((server as LeverServer).rooms.peek(docName)?.doc as Y.Doc)[0]?.length === 3000, {
          message: 'the deletion to apply or be refused',
        }).then(() => 'applied' as const),
      ])
      if (outcome !== 'applied') {
        expect(outcome).toBe(CloseCode.DocumentTooLarge)
        refused = round
      }
      expect(size()).toBeLessThanOrEqual(limit)
    }
    expect(refused).not.toBeNull()
    // Removing a whole paragraph shrinks the plan: still accepted at the limit.
    const writer = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(writer)
    await synced(writer)
    const before = problemTexts(writer.doc).length
    new PlanModel(writer.doc).section('problem').delete(0, 1)
    await waitFor(() => problemTexts((server as LeverServer).rooms.peek(docName)?.doc as Y.Doc).length === before - 1, {
      message: 'the removal to apply',
    })
    expect(writer.provider.wsconnected).toBe(true)
  })

  it('merges the stored log when a plan whose deletions split it leaves memory, so that the log measures it again at the next load', async () => {
    server = await startServer({ collab: { maxDocumentBytes: 256 * KiB } })
    const token = await signIn(server, lead('boulder-co'))
    const { docName } = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    const member = await raw(docName, token)
    member.send(syncUpdateFrame(await everyOtherCharacter(docName, 3000)))
    await waitFor(() => problemTexts((server as LeverServer).rooms.peek(docName)?.doc as Y.Doc)[0]?.length === 3000, {
      message: 'the deletion to apply',
    })
    const encoded = Y.encodeStateAsUpdate((server as LeverServer).rooms.peek(docName)?.doc as Y.Doc).byteLength
    // The log (the plan's first state, the paragraph, the deletion) is far smaller than the plan.
    expect((await (server as LeverServer).store.load(docName)).bytes).toBeLessThan(encoded / 2)
    member.ws.close()
    await waitFor(() => (server as LeverServer).rooms.peek(docName) === undefined, { message: 'the room to unload' })
    const stored = await (server as LeverServer).store.load(docName)
    expect(stored.rows).toBe(1)
    expect(stored.bytes).toBeGreaterThanOrEqual(encoded)
  })

  it('refuses with ChangeTooLarge a message that brings a paragraph and cuts it into 120,000 pieces, applying nothing', async () => {
    server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const { docName } = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    const live = () => problemTexts((server as LeverServer).rooms.peek(docName)?.doc as Y.Doc)
    const member = await raw(docName, token)
    await waitFor(() => live() !== undefined && (server as LeverServer).rooms.peek(docName) !== undefined, {
      message: 'the plan to load',
    })
    // A paragraph, and every other character of it cut out, in one message: merged as a client
    // merges its unsent changes, the paragraph's text stays one item with 60,000 ranges inside it.
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate((server as LeverServer).rooms.peek(docName)?.doc as Y.Doc))
    const start = Y.encodeStateVector(copy)
    new PlanModel(copy).section('problem').insert(0, [paragraph('x'.repeat(120_000))])
    const typed = Y.encodeStateAsUpdate(copy, start)
    const run = Y.decodeUpdate(typed).structs.find(
      (s) => s instanceof Y.Item && s.content instanceof Y.ContentString,
    ) as Y.Item
    const cuts = Array.from({ length: 60_000 }, (_, i) => [run.id.clock + 2 * i + 1, 1] as [number, number])
    const merged = Y.mergeUpdates([typed, encodeCrafted({ blocks: [], deletes: [[run.id.client, cuts]] })])
    expect(Y.decodeUpdate(merged).structs.length).toBeLessThan(10)
    const before = live()
    member.send(syncUpdateFrame(merged))
    expect((await member.closed).code).toBe(CloseCode.ChangeTooLarge)
    expect(live()).toEqual(before)
  })
})
