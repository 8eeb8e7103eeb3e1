import { type LeverServer, memoryLogger } from '@lever/server'
import { CloseCode } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { bearer, createPlan, signIn, sqliteOf, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/**
 * Makes the database really full without filling a disk: it may grow no further (SQLite's
 * max_page_count), and the free room left in its pages is taken by a filler table, so the next
 * write that needs space fails with SQLITE_FULL.
 */
function fillUp(server: LeverServer): void {
  sqliteOf(server).exec('CREATE TABLE IF NOT EXISTS test_filler (x BLOB)')
  const pages = sqliteOf(server).pragma('page_count', { simple: true }) as number
  sqliteOf(server).pragma(`max_page_count = ${pages}`)
  const insert = sqliteOf(server).prepare('INSERT INTO test_filler VALUES (?)')
  for (let size = 64 * 1024; size >= 8; ) {
    try {
      insert.run(Buffer.alloc(size))
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_FULL') throw error
      size /= 2
    }
  }
}

describe('a full disk', () => {
  let server: LeverServer
  const clients: TestClient[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    sqliteOf(server).pragma('max_page_count = 1073741823')
    await server?.close()
  })

  it('answers REST changes with a storage_full JSON error and changes nothing', async () => {
    server = await startServer()
    const token = await signIn(server)
    const list = async () =>
      (await (await fetch(`${server.url}/api/jurisdictions/boulder-co/plans`, { headers: bearer(token) })).json())
        .plans as unknown[]
    const before = (await list()).length
    fillUp(server)
    // Plans are created until one no longer fits in the pages the database has.
    let created = 0
    let res: Response | null = null
    for (let i = 0; i < 200; i++) {
      res = await fetch(`${server.url}/api/jurisdictions/boulder-co/plans`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...bearer(token) },
        body: JSON.stringify({ title: `Plan ${i}` }),
      })
      if (res.status !== 201) break
      created++
    }
    expect(res?.status).toBe(507)
    const body = await res?.json()
    expect(body.error.code).toBe('storage_full')
    expect(body.error.message).toMatch(/storage/)
    // The refused plan left nothing behind.
    expect((await list()).length).toBe(before + created)
  })

  it('closes WebSocket writers with the StorageFull code and logs it once a minute, not per write', async () => {
    const { logger, entries } = memoryLogger()
    server = await startServer({ logger })
    const token = await signIn(server)
    const plan = await createPlan(server, { token })
    const client = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(client)
    await synced(client)
    const codes: number[] = []
    client.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) codes.push(event.code)
    })
    fillUp(server)
    // A large paste: it needs new pages. The provider re-sends it at each reconnect.
    client.doc.getText('notes').insert(0, 'x'.repeat(200_000))
    await waitFor(() => codes.filter((c) => c === CloseCode.StorageFull).length >= 3, {
      message: 'three StorageFull closes',
    })
    const reports = entries.filter((e) => typeof e.msg === 'string' && e.msg.startsWith('storage is full'))
    expect(reports).toHaveLength(1)
    expect(entries.filter((e) => e.msg === 'storing an update failed; closing room')).toHaveLength(0)
  })
})
