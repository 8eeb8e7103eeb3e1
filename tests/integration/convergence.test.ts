import type { LeverServer } from '@lever/server'
import * as prng from 'lib0/prng'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, converged, snapshotOf, synced, type TestClient } from '../support/clients.ts'
import { randomEdit } from '../support/randomEdits.ts'
import { createPlan, signIn, startServer, wsUrl } from '../support/server.ts'
import { sleep } from '../support/wait.ts'

/** Set LEVER_SEED to replay a failing run. */
const baseSeed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))

describe('convergence through the server', () => {
  let server: LeverServer
  let clients: TestClient[] = []
  let token = ''

  beforeEach(async () => {
    server = await startServer()
    token = await signIn(server)
  })
  afterEach(async () => {
    for (const c of clients) c.destroy()
    clients = []
    await server.close()
  })

  for (const round of [0, 1, 2]) {
    it(`4 stock providers with random edits and random disconnects converge (seed ${baseSeed}+${round})`, async (ctx) => {
      const seed = baseSeed + round
      ctx.onTestFailed(() => {
        console.error(`convergence failed with LEVER_SEED=${baseSeed} (round ${round}, seed ${seed})`)
      })
      const gen = prng.create(seed)
      const { docName } = await createPlan(server, { title: `Fuzz ${round}`, token })
      clients = Array.from({ length: 4 }, () => connectClient(wsUrl(server), docName, { params: { token } }))
      await Promise.all(clients.map((c) => synced(c)))

      for (let step = 0; step < 1200; step++) {
        const client = clients[prng.int32(gen, 0, clients.length - 1)] as TestClient
        if (prng.int32(gen, 0, 19) === 0) {
          if (client.provider.shouldConnect) client.provider.disconnect()
          else client.provider.connect()
        } else {
          randomEdit(gen, client.doc)
        }
        if (step % 6 === 0) await sleep(prng.int32(gen, 0, 3))
      }
      for (const c of clients) if (!c.provider.shouldConnect) c.provider.connect()
      await Promise.all(clients.map((c) => synced(c)))
      await converged(clients.map((c) => c.doc))

      // The server's copy and the stored log agree with the clients.
      const room = server.rooms.peek(docName)
      expect(room).toBeDefined()
      await room?.whenDurable()
      const stored = new Y.Doc()
      for (const u of (await server.store.load(docName)).updates) Y.applyUpdate(stored, u)
      const expected = snapshotOf(clients[0]?.doc as Y.Doc)
      expect(snapshotOf(room?.doc as Y.Doc)).toEqual(expected)
      expect(snapshotOf(stored)).toEqual(expected)
    })
  }
})
