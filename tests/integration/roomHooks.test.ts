import { type LeverServer, openDatabase } from '@lever/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { createPlan, FACILITATOR, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

interface Seen {
  origin: { kind: string; userId?: string | null; reason?: string; instanceId?: string }
  author: string | null
  seq: number | undefined
  /** The update's row, read through a second database connection when the hook ran. */
  committedRow: Uint8Array | null
  update: Uint8Array
}

/** Hooks see each change once it is durable, with where it came from and whom it is by. */
describe('document hooks', () => {
  let server: LeverServer
  let docName: string
  let token: string
  let franId: string
  let reader: ReturnType<typeof openDatabase>
  const seen: Seen[] = []
  const clients: TestClient[] = []

  beforeAll(async () => {
    const dataDir = tempDir()
    server = await startServer({ dataDir })
    // A second connection sees only what is committed.
    reader = openDatabase({ dataDir })
    const committed = reader.prepare('SELECT data FROM doc_updates WHERE seq = ?')
    server.documents.addHook({
      name: 'test-recorder',
      kinds: ['plan'],
      afterChange(room, _id, _kind, change) {
        if (room.name !== docName) return
        const row = change.seq === undefined ? undefined : (committed.get(change.seq) as { data: Buffer } | undefined)
        seen.push({
          origin: change.origin,
          author: change.author,
          seq: change.seq,
          committedRow: row ? new Uint8Array(row.data) : null,
          update: change.update,
        })
      },
    })
    token = await signIn(server, FACILITATOR)
    franId = (await server.auth.users.getByEmail(FACILITATOR))?.id as string
    docName = (await createPlan(server, { token })).docName
  })
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy()
    reader.close()
    await server.close()
  })

  it('gives a client’s change to the hooks with its origin and author, once it is committed', async () => {
    const client = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(client)
    await synced(client)
    seen.length = 0
    client.doc.getText('text').insert(0, 'hooked')
    const change = await waitFor(() => seen.find((s) => s.origin.kind === 'client'), { message: 'the hook' })
    expect(change.origin).toMatchObject({ kind: 'client', userId: franId })
    expect(change.author).toBe(franId)
    expect(change.committedRow).toEqual(change.update)
    const applied = new Y.Doc()
    Y.applyUpdate(applied, change.update)
    expect(applied.getText('text').toString()).toBe('hooked')
  })

  it('gives a server change its reason and the person it was made for', async () => {
    const room = server.rooms.peek(docName)
    if (!room) throw new Error('room not loaded')
    seen.length = 0
    room.transactServer((doc) => doc.getMap('map').set('restored', true), { userId: franId, reason: 'restore' })
    const change = await waitFor(() => seen.find((s) => s.origin.kind === 'server'), { message: 'the hook' })
    expect(change.origin).toEqual({ kind: 'server', userId: franId, reason: 'restore' })
    expect(change.author).toBe(franId)
    expect(change.committedRow).toEqual(change.update)
  })

  it('forwards a peer server’s change to clients and hooks without storing it again', async () => {
    const room = server.rooms.peek(docName)
    const client = clients[0]
    if (!room || !client) throw new Error('room not loaded')
    const rowsBefore = (await server.store.load(docName)).rows
    const elsewhere = new Y.Doc()
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(room.doc))
    const before = Y.encodeStateVector(elsewhere)
    elsewhere.getText('peer').insert(0, 'from another server')
    seen.length = 0
    room.applyPeerUpdate(Y.encodeStateAsUpdate(elsewhere, before), { instanceId: 'lever-2', author: franId })
    await waitFor(() => client.doc.getText('peer').toString() === 'from another server', { message: 'the client' })
    const change = await waitFor(() => seen.find((s) => s.origin.kind === 'peer'), { message: 'the hook' })
    expect(change.origin).toEqual({ kind: 'peer', instanceId: 'lever-2' })
    expect(change.author).toBe(franId)
    expect(change.seq).toBeUndefined()
    expect((await server.store.load(docName)).rows).toBe(rowsBefore)
  })
})
