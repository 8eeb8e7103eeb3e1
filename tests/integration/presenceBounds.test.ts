import type { LeverServer } from '@lever/server'
import { CloseCode } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { awarenessFrame, type RawClient, rawClient } from '../support/rawClient.ts'
import { COACH, createPlan, FACILITATOR, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/** An awareness frame setting `state` for each of `clientIds` at `clock`. */
const presenceFrame = (clientIds: number[], clock: number, state: unknown) =>
  awarenessFrame(clientIds.map((clientId) => ({ clientId, clock, state })))

/**
 * One account must not be able to fill a room's presence, which every newcomer is sent whole, nor
 * hold connections without end: an attacker with read access to a live session sent 1.9 MB of
 * presence on each of 18 connections, and every newcomer was then dropped before it synced.
 */
describe('presence and connections are bounded per person', () => {
  let server: LeverServer
  let franToken: string
  let coachToken: string
  let docName: string
  const raws: RawClient[] = []
  const clients: TestClient[] = []

  const raw = async (token: string, doc = docName) => {
    const c = await rawClient(`${wsUrl(server)}/${doc}?token=${token}`)
    raws.push(c)
    return c
  }
  const open = (c: RawClient) => c.ws.readyState === c.ws.OPEN
  /** A client with the room's presence; its presence reaching `watcher` shows the server handled what came before. */
  const watcherPresence = () => clients[0]?.provider.awareness.getStates() ?? new Map()
  /** Closes every raw connection and waits until the server has let go of them (the watcher stays). */
  const closeRaws = async (docs: string[] = [docName]) => {
    for (const r of raws.splice(0)) r.ws.terminate()
    await waitFor(() => docs.reduce((n, d) => n + (server.rooms.peek(d)?.connectionCount ?? 0), 0) === 1, {
      message: 'only the watcher connected',
    })
  }

  beforeAll(async () => {
    server = await startServer({ collab: { maxConnectionsPerPerson: { server: 20, document: 6 } } })
    franToken = await signIn(server, FACILITATOR)
    coachToken = await signIn(server, COACH)
    docName = (await createPlan(server, { token: franToken, jurisdictionId: 'boulder-co' })).docName
    const watcher = connectClient(wsUrl(server), docName, { params: { token: franToken } })
    clients.push(watcher)
    await synced(watcher)
  })
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy()
    for (const r of raws.splice(0)) r.ws.terminate()
    await server.close()
  })

  it('closes a connection that sets a presence state over 8 KiB, and nobody is sent it', async () => {
    const coach = await raw(coachToken)
    const small = await raw(coachToken)
    small.send(presenceFrame([777_001], 1, { user: { name: 'x' }, note: 'n'.repeat(7 * 1024) }))
    await waitFor(() => watcherPresence().has(777_001), { message: 'a 7 KiB state arrives' })
    coach.send(presenceFrame([777_002], 1, { user: { name: 'x' }, blob: 'b'.repeat(9 * 1024) }))
    expect(await coach.closed).toMatchObject({ code: CloseCode.MalformedMessage, reason: 'presence state too large' })
    expect(server.rooms.peek(docName)?.awareness.getStates().has(777_002)).toBe(false)
    expect(watcherPresence().has(777_002)).toBe(false)
    small.ws.close()
    await waitFor(() => !watcherPresence().has(777_001), { message: 'the small state goes with its connection' })
  })

  it('measures the presence limit in bytes: 3,000 three-byte characters (9 KiB of UTF-8) are refused', async () => {
    const coach = await raw(coachToken)
    const note = '\u8a18'.repeat(3000)
    expect(note.length).toBeLessThan(8 * 1024)
    coach.send(presenceFrame([777_003], 1, { user: { name: 'x' }, note }))
    expect(await coach.closed).toMatchObject({ code: CloseCode.MalformedMessage, reason: 'presence state too large' })
    expect(server.rooms.peek(docName)?.awareness.getStates().has(777_003)).toBe(false)
  })

  it('closes a connection whose presence carries a caret of the wrong shape (it would break other people’s editors), and passes a real one', async () => {
    const reader = await raw(coachToken)
    const place = { type: null, tname: 'section:problem', item: null, assoc: 0 }
    reader.send(presenceFrame([777_010], 1, { user: { name: 'x' }, cursor: { anchor: place, head: place } }))
    await waitFor(() => watcherPresence().has(777_010), { message: 'a caret at the end of a section' })
    for (const [i, cursor] of [
      { anchor: null, head: null },
      { anchor: { tname: null }, head: { tname: null } },
      { anchor: { item: { client: 'a', clock: 1 } }, head: place },
      { anchor: 5, head: 5 },
    ].entries()) {
      const sender = await raw(coachToken)
      sender.send(presenceFrame([777_020 + i], 1, { user: { name: 'x' }, cursor }))
      expect(await sender.closed).toMatchObject({
        code: CloseCode.MalformedMessage,
        reason: 'invalid presence state: a cursor of the wrong shape',
      })
      expect(
        server.rooms
          .peek(docName)
          ?.awareness.getStates()
          .has(777_020 + i),
      ).toBe(false)
    }
    reader.ws.close()
    await waitFor(() => !watcherPresence().has(777_010), { message: 'the caret goes with its connection' })
  })

  it('keeps one person to 32 presence entries across their connections, and others are unaffected', async () => {
    const first = await raw(coachToken)
    const second = await raw(coachToken)
    const third = await raw(coachToken)
    const ids = (from: number) => Array.from({ length: 16 }, (_, i) => from + i)
    first.send(presenceFrame(ids(800_000), 1, { user: { name: 'a' } }))
    second.send(presenceFrame(ids(800_100), 1, { user: { name: 'b' } }))
    third.send(presenceFrame(ids(800_200), 1, { user: { name: 'c' } }))
    // The facilitator's own entry, sent after, marks that the server handled the three.
    const fran = await raw(franToken)
    fran.send(presenceFrame([900_000], 1, { user: { name: 'f' } }))
    await waitFor(() => watcherPresence().has(900_000), { message: 'the facilitator’s entry' })
    const room = server.rooms.peek(docName)
    const coachEntries = [...(room?.awareness.getStates().keys() ?? [])].filter((id) => id >= 800_000 && id < 900_000)
    expect(coachEntries).toHaveLength(32)
    expect(coachEntries.some((id) => id >= 800_200)).toBe(false)
    // Refused entries are dropped, not a reason to close: the connections stay.
    expect([first, second, third].every(open)).toBe(true)
    for (const c of [first, second, third, fran]) c.ws.close()
    const sent = (id: number) => id >= 800_000 && id <= 900_000
    await waitFor(() => ![...watcherPresence().keys()].some(sent), { message: 'their entries gone with them' })
  })

  it('refuses a person’s connection past their limit to one document with TooManyConnections, and lets one in once another closes', async () => {
    await closeRaws()
    // The watcher is the facilitator's first; five more make six.
    const held = await Promise.all(Array.from({ length: 5 }, () => raw(franToken)))
    await waitFor(() => server.rooms.peek(docName)?.connectionCount === 6, { message: 'six connections' })
    const extra = await raw(franToken)
    expect(await extra.closed).toMatchObject({ code: CloseCode.TooManyConnections })
    // Another person is not counted against the facilitator.
    const coach = await raw(coachToken)
    await waitFor(() => server.rooms.peek(docName)?.connectionCount === 7, { message: 'the coach gets in' })
    expect(open(coach)).toBe(true)
    ;(held[0] as RawClient).ws.close()
    await (held[0] as RawClient).closed
    await waitFor(() => server.rooms.peek(docName)?.connectionCount === 6, { message: 'one closed' })
    const again = await raw(franToken)
    await waitFor(() => server.rooms.peek(docName)?.connectionCount === 7, { message: 'a new one gets in' })
    expect(open(again)).toBe(true)
  })

  it('refuses a person’s connections past their limit on the server, over every document', async () => {
    await closeRaws()
    const docs = await Promise.all(
      Array.from(
        { length: 4 },
        async () => (await createPlan(server, { token: franToken, jurisdictionId: 'boulder-co' })).docName,
      ),
    )
    // The watcher plus 19 over four documents, five each at most: twenty.
    const held: RawClient[] = []
    for (let i = 0; i < 19; i++) held.push(await raw(franToken, docs[i % 4] as string))
    await waitFor(() => docs.reduce((n, d) => n + (server.rooms.peek(d)?.connectionCount ?? 0), 0) === 19, {
      message: 'nineteen connections',
    })
    const extra = await raw(franToken, docs[3] as string)
    expect(await extra.closed).toMatchObject({ code: CloseCode.TooManyConnections })
    expect(held.every(open)).toBe(true)
  })
})
