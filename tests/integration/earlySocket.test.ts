import type { AddressInfo } from 'node:net'
import type { LeverServer } from '@lever/server'
import { MessageType, PlanModel, SESSION_COOKIE, sectionField } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { countingWebSocketClass, isCountingSocket } from '../../client/src/collab/CountingWebSocket.ts'
import {
  claimEarlySocket,
  documentSocketUrl,
  MAX_KEPT,
  openEarlySocket,
  peekEarlySocket,
} from '../../client/src/collab/earlySocket.ts'
import { paragraph } from '../support/planFixtures.ts'
import { createPlan, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/**
 * The connection a plan page opens as it starts (client/src/collab/earlySocket.ts), against a real
 * server: the browser's WebSocket is `ws` here, sending the session cookie and the page's origin
 * as a browser would.
 */
describe('a plan’s connection opened as the page starts', () => {
  let server: LeverServer
  let token = ''
  const original = (globalThis as { WebSocket?: unknown }).WebSocket

  beforeAll(async () => {
    server = await startServer()
    token = await signIn(server)
    const origin = server.url
    const cookie = `${SESSION_COOKIE}=${token}`
    class BrowserLikeSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie, origin } })
      }
    }
    ;(globalThis as { WebSocket?: unknown }).WebSocket = BrowserLikeSocket
  })

  afterAll(async () => {
    ;(globalThis as { WebSocket?: unknown }).WebSocket = original
    await server.close()
  })

  async function planWithText(text: string) {
    const plan = await createPlan(server, { token })
    await server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => {
        new PlanModel(doc).setTitle('Early plan')
        doc.getXmlFragment(sectionField('problem')).insert(0, [paragraph(text)])
      }),
    )
    return plan
  }

  const isStep2 = (data: unknown) =>
    data instanceof ArrayBuffer && new Uint8Array(data)[0] === 0 && new Uint8Array(data)[1] === 1

  it('holds the whole plan that arrived before the editor started, and the editor syncs and edits over that connection', async () => {
    const plan = await planWithText('Wages first.')
    const base = wsUrl(server)
    const url = documentSocketUrl(plan.docName, base)
    openEarlySocket(plan.docName, base)
    // The whole document arrives before anything takes the connection over.
    await waitFor(() => peekEarlySocket(url)?.some(isStep2), { message: 'the document on the early connection' })
    const claimed = claimEarlySocket(url)
    expect(claimed?.wasOpen).toBe(true)
    // Taken once: a second provider would open its own.
    expect(claimEarlySocket(url)).toBeNull()

    const doc = new Y.Doc()
    let acks = 0
    const provider = new WebsocketProvider(base, plan.docName, doc, {
      params: { acks: '1' },
      disableBc: true,
      WebSocketPolyfill: countingWebSocketClass(() => {}, claimed),
    })
    provider.messageHandlers[MessageType.SaveAck] = (_encoder, decoder) => {
      acks = decoding.readVarUint(decoder)
    }
    try {
      expect(provider.ws).toBe(claimed?.socket)
      await waitFor(() => provider.synced && provider.wsconnected, { message: 'the provider in sync' })
      expect(doc.getXmlFragment(sectionField('problem')).toString()).toContain('Wages first.')
      // An edit goes over the same connection, is counted, acknowledged and stored.
      new PlanModel(doc).setTitle('Early plan, renamed')
      await waitFor(async () => {
        let title = ''
        await server.rooms.withRoom(plan.docName, (room) => {
          title = new PlanModel(room.doc).title
        })
        return title === 'Early plan, renamed'
      })
      expect(isCountingSocket(provider.ws) && provider.ws.documentMessagesSent).toBeGreaterThan(0)
      await waitFor(() => isCountingSocket(provider.ws) && acks === provider.ws.documentMessagesSent, {
        message: 'every sent change acknowledged',
      })
      expect(provider.ws).toBe(claimed?.socket)
    } finally {
      provider.destroy()
      doc.destroy()
    }
  })

  it('closes a connection nobody takes over in time', async () => {
    const plan = await planWithText('Nobody reads this.')
    const base = wsUrl(server)
    const url = documentSocketUrl(plan.docName, base)
    openEarlySocket(plan.docName, base, 300)
    await waitFor(() => peekEarlySocket(url)?.some(isStep2), { message: 'the document on the early connection' })
    await waitFor(() => peekEarlySocket(url) === null, { message: 'the early connection given up' })
    expect(claimEarlySocket(url)).toBeNull()
    // The server saw it close: nobody is connected to the plan any more.
    await waitFor(() => (server.rooms.peek(plan.docName)?.connectionList().length ?? 0) === 0, {
      message: 'the server’s side closed',
    })
  })

  it('gives up a connection that is sent more than it keeps', async () => {
    // Not Lever: a server that sends more messages than the page keeps before its editor starts.
    const flood = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    let closedByPage = false
    flood.on('connection', (socket) => {
      socket.on('close', () => {
        closedByPage = true
      })
      for (let n = 0; n <= MAX_KEPT; n++) socket.send(new Uint8Array([1, 0]))
    })
    try {
      await new Promise((resolve) => flood.once('listening', resolve))
      const base = `ws://127.0.0.1:${(flood.address() as AddressInfo).port}/collab`
      const url = documentSocketUrl('plan:flooded', base)
      openEarlySocket('plan:flooded', base)
      expect(peekEarlySocket(url)).not.toBeNull()
      await waitFor(() => closedByPage, { message: 'the page closing the flooded connection' })
      expect(peekEarlySocket(url)).toBeNull()
      expect(claimEarlySocket(url)).toBeNull()
    } finally {
      await new Promise((resolve) => flood.close(resolve))
    }
  })
})
