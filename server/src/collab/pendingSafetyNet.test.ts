import { AccessMode, CloseCode } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import type { CollabSocket } from './Connection.ts'
import { updateMessage } from './messages.ts'
import { Room } from './Room.ts'
import { accessModePolicy } from './updatePolicy.ts'

class Socket implements CollabSocket {
  closedWith: number | null = null
  send(): void {}
  close(code: number): void {
    this.closedWith = code
  }
}

const rw = { mode: AccessMode.ReadWrite, acks: false, identity: { userId: null, name: 'Test' } }

/** An update whose only item hangs from an item of a client the server never heard of. */
function updateWithMissingDependency(): Uint8Array {
  const source = new Y.Doc()
  source.getText('t').insert(0, 'a')
  const first = Y.encodeStateAsUpdate(source)
  const before = Y.encodeStateVector(source)
  source.getText('t').insert(1, 'b')
  const target = new Y.Doc()
  target.clientID = source.clientID + 1
  Y.applyUpdate(target, first)
  target.getText('t').insert(1, 'c') // origin: the source's first item
  return Y.encodeStateAsUpdate(target, before)
}

describe('the safety net behind the update policy', () => {
  it('refuses what the policy refuses: an update with a missing dependency closes its sender with a retryable code', async () => {
    const store = new MemoryDocStore()
    const room = new Room({
      docName: 'plan:net',
      store,
      logger: quietLogger(),
      compaction: { maxRows: 1000, maxBytes: 1 << 30 },
      updatePolicy: accessModePolicy,
      onEmpty: () => {},
      onClosed: () => {},
    })
    await room.loaded
    const sender = new Socket()
    const other = new Socket()
    const conn = room.connect(sender, rw)
    room.connect(other, rw)
    room.receive(conn, updateMessage(updateWithMissingDependency()))
    expect(sender.closedWith).toBe(CloseCode.MissingDependencies)
    expect(other.closedWith).toBeNull()
    expect(room.doc.store.pendingStructs).toBeNull()
    expect((await store.load('plan:net')).rows).toBe(0)
  })

  it('if a policy lets such an update through, stores and sends none of it and reloads the room', async () => {
    const store = new MemoryDocStore()
    let closed = false
    const room = new Room({
      docName: 'plan:net',
      store,
      logger: quietLogger(),
      compaction: { maxRows: 1000, maxBytes: 1 << 30 },
      // A policy with a bug: it accepts everything.
      updatePolicy: () => ({ kind: 'apply' }),
      onEmpty: () => {},
      onClosed: () => {
        closed = true
      },
    })
    await room.loaded
    const sender = new Socket()
    const other = new Socket()
    const conn = room.connect(sender, rw)
    room.connect(other, rw)
    room.receive(conn, updateMessage(updateWithMissingDependency()))
    expect(sender.closedWith).toBe(CloseCode.InvalidUpdate)
    expect(other.closedWith).toBe(CloseCode.RoomClosing)
    expect(closed).toBe(true)
    expect((await store.load('plan:net')).rows).toBe(0)
  })
})
