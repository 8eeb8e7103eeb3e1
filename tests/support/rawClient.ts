import { MessageType, SyncMessageType } from '@lever/shared'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'

export interface RawClient {
  ws: WebSocket
  received: Buffer[]
  closed: Promise<{ code: number; reason: string }>
  send(data: Uint8Array): void
}

/** A bare WebSocket speaking raw frames, for sending what no well-behaved provider would. */
export async function rawClient(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
  const ws = new WebSocket(url, { headers })
  const received: Buffer[] = []
  ws.on('message', (data) => received.push(data as Buffer))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
  })
  ws.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('close', () => resolve())
    ws.once('error', reject)
  })
  return { ws, received, closed, send: (data) => ws.send(data) }
}

export function syncUpdateFrame(update: Uint8Array, type: number = SyncMessageType.Update): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.Sync)
  encoding.writeVarUint(e, type)
  encoding.writeVarUint8Array(e, update)
  return encoding.toUint8Array(e)
}

/** An awareness frame as any client can write it: client id, clock and state per entry, unchecked. */
export function awarenessFrame(entries: Array<{ clientId: number; clock: number; state: unknown }>): Uint8Array {
  const update = encoding.createEncoder()
  encoding.writeVarUint(update, entries.length)
  for (const e of entries) {
    encoding.writeVarUint(update, e.clientId)
    encoding.writeVarUint(update, e.clock)
    encoding.writeVarString(update, JSON.stringify(e.state))
  }
  const frame = encoding.createEncoder()
  encoding.writeVarUint(frame, MessageType.Awareness)
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(update))
  return encoding.toUint8Array(frame)
}
