import type { LeverServer } from '@lever/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient } from '../support/rawClient.ts'
import { createPlan, signIn, sqliteOf, startServer, wsUrl } from '../support/server.ts'
import { sleep, waitFor } from '../support/wait.ts'

describe('rooms', () => {
  let server: LeverServer
  const clients: TestClient[] = []
  let token = ''
  const client = (docName: string) => {
    const c = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(c)
    return c
  }

  beforeEach(async () => {
    server = await startServer({ collab: { unloadGraceMs: 100 } })
    token = await signIn(server)
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server.close()
  })

  it('unloads a room after its last client leaves, and a later client gets the stored content', async () => {
    const doc = (await createPlan(server, { token })).docName
    const first = client(doc)
    await synced(first)
    first.doc.getText('text').insert(0, 'kept after unload')
    await waitFor(async () => (await server.store.load(doc)).rows > 1, { message: 'edit stored' })
    first.destroy()
    await waitFor(() => server.rooms.peek(doc) === undefined, { message: 'room to unload' })
    expect(server.rooms.size).toBe(0)

    const later = client(doc)
    await synced(later)
    expect(later.doc.getText('text').toString()).toBe('kept after unload')
  })

  it('writes nothing when an up-to-date plan loads: no server change, no record of its client id', async () => {
    const doc = (await createPlan(server, { token })).docName
    const first = client(doc)
    await synced(first)
    first.destroy()
    await waitFor(() => server.rooms.peek(doc) === undefined, { message: 'room to unload' })
    const written = () => ({
      rows: (
        sqliteOf(server).prepare('SELECT count(*) AS n FROM doc_updates WHERE doc_name = ?').get(doc) as { n: number }
      ).n,
      clients: (sqliteOf(server).prepare('SELECT count(*) AS n FROM doc_clients').get() as { n: number }).n,
    })
    const before = written()
    for (let load = 0; load < 3; load++) {
      const again = client(doc)
      await synced(again)
      again.destroy()
      await waitFor(() => server.rooms.peek(doc) === undefined, { message: 'room to unload' })
    }
    expect(written()).toEqual(before)
  })

  it('keeps a room loaded while someone is still connected', async () => {
    const doc = (await createPlan(server, { token })).docName
    const a = client(doc)
    const b = client(doc)
    await Promise.all([synced(a), synced(b)])
    a.destroy()
    await sleep(300)
    expect(server.rooms.peek(doc)).toBeDefined()
  })

  it('removes the presence of a client that disconnects for everyone else', async () => {
    const doc = (await createPlan(server, { token })).docName
    const a = client(doc)
    const b = client(doc)
    await Promise.all([synced(a), synced(b)])
    a.provider.awareness.setLocalStateField('user', { name: 'Fran Facilitator' })
    await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Fran Facilitator', {
      message: 'presence to arrive',
    })
    // Drop the socket without a goodbye, as a closed laptop would.
    a.provider.ws?.close()
    a.provider.shouldConnect = false
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), { message: 'presence to be removed' })
  })

  it('disconnects a client that stops reading once too much piles up for it, and keeps the others', async () => {
    await server.close()
    server = await startServer({ collab: { maxBufferedBytes: 256 * 1024 } })
    token = await signIn(server)
    const doc = (await createPlan(server, { token })).docName
    const writer = client(doc)
    await synced(writer)
    const stalled = await rawClient(`${wsUrl(server)}/${doc}?token=${token}`)
    // Stop reading: the server's send buffer for this client can only grow.
    ;(stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause()
    await waitFor(() => server.rooms.peek(doc)?.connectionCount === 2, { message: 'both connected' })
    for (let i = 0; i < 300; i++) writer.doc.getText('text').insert(0, 'x'.repeat(50_000))
    await waitFor(() => server.rooms.peek(doc)?.connectionCount === 1, { message: 'the stalled client to be dropped' })
    expect(writer.provider.wsconnected).toBe(true)
  })

  it('forwards a presence change once, not the echoes every stock provider sends back', async () => {
    const doc = (await createPlan(server, { token })).docName
    const room = Array.from({ length: 6 }, () => client(doc))
    await Promise.all(room.map((c) => synced(c)))
    await sleep(300)
    const watcher = room[5] as TestClient
    let awarenessFrames = 0
    ;(watcher.provider.ws as unknown as { on(e: 'message', f: (d: ArrayBuffer) => void): void }).on(
      'message',
      (data) => {
        if (new Uint8Array(data)[0] === 1) awarenessFrames++
      },
    )
    room[0]?.provider.awareness.setLocalStateField('user', { name: 'Fran Facilitator' })
    await sleep(500)
    // One change reaches the watcher once. Before, each of the four other providers echoed it back
    // and the server forwarded every echo, so the watcher got five copies.
    expect(awarenessFrames).toBe(1)
  })

  it('answers an unknown HTTP route with a JSON 404', async () => {
    for (const path of ['/api/nope', '/nope']) {
      const res = await fetch(`${server.url}${path}`)
      expect(res.status).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/application\/json/)
      expect((await res.json()).error.code).toBe('not_found')
    }
  })

  it('answers the health check', async () => {
    const res = await fetch(`${server.url}/api/health`)
    expect(await res.json()).toEqual({ ok: true })
  })
})
