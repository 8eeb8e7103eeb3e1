import { type LeverServer, memoryLogger } from '@lever/server'
import { CloseCode, MessageType, SyncMessageType } from '@lever/shared'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, converged, synced, type TestClient } from '../support/clients.ts'
import { awarenessFrame, type RawClient, rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { createPlan, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const presenceFrame = (clientId: number, clock: number, state: unknown) => awarenessFrame([{ clientId, clock, state }])

/** Finding 6: one connection cannot flood the server; a person working fast is never cut off. */
describe('limits per connection (default configuration)', () => {
  let server: LeverServer
  let token: string
  let docName: string
  let lines: Array<Record<string, unknown>>
  const clients: TestClient[] = []
  const raws: RawClient[] = []

  /**
   * A bare connection, once the room has greeted it: sent while the document is still loading
   * (after its room unloaded between tests), a flood would be refused by the loading queue's own
   * bound instead of the limit under test.
   */
  const raw = async () => {
    const c = await rawClient(`${wsUrl(server)}/${docName}?token=${token}`)
    raws.push(c)
    await waitFor(() => c.received.length > 0, { message: 'the room to greet the connection' })
    return c
  }
  const slowDownLogged = (kind: string) =>
    lines.some(
      (l) => l.msg === 'closing connection' && l.code === CloseCode.SlowDown && String(l.reason).includes(kind),
    )

  beforeAll(async () => {
    const recorded = memoryLogger('warn')
    lines = recorded.lines
    server = await startServer({ logger: recorded.logger })
    token = await signIn(server)
    docName = (await createPlan(server, { token })).docName
  })
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy()
    for (const r of raws.splice(0)) r.ws.terminate()
    await server.close()
  })

  it('cuts off a flood of 20,000 presence updates with SlowDown, and logs it', async () => {
    const flooder = await raw()
    const clientId = 424242
    for (let clock = 1; clock <= 20_000; clock++) {
      flooder.send(presenceFrame(clientId, clock, { user: { name: 'x' }, n: clock }))
    }
    expect((await flooder.closed).code).toBe(CloseCode.SlowDown)
    await waitFor(() => slowDownLogged('presence'), { message: 'the slow-down to be logged' })
    // Its presence went with it.
    expect(server.rooms.peek(docName)?.awareness.getStates().has(clientId) ?? false).toBe(false)
  })

  it('cuts off a flood of 20,000 tiny updates with SlowDown, and logs it, keeping what it let through', async () => {
    const flooder = await raw()
    const doc = new Y.Doc()
    const frames: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => frames.push(syncUpdateFrame(u)))
    const text = doc.getText('flood')
    for (let i = 0; i < 20_000; i++) text.insert(i, 'x')
    for (const f of frames) flooder.send(f)
    expect((await flooder.closed).code).toBe(CloseCode.SlowDown)
    await waitFor(() => slowDownLogged('updates'), { message: 'the slow-down to be logged' })
    const stored = new Y.Doc()
    for (const u of (await server.store.load(docName)).updates) Y.applyUpdate(stored, u)
    const kept = stored.getText('flood').length
    expect(kept).toBeGreaterThan(0)
    expect(kept).toBeLessThan(20_000)
  })

  it('cuts off 2,000 sync step-1 requests for a large plan after a few answers, and logs it', async () => {
    const writer = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(writer)
    await synced(writer)
    writer.doc.getText('big').insert(0, 'y'.repeat(512 * 1024))
    await waitFor(() => (server.rooms.peek(docName)?.doc.getText('big').length ?? 0) > 0, { message: 'big text' })

    const flooder = await raw()
    const ask = encoding.createEncoder()
    encoding.writeVarUint(ask, MessageType.Sync)
    encoding.writeVarUint(ask, SyncMessageType.Step1)
    encoding.writeVarUint8Array(ask, Y.encodeStateVector(new Y.Doc()))
    const frame = encoding.toUint8Array(ask)
    for (let i = 0; i < 2000; i++) flooder.send(frame)
    expect((await flooder.closed).code).toBe(CloseCode.SlowDown)
    await waitFor(() => slowDownLogged('syncRequests'), { message: 'the slow-down to be logged' })
    const answered = flooder.received.reduce((sum, b) => sum + b.byteLength, 0)
    // At most the burst of answers went out (each is the whole plan, over 0.5 MB), not 2,000 of them.
    expect(answered).toBeLessThan(100 * 1024 * 1024)
    expect(writer.provider.wsconnected).toBe(true)
  })

  it('never cuts off a person who pastes 1 MB and then types 300 keys with presence as fast as the client sends', async () => {
    const before = lines.length
    const typist = connectClient(wsUrl(server), docName, { params: { token } })
    const reader = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(typist, reader)
    await Promise.all([synced(typist), synced(reader)])
    let closes = 0
    typist.provider.on('connection-close', () => closes++)
    // One update of over 1 MB, as a paste sends it.
    typist.doc.getText('pasted').insert(0, 'p'.repeat(1024 * 1024))
    const text = typist.doc.getText('typed')
    for (let key = 0; key < 300; key++) {
      text.insert(text.length, 'k')
      typist.provider.awareness.setLocalStateField('typed', { at: text.length })
    }
    await converged([typist.doc, reader.doc], 30_000)
    await waitFor(() => reader.provider.awareness.getStates().get(typist.doc.clientID)?.typed?.at === text.length, {
      message: 'the last presence to arrive',
    })
    expect(reader.doc.getText('pasted').length).toBe(1024 * 1024)
    expect(reader.doc.getText('typed').length).toBe(300)
    expect(closes).toBe(0)
    expect(typist.provider.wsconnected).toBe(true)
    expect(lines.slice(before).filter((l) => l.code === CloseCode.SlowDown)).toEqual([])
  })
})
