import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { AccessMode, CloseCode } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { testRooms } from '../testing/rooms.ts'
import type { RoomManager } from './RoomManager.ts'
import { CollabTransport, type ConnectionGrant } from './wsTransport.ts'

describe('CollabTransport', () => {
  const cleanups: Array<() => Promise<void> | void> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  /** A transport on a real HTTP server whose authorization the test answers when it chooses. */
  async function transportWithHeldAuthorization() {
    const rooms: RoomManager = testRooms(new MemoryDocStore())
    let asked: () => void = () => {}
    const authorizationAsked = new Promise<void>((resolve) => {
      asked = resolve
    })
    let answer: (grant: ConnectionGrant) => void = () => {}
    const transport = new CollabTransport({
      rooms,
      logger: quietLogger(),
      maxMessageBytes: 1 << 20,
      heartbeatMs: 60_000,
      authorize: () =>
        new Promise<ConnectionGrant>((resolve) => {
          answer = resolve
          asked()
        }),
    })
    const server = http.createServer((_req, res) => res.writeHead(404).end())
    server.on('upgrade', (request, socket, head) => {
      if (!transport.handleUpgrade(request, socket, head)) socket.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () => new Promise<void>((resolve) => server.close(() => resolve())),
      () => server.closeAllConnections(),
      () => rooms.closeAll(CloseCode.GoingAway, 'test over'),
    )
    const port = (server.address() as AddressInfo).port
    return { rooms, transport, port, authorizationAsked, answer: (grant: ConnectionGrant) => answer(grant) }
  }

  it('opens no room for a connection whose authorization finishes after closing began, and closes it', async () => {
    const { rooms, transport, port, authorizationAsked, answer } = await transportWithHeldAuthorization()
    const docName = 'plan:held'
    const client = new WebSocket(`ws://127.0.0.1:${port}/collab/${docName}`)
    const closed = new Promise<number>((resolve) => client.on('close', (code) => resolve(code)))
    client.on('error', () => {})
    await authorizationAsked
    transport.close(CloseCode.GoingAway, 'server shutting down')
    answer({ ok: true, mode: AccessMode.ReadWrite, identity: { userId: 'ada', name: 'Ada' } })
    expect(await closed).toBe(CloseCode.GoingAway)
    // The grant's continuation has run by the time the close arrived or soon after: give it the
    // turns it needs, then no room may exist for the document.
    await new Promise((resolve) => setImmediate(resolve))
    expect(rooms.peek(docName)).toBeUndefined()
    expect(transport.connectionCount).toBe(0)
  })

  it('opens the room for a connection authorized while the server is accepting', async () => {
    const { rooms, port, authorizationAsked, answer } = await transportWithHeldAuthorization()
    const docName = 'plan:open'
    const client = new WebSocket(`ws://127.0.0.1:${port}/collab/${docName}`)
    const firstFrame = new Promise<void>((resolve) => client.once('message', () => resolve()))
    cleanups.push(() => client.terminate())
    await authorizationAsked
    answer({ ok: true, mode: AccessMode.ReadWrite, identity: { userId: 'ada', name: 'Ada' } })
    await firstFrame
    expect(rooms.peek(docName)).toBeDefined()
  })
})
