import { AccessMode, CloseCode, MessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { quietLogger } from '../logger.ts'
import type { CompactResult, DocStore, StoredDoc } from '../storage/DocStore.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import type { CollabSocket } from './Connection.ts'
import type { DurableChange } from './changeOrigin.ts'
import { awarenessMessage, syncStep1Message, syncStep2Message, updateMessage } from './messages.ts'
import { Room } from './Room.ts'
import { accessModePolicy } from './updatePolicy.ts'

/** A socket that records what the room sends. */
class RecordingSocket implements CollabSocket {
  readonly sent: Uint8Array[] = []
  closedWith: { code: number; reason: string } | null = null
  send(data: Uint8Array): void {
    this.sent.push(data)
  }
  close(code: number, reason: string): void {
    this.closedWith = { code, reason }
  }
  /** Payloads of the sync messages received whose sub-type is one of `subTypes` (1: step 2, 2: update). */
  syncPayloads(...subTypes: number[]): Uint8Array[] {
    return this.sent.flatMap((frame) => {
      const d = decoding.createDecoder(frame)
      if (decoding.readVarUint(d) !== MessageType.Sync) return []
      return subTypes.includes(decoding.readVarUint(d)) ? [decoding.readVarUint8Array(d)] : []
    })
  }
  /** Sync updates received (step 2 and update payloads), applied to a fresh doc. */
  docState(): Y.Doc {
    const doc = new Y.Doc()
    for (const payload of this.syncPayloads(1, 2)) Y.applyUpdate(doc, payload)
    return doc
  }
}

/** A store whose loads and appends wait until the test releases them. */
class GatedStore implements DocStore {
  readonly inner = new MemoryDocStore()
  private loadGate: Promise<void> = Promise.resolve()
  private releaseLoad: () => void = () => {}
  private appendGate: Promise<void> = Promise.resolve()
  private releaseAppends: () => void = () => {}

  holdLoads(): void {
    this.loadGate = new Promise((r) => {
      this.releaseLoad = r
    })
  }
  holdAppends(): void {
    this.appendGate = new Promise((r) => {
      this.releaseAppends = r
    })
  }
  release(): void {
    this.releaseLoad()
    this.releaseAppends()
  }
  async load(docName: string): Promise<StoredDoc> {
    await this.loadGate
    return this.inner.load(docName)
  }
  async append(docName: string, update: Uint8Array): Promise<number> {
    const seq = await this.inner.append(docName, update)
    await this.appendGate
    return seq
  }
  compact(docName: string, merged: Uint8Array, throughSeq: number): Promise<CompactResult> {
    return this.inner.compact(docName, merged, throughSeq)
  }
  updatesAfter(docName: string, afterSeq: number) {
    return this.inner.updatesAfter(docName, afterSeq)
  }
  delete(docName: string): Promise<void> {
    return this.inner.delete(docName)
  }
  list(): Promise<string[]> {
    return this.inner.list()
  }
  flush(): Promise<void> {
    return this.inner.flush()
  }
  close(): Promise<void> {
    return this.inner.close()
  }
}

function makeRoom(store: DocStore, overrides: Partial<ConstructorParameters<typeof Room>[0]> = {}): Room {
  return new Room({
    docName: 'plan:test',
    store,
    logger: quietLogger(),
    compaction: { maxRows: 1000, maxBytes: 1 << 30 },
    updatePolicy: accessModePolicy,
    onEmpty: () => {},
    onClosed: () => {},
    ...overrides,
  })
}

const rw = { mode: AccessMode.ReadWrite, acks: false, identity: { userId: null, name: 'Test' } }

function clientUpdate(text: string): { doc: Y.Doc; update: Uint8Array } {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return { doc, update: Y.encodeStateAsUpdate(doc) }
}

const tick = () => new Promise((r) => setImmediate(r))

/** Loads `plan:test` in a room compacting past `maxRows`, and reads the log once it is one row (or 100 ticks on). */
async function storedAfterLoading(store: DocStore, maxRows: number): Promise<StoredDoc> {
  const room = makeRoom(store, { compaction: { maxRows, maxBytes: 1 << 30 } })
  await room.loaded
  for (let i = 0; i < 100 && (await store.load('plan:test')).rows > 1; i++) await tick()
  return store.load('plan:test')
}

describe('Room', () => {
  it('answers no sync message until the stored state has loaded', async () => {
    const store = new GatedStore()
    await store.inner.append('plan:test', clientUpdate('stored').update)
    store.holdLoads()
    const room = makeRoom(store)
    const socket = new RecordingSocket()
    const conn = room.connect(socket, rw)
    room.receive(conn, syncStep1Message(Y.encodeStateVector(new Y.Doc())))
    await tick()
    expect(socket.sent).toHaveLength(0)
    store.release()
    await room.loaded
    expect(socket.sent.length).toBeGreaterThanOrEqual(2)
    expect(socket.docState().getText('t').toString()).toBe('stored')
  })

  it('answers a client that has nothing with the stored compacted state as stored, and with the document once it changed', async () => {
    const store = new MemoryDocStore()
    // A merged log (as compaction stores it) whose bytes differ from encoding the document again.
    const source = new Y.Doc()
    const log: Uint8Array[] = []
    source.on('update', (u: Uint8Array) => log.push(u))
    source.getText('t').insert(0, 'compacted text')
    source.getText('t').delete(9, 5)
    source.getMap('m').set('k', 1)
    source.getMap('m').set('k', 2)
    const stored = Y.mergeUpdates(log)
    const again = new Y.Doc()
    Y.applyUpdate(again, stored)
    expect(Y.encodeStateAsUpdate(again)).not.toEqual(stored)
    await store.append('plan:test', stored)
    const room = makeRoom(store)
    await room.loaded
    const fresh = new RecordingSocket()
    room.receive(room.connect(fresh, rw), syncStep1Message(Y.encodeStateVector(new Y.Doc())))
    await room.whenDurable()
    expect(fresh.syncPayloads(1)).toEqual([stored])
    expect(fresh.docState().getText('t').toString()).toBe('compacted')

    // After a change, the stored row is no longer the document: encoded afresh.
    const writer = room.connect(new RecordingSocket(), rw)
    room.receive(writer, updateMessage(clientUpdate(' and more').update))
    await room.whenDurable()
    const late = new RecordingSocket()
    room.receive(room.connect(late, rw), syncStep1Message(Y.encodeStateVector(new Y.Doc())))
    await room.whenDurable()
    expect(late.syncPayloads(1)[0]).not.toEqual(stored)
    expect(late.docState().getText('t').toString()).toContain('compacted')
    expect(late.docState().getText('t').toString()).toContain('and more')
  })

  it('drops an echo of someone else’s presence unread, and refuses a new presence it cannot read', async () => {
    const room = makeRoom(new MemoryDocStore())
    await room.loaded
    const entry = (clientId: number, clock: number, json: string) => {
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, clientId)
      encoding.writeVarUint(e, clock)
      encoding.writeVarString(e, json)
      return awarenessMessage(encoding.toUint8Array(e))
    }
    const owner = new RecordingSocket()
    room.receive(room.connect(owner, rw), entry(77, 1, JSON.stringify({ at: 1 })))
    expect(room.awareness.getStates().get(77)).toMatchObject({ at: 1 })
    // A stock provider echoes that entry back at the same clock: nothing new, so never parsed.
    const echoer = new RecordingSocket()
    room.receive(room.connect(echoer, rw), entry(77, 1, '{not json'))
    expect(echoer.closedWith).toBeNull()
    expect(room.awareness.getStates().get(77)).toMatchObject({ at: 1 })
    // The same bytes as a new presence of its own are read, and refused.
    const bad = new RecordingSocket()
    room.receive(room.connect(bad, rw), entry(78, 1, '{not json'))
    expect(bad.closedWith?.code).toBe(CloseCode.MalformedMessage)
  })

  it('forwards an update to the other connections only after the store has made it durable', async () => {
    const store = new GatedStore()
    const room = makeRoom(store)
    await room.loaded
    const author = new RecordingSocket()
    const reader = new RecordingSocket()
    const authorConn = room.connect(author, rw)
    room.connect(reader, rw)
    const before = reader.sent.length
    store.holdAppends()
    room.receive(authorConn, updateMessage(clientUpdate('hello').update))
    await tick()
    expect(reader.sent.length).toBe(before)
    expect((await store.inner.load('plan:test')).rows).toBe(1)
    store.release()
    await room.whenDurable()
    expect(reader.sent.length).toBe(before + 1)
    expect(reader.docState().getText('t').toString()).toBe('hello')
    expect(author.sent.length).toBe(1) // only the greeting: authors do not get their own update back
  })

  it('sends a cursor after the edit it came with, once that edit is durable, and the others in the meantime at once', async () => {
    const store = new GatedStore()
    const room = makeRoom(store)
    await room.loaded
    const author = new RecordingSocket()
    const reader = new RecordingSocket()
    const authorConn = room.connect(author, rw)
    room.connect(reader, rw)
    const before = reader.sent.length
    const typist = clientUpdate('typed')
    const presence = new awarenessProtocol.Awareness(typist.doc)
    presence.setLocalState({ at: 5 })
    const cursor = () => awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(presence, [typist.doc.clientID]))
    store.holdAppends()
    room.receive(authorConn, updateMessage(typist.update))
    room.receive(authorConn, cursor())
    await tick()
    expect(reader.sent.length).toBe(before)
    store.release()
    await room.whenDurable()
    const types = reader.sent.slice(before).map((f) => decoding.readVarUint(decoding.createDecoder(f)))
    expect(types).toEqual([MessageType.Sync, MessageType.Awareness])
    // Nothing being stored: presence goes out at once.
    presence.setLocalState({ at: 4 })
    room.receive(authorConn, cursor())
    expect(reader.sent.length).toBe(before + 3)
    expect(room.awareness.getStates().get(typist.doc.clientID)).toMatchObject({ at: 4 })
  })

  it('holds a sync reply to a new client until the changes it contains are durable', async () => {
    const store = new GatedStore()
    const room = makeRoom(store)
    await room.loaded
    const author = room.connect(new RecordingSocket(), rw)
    store.holdAppends()
    room.receive(author, updateMessage(clientUpdate('unsaved').update))
    const late = new RecordingSocket()
    const lateConn = room.connect(late, rw)
    room.receive(lateConn, syncStep1Message(Y.encodeStateVector(new Y.Doc())))
    await tick()
    expect(late.docState().getText('t').toString()).toBe('')
    store.release()
    await room.whenDurable()
    expect(late.docState().getText('t').toString()).toBe('unsaved')
  })

  it('acknowledges document messages once they are durable when the client asked for acks', async () => {
    const store = new GatedStore()
    const room = makeRoom(store)
    await room.loaded
    const socket = new RecordingSocket()
    const conn = room.connect(socket, { ...rw, acks: true })
    store.holdAppends()
    room.receive(conn, updateMessage(clientUpdate('a').update))
    room.receive(conn, syncStep2Message(clientUpdate('b').update))
    await tick()
    const acks = () =>
      socket.sent
        .map((f) => decoding.createDecoder(f))
        .filter((d) => decoding.readVarUint(d) === MessageType.SaveAck)
        .map((d) => decoding.readVarUint(d))
    expect(acks()).toEqual([])
    store.release()
    await room.whenDurable()
    expect(acks()).toEqual([1, 2])
  })

  it('rejects a change from a read-only connection without applying, storing or sending it', async () => {
    const store = new MemoryDocStore()
    const room = makeRoom(store)
    await room.loaded
    const other = new RecordingSocket()
    room.connect(other, rw)
    const socket = new RecordingSocket()
    const conn = room.connect(socket, { ...rw, mode: AccessMode.ReadOnly })
    const sentBefore = other.sent.length
    room.receive(conn, updateMessage(clientUpdate('sneaky').update))
    await tick()
    expect(socket.closedWith?.code).toBe(CloseCode.WriteNotAllowed)
    expect(room.doc.getText('t').toString()).toBe('')
    expect((await store.load('plan:test')).rows).toBe(0)
    expect(other.sent.length).toBe(sentBefore)
  })

  it('accepts the no-op state a read-only client sends back when it syncs', async () => {
    const store = new MemoryDocStore()
    const { update } = clientUpdate('shared')
    await store.append('plan:test', update)
    const room = makeRoom(store)
    await room.loaded
    const socket = new RecordingSocket()
    const conn = room.connect(socket, { ...rw, mode: AccessMode.ReadOnly })
    room.receive(conn, syncStep2Message(update))
    await tick()
    expect(socket.closedWith).toBeNull()
  })

  it('compacts the log once it passes the row threshold, keeping the content', async () => {
    const store = new MemoryDocStore()
    const room = makeRoom(store, { compaction: { maxRows: 5, maxBytes: 1 << 30 } })
    await room.loaded
    const conn = room.connect(new RecordingSocket(), rw)
    const doc = new Y.Doc()
    doc.on('update', (u: Uint8Array) => room.receive(conn, updateMessage(u)))
    for (let i = 0; i < 6; i++) doc.getText('t').insert(i, String(i))
    await room.whenDurable()
    await new Promise((r) => setTimeout(r, 20))
    const stored = await store.load('plan:test')
    expect(stored.rows).toBe(1)
    const reloaded = new Y.Doc()
    for (const u of stored.updates) Y.applyUpdate(reloaded, u)
    expect(reloaded.getText('t').toString()).toBe('012345')
  })

  it('merges a log already past the row threshold when it loads, without waiting for a change', async () => {
    const store = new MemoryDocStore()
    const writer = new Y.Doc()
    writer.on('update', (u: Uint8Array) => void store.append('plan:test', u))
    for (let i = 0; i < 8; i++) writer.getText('t').insert(i, String(i))
    expect((await store.load('plan:test')).rows).toBe(8)
    const stored = await storedAfterLoading(store, 5)
    expect(stored.rows).toBe(1)
    const reloaded = new Y.Doc()
    for (const u of stored.updates) Y.applyUpdate(reloaded, u)
    expect(reloaded.getText('t').toString()).toBe('01234567')
  })

  it('collects the deleted text of a stored log when it loads, so a merged row never holds it', async () => {
    const store = new MemoryDocStore()
    const writer = new Y.Doc({ gc: false })
    writer.on('update', (u: Uint8Array) => void store.append('plan:test', u))
    writer.getText('t').insert(0, 'keep SECRET-WORDS')
    writer.getText('t').delete(4, 13)
    expect((await store.load('plan:test')).rows).toBe(2)
    const [merged] = (await storedAfterLoading(store, 1)).updates
    expect(Buffer.from(merged as Uint8Array).includes('SECRET')).toBe(false)
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, merged as Uint8Array)
    expect(reloaded.getText('t').toString()).toBe('keep')
  })

  it('closes every connection and stops when the store fails, so clients resync', async () => {
    const store = new MemoryDocStore()
    let closed = false
    const room = makeRoom(store, { onClosed: () => (closed = true) })
    await room.loaded
    const a = new RecordingSocket()
    const b = new RecordingSocket()
    const conn = room.connect(a, rw)
    room.connect(b, rw)
    store.append = () => Promise.reject(new Error('disk full'))
    room.receive(conn, updateMessage(clientUpdate('lost?').update))
    await room.whenDurable()
    expect(a.closedWith?.code).toBe(CloseCode.StorageFailure)
    expect(b.closedWith?.code).toBe(CloseCode.StorageFailure)
    expect(b.docState().getText('t').toString()).toBe('')
    expect(closed).toBe(true)
  })

  it('tells the durable-change hook about a change only once the store has made it durable, with origin and author', async () => {
    const store = new GatedStore()
    const changes: DurableChange[] = []
    const room = makeRoom(store, { onDurableChange: (_room, change) => changes.push(change) })
    await room.loaded
    const conn = room.connect(new RecordingSocket(), { ...rw, identity: { userId: 'u-ana', name: 'Ana' } })
    store.holdAppends()
    room.receive(conn, updateMessage(clientUpdate('typed').update))
    room.transactServer((doc) => doc.getMap('m').set('k', 1), { userId: 'u-fran', reason: 'restore' })
    await tick()
    expect(changes).toEqual([])
    store.release()
    await room.whenDurable()
    expect(changes.map((c) => [c.origin, c.author])).toEqual([
      [{ kind: 'client', connectionId: conn.id, userId: 'u-ana' }, 'u-ana'],
      [{ kind: 'server', userId: 'u-fran', reason: 'restore' }, 'u-fran'],
    ])
    expect(changes.every((c) => typeof c.seq === 'number')).toBe(true)
  })

  it('forwards a peer server’s change behind the local changes still being stored, and does not store it', async () => {
    const store = new GatedStore()
    const changes: DurableChange[] = []
    const room = makeRoom(store, { onDurableChange: (_room, change) => changes.push(change) })
    await room.loaded
    const author = room.connect(new RecordingSocket(), rw)
    const reader = new RecordingSocket()
    room.connect(reader, rw)
    const before = reader.sent.length
    store.holdAppends()
    room.receive(author, updateMessage(clientUpdate('local').update))
    room.applyPeerUpdate(clientUpdate('peer').update, { instanceId: 'lever-2', author: 'u-bo' })
    await tick()
    expect(reader.sent.length).toBe(before)
    store.release()
    await room.whenDurable()
    expect(reader.sent.length).toBe(before + 2)
    expect((await store.inner.load('plan:test')).rows).toBe(1)
    expect(changes.map((c) => c.origin.kind)).toEqual(['client', 'peer'])
    expect(changes[1]?.author).toBe('u-bo')
  })
})
