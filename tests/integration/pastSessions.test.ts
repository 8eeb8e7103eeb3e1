import type { LeverServer } from '@lever/server'
import { CloseCode, SessionModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { bearer, FACILITATOR, signIn, startServer, wsUrl } from '../support/server.ts'

describe('past sessions are read-only on the server', () => {
  let server: LeverServer
  let facilitator = ''
  const clients: TestClient[] = []
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...bearer(facilitator) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  const pastSession = async () => {
    const { sessions } = await (await api('GET', '/sessions')).json()
    return sessions.find((s: { title: string }) => s.title === 'Lever 1: Procurement') as {
      id: string
      docName: string
    }
  }

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('refuses to start or edit a session whose time has passed, but lets it be moved to a future date', async () => {
    const session = await pastSession() // seeded curriculum, January 2023
    const start = await api('POST', `/sessions/${session.id}/start`)
    expect(start.status).toBe(409)
    expect((await start.json()).error.code).toBe('session_past')
    const edit = await api('PATCH', `/sessions/${session.id}`, { title: 'Renamed' })
    expect(edit.status).toBe(409)
    expect((await edit.json()).error.code).toBe('session_past')
    const moved = await api('PATCH', `/sessions/${session.id}`, {
      startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    })
    expect(moved.status).toBe(200)
    expect((await api('POST', `/sessions/${session.id}/start`)).status).toBe(200)
  })

  it('refuses to start again or edit a session that has ended', async () => {
    const created = await (
      await api('POST', '/sessions', { title: 'Today', startsAt: new Date(Date.now() + 60_000).toISOString() })
    ).json()
    expect((await api('POST', `/sessions/${created.id}/start`)).status).toBe(200)
    expect((await api('POST', `/sessions/${created.id}/end`)).status).toBe(200)
    const again = await api('POST', `/sessions/${created.id}/start`)
    expect(again.status).toBe(409)
    expect((await again.json()).error.code).toBe('session_past')
    expect((await api('PATCH', `/sessions/${created.id}`, { title: 'Renamed' })).status).toBe(409)
    const { sessions } = await (await api('GET', '/sessions')).json()
    expect(sessions.find((s: { id: string }) => s.id === created.id)).toMatchObject({ title: 'Today', status: 'ended' })
  })

  it('gives even a facilitator a read-only connection to a past session’s room', async () => {
    const { sessions } = await (await api('GET', '/sessions')).json()
    const past = sessions.find((s: { title: string }) => s.title === 'Lever 2: HR practices') as { docName: string }
    const reader = connectClient(wsUrl(server), past.docName, { params: { token: facilitator } })
    clients.push(reader)
    await synced(reader)
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(reader.doc))
    const before = Y.encodeStateVector(replica)
    new SessionModel(replica).addGroup('Too late', 'Nobody will join')
    const raw = await rawClient(`${wsUrl(server)}/${past.docName}?token=${facilitator}`)
    raw.send(syncUpdateFrame(Y.encodeStateAsUpdate(replica, before)))
    expect((await raw.closed).code).toBe(CloseCode.WriteNotAllowed)
    expect(new SessionModel(reader.doc).groups.list()).toEqual([])
  })
})
