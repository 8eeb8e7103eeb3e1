import http from 'node:http'
import net from 'node:net'
import { memoryLogger } from '@lever/server'
import { CloseCode, PlanModel, sectionField } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced } from '../support/clients.ts'
import { createPlan, lead, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/**
 * Starts a POST whose body is sent in two parts: the headers and the first part now, the rest
 * when `finish` is called. Resolves with the answer (or rejects when the connection is cut).
 */
function slowPost(url: string, token: string, body: string) {
  const request = http.request(url, {
    method: 'POST',
    agent: false,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      authorization: `Bearer ${token}`,
    },
  })
  const answer = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    request.on('error', reject)
    request.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, connection: res.headers.connection }))
      res.on('error', reject)
    })
  })
  request.write(body.slice(0, 5))
  return { answer, finish: () => request.end(body.slice(5)) }
}

describe('shutdown', () => {
  it('a request in flight when close starts gets its real answer, and what it wrote is stored', async () => {
    const dataDir = tempDir()
    const { logger, lines } = memoryLogger()
    const server = await startServer({ dataDir, logger })
    const token = await signIn(server, lead('boulder-co'))
    // Someone editing a plan while the server closes.
    const edited = await createPlan(server, { jurisdictionId: 'boulder-co', title: 'Being edited', token })
    const editor = connectClient(wsUrl(server), edited.docName, { params: { token } })
    const closeCodes: number[] = []
    editor.provider.on('connection-close', (event) => {
      if (event) closeCodes.push(event.code)
    })
    await synced(editor)
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('Typed before the shutdown.')])
    editor.doc.getXmlFragment(sectionField('problem')).insert(0, [paragraph])
    await waitFor(
      () => {
        const doc = server.rooms.peek(edited.docName)?.doc
        return doc && new PlanModel(doc).snapshot().sections.problem === 'Typed before the shutdown.'
      },
      { message: 'the edit to reach the server' },
    )
    const post = slowPost(
      `${server.url}/api/jurisdictions/boulder-co/plans`,
      token,
      JSON.stringify({ title: 'Sent while the server closes' }),
    )
    post.answer.catch(() => {})
    // The server has the request (its body is still coming) when close begins.
    await waitFor(() => server.requestsInFlight() === 1, { message: 'the request to reach the server' })
    let closed = false
    const closing = server.close().finally(() => {
      closed = true
    })
    // Close went as far as it goes while a request is under way (or, if it does not wait, all the way).
    await waitFor(() => closed || lines.some((l) => l.msg === 'waiting for requests in flight'), {
      message: 'close to wait for the request',
    })
    expect(closed).toBe(false)
    // No new connection is accepted meanwhile.
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow()
    post.finish()
    const answer = await post.answer
    expect(answer.status).toBe(201)
    expect(answer.connection).toBe('close')
    const plan = JSON.parse(answer.body) as { id: string; title: string }
    expect(plan.title).toBe('Sent while the server closes')
    await closing
    // The editor was told the server is going away (and reconnects elsewhere).
    await waitFor(() => closeCodes.length > 0, { message: 'the editor to be disconnected' })
    expect(closeCodes[0]).toBe(CloseCode.GoingAway)
    editor.destroy()

    const again = await startServer({ dataDir })
    try {
      expect((await again.plans.get(plan.id))?.title).toBe('Sent while the server closes')
      const problem = await again.rooms.withRoom(
        edited.docName,
        (room) => new PlanModel(room.doc).snapshot().sections.problem,
      )
      expect(problem).toBe('Typed before the shutdown.')
    } finally {
      await again.close()
    }
  })

  it('waits for requests in flight only so long: one whose body never ends is cut off and close completes', async () => {
    const { logger, lines } = memoryLogger()
    const server = await startServer({ logger, shutdownRequestGraceMs: 200 })
    const token = await signIn(server, lead('boulder-co'))
    const post = slowPost(`${server.url}/api/jurisdictions/boulder-co/plans`, token, JSON.stringify({ title: 'Never' }))
    await waitFor(() => server.requestsInFlight() === 1, { message: 'the request to reach the server' })
    await server.close()
    await expect(post.answer).rejects.toThrow()
    expect(lines.some((l) => l.msg === 'requests still in flight at shutdown were cut off')).toBe(true)
  })

  // ws gives a client 30 s to answer the close frame; close must not wait that long for one that
  // never does (this test's own time limit is well under it).
  it('a WebSocket client that never answers the close frame does not hold close up', async () => {
    const server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token })
    // A client that upgrades, then never reads or answers anything (no WebSocket library would).
    let received = ''
    let socketClosed = false
    const socket = net.connect(server.port, '127.0.0.1')
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      received += chunk
    })
    socket.on('close', () => {
      socketClosed = true
    })
    socket.on('error', () => {})
    socket.write(
      [
        `GET /collab/${encodeURIComponent(plan.docName)}?token=${encodeURIComponent(token)} HTTP/1.1`,
        'Host: 127.0.0.1',
        'Upgrade: websocket',
        'Connection: Upgrade',
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    )
    await waitFor(() => received.startsWith('HTTP/1.1 101'), { message: 'the upgrade' })
    await waitFor(() => server.transport.connectionCount === 1, { message: 'the connection to be counted' })
    await server.close()
    await waitFor(() => socketClosed, { message: 'the socket to be closed' })
  }, 20_000)
})
