import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { createPlan, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { type SpawnedServer, spawnServer } from '../support/spawnServer.ts'
import { sleep, waitFor } from '../support/wait.ts'

const collabUrl = (url: string) => `${url.replace(/^http/, 'ws')}/collab`

/** The clock a document has seen from one client (0 if none). */
function clockOf(doc: Y.Doc, clientId: number): number {
  return Y.decodeStateVector(Y.encodeStateVector(doc)).get(clientId) ?? 0
}

describe('durability', () => {
  const clients: TestClient[] = []
  const processes: SpawnedServer[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    for (const p of processes.splice(0)) {
      p.child.kill('SIGKILL')
      await p.exited
    }
  })

  it('keeps content across a graceful restart', async () => {
    const dataDir = tempDir()
    const first = await startServer({ dataDir })
    const token = await signIn(first)
    const docName = (await createPlan(first, { token })).docName
    const writer = connectClient(wsUrl(first), docName, { params: { token } })
    clients.push(writer)
    await synced(writer)
    writer.doc.getText('text').insert(0, 'before restart')
    writer.doc.getArray('list').push(['a', 'b'])
    await waitFor(async () => (await first.store.load(docName)).rows >= 3, { message: 'updates stored' })
    writer.destroy()
    await first.close()

    const second = await startServer({ dataDir })
    const reader = connectClient(wsUrl(second), docName, { params: { token: await signIn(second) } })
    clients.push(reader)
    await synced(reader)
    expect(reader.doc.getText('text').toString()).toBe('before restart')
    expect(reader.doc.getArray('list').toJSON()).toEqual(['a', 'b'])
    await second.close()
  })

  it('stops cleanly on SIGTERM: exit code 0 and every acknowledged edit stored', async () => {
    const dataDir = tempDir()
    const server = await spawnServer({ DATA_DIR: dataDir })
    processes.push(server)
    const token = await signIn(server)
    const docName = (await createPlan(server, { token })).docName
    const writer = connectClient(collabUrl(server.url), docName, { params: { token } })
    const observer = connectClient(collabUrl(server.url), docName, { params: { token } })
    clients.push(writer, observer)
    await Promise.all([synced(writer), synced(observer)])
    for (let i = 0; i < 50; i++) writer.doc.getArray('list').push([i])
    await waitFor(() => observer.doc.getArray('list').length === 50, { message: 'observer to receive 50 items' })
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    writer.destroy()
    observer.destroy()

    const again = await spawnServer({ DATA_DIR: dataDir })
    processes.push(again)
    const reader = connectClient(collabUrl(again.url), docName, { params: { token: await signIn(again) } })
    clients.push(reader)
    await synced(reader)
    expect(reader.doc.getArray('list').toJSON()).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })

  it('loses no edit another client had received when the server is killed with SIGKILL mid-editing', async () => {
    const dataDir = tempDir()
    let docName = ''
    // Several kills, each at a random moment, each followed by a restart on the same data.
    for (let round = 0; round < 3; round++) {
      const server = await spawnServer({ DATA_DIR: dataDir })
      processes.push(server)
      const token = await signIn(server)
      if (!docName) docName = (await createPlan(server, { token })).docName
      const a = connectClient(collabUrl(server.url), docName, { params: { token } })
      const b = connectClient(collabUrl(server.url), docName, { params: { token } })
      clients.push(a, b)
      await Promise.all([synced(a), synced(b)])

      // Both write as fast as the event loop lets them; each receives the other's edits.
      let writing = true
      const write = async (client: TestClient, tag: string) => {
        let i = 0
        while (writing) {
          client.doc.transact(() => {
            client.doc.getArray('list').push([`${tag}${round}-${i}`])
            client.doc.getText('text').insert(0, tag)
          })
          i++
          if (i % 5 === 0) await sleep(1)
        }
      }
      const writers = [write(a, 'a'), write(b, 'b')]
      await waitFor(() => clockOf(b.doc, a.doc.clientID) > 300 && clockOf(a.doc, b.doc.clientID) > 300, {
        message: 'both clients to have received edits',
      })
      await sleep(50 + Math.floor(Math.random() * 200))
      server.child.kill('SIGKILL')
      writing = false
      await Promise.all(writers)
      await server.exited

      // What each client had received from the other when the server died.
      const bSawOfA = clockOf(b.doc, a.doc.clientID)
      const aSawOfB = clockOf(a.doc, b.doc.clientID)
      const bSawItems = b.doc
        .getArray<string>('list')
        .toJSON()
        .filter((x) => x.startsWith('a'))
      const aSawItems = a.doc
        .getArray<string>('list')
        .toJSON()
        .filter((x) => x.startsWith('b'))
      const aClient = a.doc.clientID
      const bClient = b.doc.clientID
      // Neither may reconnect: what the restarted server has must come from its disk alone.
      a.destroy()
      b.destroy()

      const again = await spawnServer({ DATA_DIR: dataDir })
      processes.push(again)
      const reader = connectClient(collabUrl(again.url), docName, { params: { token: await signIn(again) } })
      clients.push(reader)
      await synced(reader)
      expect(clockOf(reader.doc, aClient)).toBeGreaterThanOrEqual(bSawOfA)
      expect(clockOf(reader.doc, bClient)).toBeGreaterThanOrEqual(aSawOfB)
      const stored = new Set(reader.doc.getArray<string>('list').toJSON())
      expect(bSawItems.filter((x) => !stored.has(x))).toEqual([])
      expect(aSawItems.filter((x) => !stored.has(x))).toEqual([])
      reader.destroy()
      again.child.kill('SIGTERM')
      await again.exited
    }
  })
})
