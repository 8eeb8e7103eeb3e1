import type { LeverServer } from '@lever/server'
import { CloseCode, MessageType, SyncMessageType } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { createPlan, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const MAX_MESSAGE_BYTES = 64 * 1024

function validUpdate(text: string): Uint8Array {
  const doc = new Y.Doc()
  doc.getText('text').insert(0, text)
  return Y.encodeStateAsUpdate(doc)
}

const cases: Array<{ name: string; code: number; frame: () => Uint8Array | string }> = [
  { name: 'a garbage frame', code: CloseCode.MalformedMessage, frame: () => new Uint8Array([0xff, 0xff, 0xff]) },
  {
    name: 'a truncated frame',
    code: CloseCode.MalformedMessage,
    frame: () => {
      const whole = syncUpdateFrame(validUpdate('truncated in transit'))
      return whole.subarray(0, Math.floor(whole.length / 2))
    },
  },
  { name: 'an empty frame', code: CloseCode.MalformedMessage, frame: () => new Uint8Array([]) },
  { name: 'an unknown message type', code: CloseCode.UnknownMessageType, frame: () => new Uint8Array([42, 0]) },
  {
    name: 'an unknown sync message type',
    code: CloseCode.MalformedMessage,
    frame: () => new Uint8Array([MessageType.Sync, 9, 0]),
  },
  {
    name: 'a frame over the size limit',
    code: CloseCode.MessageTooBig,
    frame: () => syncUpdateFrame(validUpdate('x'.repeat(MAX_MESSAGE_BYTES * 2))),
  },
  {
    name: 'an update Yjs cannot decode',
    code: CloseCode.InvalidUpdate,
    frame: () => {
      const update = validUpdate('cut short')
      return syncUpdateFrame(update.subarray(0, update.length - 4), SyncMessageType.Update)
    },
  },
  {
    name: 'an awareness update that is not valid',
    code: CloseCode.MalformedMessage,
    frame: () => new Uint8Array([MessageType.Awareness, 4, 1, 7, 1, 0x7b]),
  },
  {
    // Entries are read whole, their states only when applied: a new presence whose state is not
    // JSON is refused when it would be applied.
    name: 'a new presence whose state is not JSON',
    code: CloseCode.MalformedMessage,
    frame: () => new Uint8Array([MessageType.Awareness, 5, 1, 9, 1, 1, 0x7b]),
  },
  {
    name: 'a new presence whose state is not an object',
    code: CloseCode.MalformedMessage,
    frame: () => new Uint8Array([MessageType.Awareness, 6, 1, 11, 1, 2, 0x5b, 0x5d]),
  },
  { name: 'a text frame', code: CloseCode.MalformedMessage, frame: () => 'hello' },
]

describe('bad input on /collab', () => {
  let server: LeverServer
  let writer: TestClient
  let reader: TestClient
  let docName = ''
  let token = ''

  beforeAll(async () => {
    server = await startServer({ collab: { maxMessageBytes: MAX_MESSAGE_BYTES } })
    token = await signIn(server)
    docName = (await createPlan(server, { token })).docName
    writer = connectClient(wsUrl(server), docName, { params: { token } })
    reader = connectClient(wsUrl(server), docName, { params: { token } })
    await Promise.all([synced(writer), synced(reader)])
    writer.doc.getText('text').insert(0, 'start')
    await waitFor(() => reader.doc.getText('text').toString() === 'start', { message: 'first edit to arrive' })
  })
  afterAll(async () => {
    writer.destroy()
    reader.destroy()
    await server.close()
  })

  for (const c of cases) {
    it(`closes the connection that sends ${c.name} with ${c.code}, and nothing else changes`, async () => {
      const room = server.rooms.peek(docName)
      await room?.whenDurable()
      const before = await server.store.load(docName)
      const offender = await rawClient(`${wsUrl(server)}/${docName}?token=${token}`)
      offender.send(c.frame() as Uint8Array)
      const { code } = await offender.closed
      expect(code).toBe(c.code)

      // The stored document is untouched and the room is still the same room.
      const after = await server.store.load(docName)
      expect(after.rows).toBe(before.rows)
      expect(server.rooms.peek(docName)).toBe(room)
      // The other clients were not disconnected and keep syncing.
      expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true)
      const marker = ` ${c.code}-${Math.random().toString(36).slice(2, 6)}`
      writer.doc.getText('text').insert(writer.doc.getText('text').length, marker)
      await waitFor(() => reader.doc.getText('text').toString().endsWith(marker), {
        message: 'edit after the bad frame',
      })
    })
  }

  it('refuses a connection to a malformed document name with DocumentNotFound', async () => {
    const client = await rawClient(`${wsUrl(server)}/${encodeURIComponent('no spaces allowed')}?token=${token}`)
    expect((await client.closed).code).toBe(CloseCode.DocumentNotFound)
  })

  it('still answers HTTP after all of it', async () => {
    const res = await fetch(`${server.url}/api/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true })
  })
})
