import type { LeverServer } from '@lever/server'
import { CloseCode, LAYOUT_PARAM, PLAN_LAYOUT_VERSION } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { createPlan, signIn, startServer, wsUrl } from '../support/server.ts'

/** The version handshake: a client that writes an older document layout is told to reload. */
describe('layout handshake', () => {
  let server: LeverServer
  const clients: TestClient[] = []

  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server.close()
  })

  async function open(params: Record<string, string>): Promise<{ client: TestClient; outcome: Promise<number> }> {
    const token = await signIn(server)
    const docName = (await createPlan(server, { token })).docName
    const client = connectClient(wsUrl(server), docName, { params: { token, ...params } })
    clients.push(client)
    const outcome = new Promise<number>((resolve) => {
      client.provider.on('connection-close', (e) => resolve(e?.code ?? 0))
      client.provider.on('sync', (isSynced: boolean) => isSynced && resolve(0))
    })
    return { client, outcome }
  }

  it('closes a client whose plan layout is older than the server’s with ReloadRequired, before it syncs', async () => {
    // This server is a release ahead of the client: plans have a newer layout.
    server = await startServer({ collab: { layoutVersions: { plan: PLAN_LAYOUT_VERSION + 1 } } })
    const { client, outcome } = await open({ [LAYOUT_PARAM]: String(PLAN_LAYOUT_VERSION) })
    expect(await outcome).toBe(CloseCode.ReloadRequired)
    expect(client.provider.synced).toBe(false)
    // Terminal: the stock provider does not try again.
    expect(client.provider.shouldConnect).toBe(false)
  })

  it('lets a client on the current layout, and a stock client that sends none, sync', async () => {
    server = await startServer()
    expect(await (await open({ [LAYOUT_PARAM]: String(PLAN_LAYOUT_VERSION) })).outcome).toBe(0)
    const stock = await open({})
    expect(await stock.outcome).toBe(0)
    await synced(stock.client)
  })

  it('refuses a layout that is not a number as a malformed request', async () => {
    server = await startServer()
    expect(await (await open({ [LAYOUT_PARAM]: 'new' })).outcome).toBe(CloseCode.MalformedMessage)
  })
})
