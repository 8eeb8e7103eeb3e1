import type { LeverServer } from '@lever/server'
import { CloseCode } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { createPlan, FACILITATOR, lead, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { spawnServer } from '../support/spawnServer.ts'
import { waitFor } from '../support/wait.ts'

/** Who wrote what: every Yjs client id of a document belongs to one person (or the server). */
describe('client ids', () => {
  let server: LeverServer
  let docName: string
  let franToken: string
  let leadToken: string
  let franId: string
  let leadId: string
  const clients: TestClient[] = []

  const join = (token: string) => {
    const c = connectClient(wsUrl(server), docName, { params: { token } })
    clients.push(c)
    return c
  }
  const closeCode = (c: TestClient) =>
    new Promise<number>((resolve) => c.provider.on('connection-close', (e) => resolve(e?.code ?? 0)))
  const storedText = async (name: string) => {
    const doc = new Y.Doc()
    for (const u of (await server.store.load(docName)).updates) Y.applyUpdate(doc, u)
    return doc.getText(name).toString()
  }

  beforeAll(async () => {
    server = await startServer()
    franToken = await signIn(server, FACILITATOR)
    leadToken = await signIn(server, lead('boulder-co'))
    franId = (await server.auth.users.getByEmail(FACILITATOR))?.id as string
    leadId = (await server.auth.users.getByEmail(lead('boulder-co')))?.id as string
    docName = (await createPlan(server, { token: franToken, jurisdictionId: 'boulder-co' })).docName
  })
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server.close()
  })

  it('records the person behind each client id on first sight', async () => {
    const fran = join(franToken)
    const teamLead = join(leadToken)
    await Promise.all([synced(fran), synced(teamLead)])
    fran.doc.getText('text').insert(0, 'Fran wrote this. ')
    teamLead.doc.getText('other').insert(0, 'The lead wrote this.')
    await waitFor(async () => (await storedText('other')) === 'The lead wrote this.', { message: 'both stored' })
    expect(server.clients.ownerOf(docName, fran.doc.clientID)).toBe(franId)
    expect(server.clients.ownerOf(docName, teamLead.doc.clientID)).toBe(leadId)
  })

  it('refuses an update written with another person’s client id before anything of it is applied', async () => {
    const fran = join(franToken)
    const thief = join(leadToken)
    const watcher = join(franToken)
    await Promise.all([synced(fran), synced(thief), synced(watcher)])
    fran.doc.getText('text').insert(0, 'Mine. ')
    await waitFor(() => thief.doc.getText('text').toString().startsWith('Mine. '), { message: 'Fran’s edit' })
    const closed = closeCode(thief)
    thief.provider.shouldConnect = false
    // Write as Fran: the same client id, continuing her clock.
    const own = thief.doc.clientID
    thief.doc.clientID = fran.doc.clientID
    thief.doc.getText('text').insert(0, 'Forged by the lead. ')
    expect(await closed).toBe(CloseCode.ClientIdTaken)
    thief.doc.clientID = own // the provider's presence still goes by it
    // Fran's next edit reaches the watcher after anything the thief sent before it would have.
    fran.doc.getText('text').insert(0, 'Later. ')
    await waitFor(() => watcher.doc.getText('text').toString().startsWith('Later. '), { message: 'Fran’s later edit' })
    expect(watcher.doc.getText('text').toString()).not.toContain('Forged')
    expect(server.rooms.peek(docName)?.doc.getText('text').toString()).not.toContain('Forged')
    expect(await storedText('text')).not.toContain('Forged')
    expect(server.clients.ownerOf(docName, fran.doc.clientID)).toBe(franId)
  })

  it('records the server’s own changes under no person, and refuses a client writing with the server’s id', async () => {
    const room = server.rooms.peek(docName)
    if (!room) throw new Error('room not loaded')
    room.transactServer((doc) => doc.getMap('map').set('by', 'server'), { reason: 'test' })
    await room.whenDurable()
    const serverId = room.doc.clientID
    expect(server.clients.ownerOf(docName, serverId)).toBeNull()

    const thief = join(leadToken)
    await synced(thief)
    await waitFor(() => thief.doc.getMap('map').get('by') === 'server', { message: 'the server’s change' })
    const closed = closeCode(thief)
    thief.provider.shouldConnect = false
    const own = thief.doc.clientID
    thief.doc.clientID = serverId
    thief.doc.getMap('map').set('by', 'the lead, as the server')
    expect(await closed).toBe(CloseCode.ClientIdTaken)
    thief.doc.clientID = own
    expect(room.doc.getMap('map').get('by')).toBe('server')
  })

  it('keeps a claim through a kill -9 once anyone has seen the edit it came with', async () => {
    const dataDir = tempDir()
    const first = await spawnServer({ DATA_DIR: dataDir })
    const local: TestClient[] = []
    try {
      const token = await signIn(first, FACILITATOR)
      const plan = (await createPlan(first, { token, jurisdictionId: 'boulder-co' })).docName
      const fran = connectClient(wsUrl(first), plan, { params: { token } })
      const watcher = connectClient(wsUrl(first), plan, { params: { token: await signIn(first, lead('boulder-co')) } })
      local.push(fran, watcher)
      await Promise.all([synced(fran), synced(watcher)])
      fran.doc.getText('text').insert(0, 'Seen before the crash. ')
      await waitFor(() => watcher.doc.getText('text').toString().startsWith('Seen'), { message: 'the edit to arrive' })
      first.child.kill('SIGKILL')
      await first.exited
      for (const c of local.splice(0)) c.destroy()

      const second = await spawnServer({ DATA_DIR: dataDir })
      try {
        const thief = connectClient(wsUrl(second), plan, {
          params: { token: await signIn(second, lead('boulder-co')) },
        })
        local.push(thief)
        await synced(thief)
        expect(thief.doc.getText('text').toString()).toBe('Seen before the crash. ')
        const closed = closeCode(thief)
        thief.provider.shouldConnect = false
        const own = thief.doc.clientID
        thief.doc.clientID = fran.doc.clientID
        thief.doc.getText('text').insert(0, 'Forged after the crash. ')
        expect(await closed).toBe(CloseCode.ClientIdTaken)
        thief.doc.clientID = own // the provider's presence still goes by it
      } finally {
        second.child.kill('SIGKILL')
        await second.exited
      }
    } finally {
      for (const c of local.splice(0)) c.destroy()
      first.child.kill('SIGKILL')
    }
  })
})
