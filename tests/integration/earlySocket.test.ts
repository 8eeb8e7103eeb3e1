import type { AddressInfo } from 'node:net'
import type { LeverServer } from '@lever/server'
import { MessageType, PlanModel, SESSION_COOKIE, sectionField } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { countingWebSocketClass, isCountingSocket } from '../../client/src/collab/CountingWebSocket.ts'
import {
  claimEarlySocket,
  connectionParams,
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
    const doc = new Y.Doc()
    let acks = 0
    const provider = new WebsocketProvider(base, plan.docName, doc, {
      params: connectionParams(plan.docName),
      disableBc: true,
      WebSocketPolyfill: countingWebSocketClass(() => {}),
    })
    // The provider took the early connection over: nothing is left to claim.
    expect(peekEarlySocket(url)).toBeNull()
    const early = provider.ws
    provider.messageHandlers[MessageType.SaveAck] = (_encoder, decoder) => {
      acks = decoding.readVarUint(decoder)
    }
    try {
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
      expect(provider.ws).toBe(early)
      // Its own connection count on the server: one, the early one.
      expect(server.rooms.peek(plan.docName)?.connectionList()).toHaveLength(1)
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

/**
 * When the provider takes the early connection over, the document is asked for once: by the
 * early connection when it had opened (whether or not the answer had come), by the provider when
 * it had not. Against a Yjs sync server (y-protocols, not Lever) that counts the requests.
 */
describe('taking over an early connection', () => {
  const original = (globalThis as { WebSocket?: unknown }).WebSocket
  let wss: WebSocketServer
  let base = ''
  const serverDoc = new Y.Doc()
  let requests = 0
  let hold: Promise<void> | null = null

  beforeAll(async () => {
    ;(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket
    serverDoc.getText('t').insert(0, 'held by the server')
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    await new Promise((resolve) => wss.once('listening', resolve))
    base = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/collab`
    wss.on('connection', (socket) => {
      // One message at a time, in order, each answered (after `hold`, when set).
      let queue = Promise.resolve()
      socket.on('message', (data: Buffer) => {
        queue = queue.then(async () => {
          const bytes = new Uint8Array(data)
          if (bytes[0] !== 0) return
          if (bytes[1] === 0) requests++
          const decoder = decoding.createDecoder(bytes)
          decoding.readVarUint(decoder)
          const encoder = encoding.createEncoder()
          encoding.writeVarUint(encoder, 0)
          syncProtocol.readSyncMessage(decoder, encoder, serverDoc, null)
          if (hold) await hold
          if (encoding.length(encoder) > 1) socket.send(encoding.toUint8Array(encoder))
        })
      })
    })
  })

  afterAll(async () => {
    ;(globalThis as { WebSocket?: unknown }).WebSocket = original
    await new Promise((resolve) => wss.close(resolve))
  })

  /** A provider on `docName` as the page makes it; returns it once its edit reached the server. */
  async function providerThatEdits(docName: string, word: string): Promise<WebsocketProvider> {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(base, docName, doc, {
      params: connectionParams(docName),
      disableBc: true,
      WebSocketPolyfill: countingWebSocketClass(() => {}),
    })
    await waitFor(() => provider.synced && provider.wsconnected, { message: 'the provider in sync' })
    expect(doc.getText('t').toString()).toContain('held by the server')
    // Messages on one connection arrive in order: a second request would come before this edit.
    doc.getText('t').insert(0, `${word} `)
    await waitFor(() => serverDoc.getText('t').toString().includes(word), { message: 'the edit on the server' })
    return provider
  }

  it('asks once, the provider asking, when it takes over a connection that has not opened yet', async () => {
    requests = 0
    openEarlySocket('plan:connecting', base)
    // Taken over in the same task: the connection is still opening.
    const provider = await providerThatEdits('plan:connecting', 'first')
    expect(requests).toBe(1)
    provider.destroy()
  })

  it('asks once when the whole document had arrived before the provider took the connection over', async () => {
    requests = 0
    const url = documentSocketUrl('plan:arrived', base)
    openEarlySocket('plan:arrived', base)
    await waitFor(() => peekEarlySocket(url)?.length, { message: 'the answer on the early connection' })
    const provider = await providerThatEdits('plan:arrived', 'second')
    expect(requests).toBe(1)
    provider.destroy()
  })

  it('asks once when the provider takes the connection over while the answer is on its way', async () => {
    requests = 0
    let release: () => void = () => {}
    hold = new Promise<void>((resolve) => {
      release = resolve
    })
    try {
      openEarlySocket('plan:onTheWay', base)
      await waitFor(() => requests === 1, { message: 'the early request at the server' })
      const editing = providerThatEdits('plan:onTheWay', 'third')
      release()
      const provider = await editing
      expect(requests).toBe(1)
      provider.destroy()
    } finally {
      hold = null
      release()
    }
  })
})
