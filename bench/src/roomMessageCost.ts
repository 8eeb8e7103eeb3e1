/**
 * What the room's per-message checks cost (synchronous time in `room.receive`, storage excluded:
 * an in-memory store): a keystroke update with and without the client-id claims and the token
 * buckets, and a presence change (ownership check and the stamping of the signed-in person).
 *
 *   pnpm --filter @lever/bench room-cost
 */
import {
  accessModePolicy,
  awarenessMessage,
  ClientRegistry,
  type CollabSocket,
  type ConnectionLimitsConfig,
  MemoryDocStore,
  openDatabase,
  quietLogger,
  Room,
  type RoomOptions,
  sqliteQueries,
  updateMessage,
} from '@lever/server'
import { AccessMode } from '@lever/shared'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

const N = 20_000
const socket: CollabSocket = { send() {}, close() {} }
const huge = { messagesPerSecond: 1e12, messageBurst: 1e12, bytesPerSecond: 1e15, byteBurst: 1e15 }
/** Limits that never trip, so that every message pays for the buckets and none is refused. */
const unlimited: ConnectionLimitsConfig = { updates: huge, presence: huge, syncRequests: huge }
const identity = { userId: 'u1', name: 'Lee Lead', moderator: true }

function keystrokes(): Uint8Array[] {
  const doc = new Y.Doc()
  const frames: Uint8Array[] = []
  doc.on('update', (u: Uint8Array) => frames.push(updateMessage(u)))
  for (let i = 0; i < N; i++) doc.getText('t').insert(i, 'x')
  return frames
}

function presence(clientId: number): Uint8Array[] {
  return Array.from({ length: N }, (_, i) => {
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, 1)
    encoding.writeVarUint(e, clientId)
    encoding.writeVarUint(e, i + 1)
    encoding.writeVarString(
      e,
      JSON.stringify({
        user: { name: 'Lee', color: '#123456' },
        // A caret as an editor sends it: two relative positions in the shared text.
        cursor: {
          anchor: { item: { client: clientId, clock: i }, assoc: 0 },
          head: { item: { client: clientId, clock: i }, assoc: 0 },
        },
      }),
    )
    return awarenessMessage(encoding.toUint8Array(e))
  })
}

async function perMessage(frames: Uint8Array[], extra: Partial<RoomOptions>): Promise<number> {
  const room = new Room({
    docName: 'plan:bench',
    store: new MemoryDocStore(),
    logger: quietLogger(),
    compaction: { maxRows: 1e9, maxBytes: 1e15 },
    updatePolicy: accessModePolicy,
    onEmpty() {},
    onClosed() {},
    ...extra,
  })
  await room.loaded
  const conn = room.connect(socket, { mode: AccessMode.ReadWrite, acks: false, identity })
  const start = performance.now()
  for (const f of frames) room.receive(conn, f)
  const elapsed = performance.now() - start
  if (conn.closed) throw new Error('the connection was closed')
  await room.close()
  return (elapsed * 1000) / frames.length
}

async function median(run: () => Promise<number>): Promise<number> {
  const runs: number[] = []
  for (let i = 0; i < 5; i++) runs.push(await run())
  return runs.sort((a, b) => a - b)[2] as number
}

const keys = keystrokes()
const clients = new ClientRegistry(sqliteQueries(openDatabase({ dataDir: ':memory:' })))
await perMessage(keys, { clients, limits: unlimited }) // warm up
const bare = await median(() => perMessage(keys, {}))
const withClaims = await median(() => perMessage(keys, { clients }))
const full = await median(() => perMessage(keys, { clients, limits: unlimited }))
const pres = await median(() => perMessage(presence(777), { limits: unlimited }))
const lines = [
  `keystroke update, no claims, no limits: ${bare.toFixed(1)} µs`,
  `keystroke update, client-id claim:      ${withClaims.toFixed(1)} µs`,
  `keystroke update, claim + buckets:      ${full.toFixed(1)} µs`,
  `presence change (own entry, stamped):   ${pres.toFixed(1)} µs`,
]
process.stdout.write(`${lines.join('\n')}\n`)
