import { CloseCode, MessageType, SyncMessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { isStorageFull } from '../storage/StorageAlarm.ts'
import { type CollabSocket, Connection, type ConnectionOptions } from './Connection.ts'
import { type ChangeOrigin, type DurableChange, ServerChange } from './changeOrigin.ts'
import { awarenessMessage, saveAckMessage, syncStep1Message, syncStep2Message, updateMessage } from './messages.ts'
import type { DecodedUpdate } from './updateItems.ts'
import type { UpdatePolicy } from './updatePolicy.ts'

export interface CompactionPolicy {
  /** Compact once the log holds more rows than this. */
  maxRows: number
  /** ...or more bytes than this (and more than twice the last merged size). */
  maxBytes: number
}

export interface RoomOptions {
  docName: string
  store: DocStore
  logger: Logger
  compaction: CompactionPolicy
  updatePolicy: UpdatePolicy
  /** Called when the last connection leaves. */
  onEmpty(room: Room): void
  /** Called when the room stops for good (unloaded, failed); the manager forgets it. */
  onClosed(room: Room): void
  /** Called after a change to the document is durable, with the change and where it came from. */
  onDurableChange?(room: Room, change: DurableChange): void
  /** Called once the stored state is in memory, before any client is answered. */
  onLoaded?(room: Room): void
}

type RoomState = 'loading' | 'ready' | 'closed'

interface OutboxEntry {
  /** The recipient, or null for every connection but `except`. */
  to: Connection | null
  except: Connection | null
  data: Uint8Array
  /** Sent once this many writes are durable. */
  needs: number
}

class ProtocolError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * One document in memory, with its awareness and its connections. It speaks the y-websocket
 * protocol and keeps the collaboration contract:
 * - it answers nothing before the stored state has loaded (messages wait in a queue);
 * - a change reaches other clients only after the store has made it durable (the outbox);
 * - a connection that sends something bad is closed with a named code and nothing else changes.
 */
export class Room {
  readonly name: string
  readonly doc = new Y.Doc()
  readonly awareness: awarenessProtocol.Awareness
  /** Resolves once the stored state is in memory (rejects if loading failed). */
  readonly loaded: Promise<void>
  private state: RoomState = 'loading'
  private readonly connections = new Set<Connection>()
  private readonly waiting = new Map<Connection, Uint8Array[]>()
  private outbox: OutboxEntry[] = []
  private outboxHead = 0
  private writesIssued = 0
  private writesDurable = 0
  private writeChain: Promise<void> = Promise.resolve()
  private collecting: Uint8Array[] | null = null
  /** Client ids whose presence the awareness message being handled changed. */
  private awarenessChanges: number[] | null = null
  private lastSeq = 0
  private logRows = 0
  private logBytes = 0
  private lastMergedBytes = 0
  private compacting = false
  private readonly log: Logger

  constructor(private readonly options: RoomOptions) {
    this.name = options.docName
    this.log = options.logger.child({ doc: options.docName })
    this.awareness = new awarenessProtocol.Awareness(this.doc)
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onAwarenessUpdate)
    this.loaded = this.load()
    // A failed load is handled inside load(); callers that await `loaded` see it too.
    this.loaded.catch(() => {})
  }

  /** The open connections (a copy). */
  connectionList(): Connection[] {
    return [...this.connections]
  }

  get connectionCount(): number {
    return this.connections.size
  }

  get isClosed(): boolean {
    return this.state === 'closed'
  }

  /** Rows and bytes of this document's stored log, as the room last knew them. */
  get logStats(): { rows: number; bytes: number } {
    return { rows: this.logRows, bytes: this.logBytes }
  }

  connect(socket: CollabSocket, options: ConnectionOptions): Connection {
    if (this.state === 'closed') throw new Error(`room ${this.name} is closed`)
    const conn = new Connection(socket, options)
    this.connections.add(conn)
    if (this.state === 'loading') {
      this.waiting.set(conn, [])
    } else {
      this.greet(conn)
    }
    return conn
  }

  /** Handles one binary frame from a connection. Never throws. */
  receive(conn: Connection, data: Uint8Array): void {
    if (conn.closed || this.state === 'closed') return
    const queue = this.waiting.get(conn)
    if (queue) {
      queue.push(data)
      return
    }
    try {
      this.handleMessage(conn, data)
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.closeConnection(conn, error.closeCode, error.message)
      } else {
        this.log.error({ err: error, conn: conn.id }, 'unexpected error handling a message')
        this.closeConnection(conn, CloseCode.MalformedMessage, 'message could not be handled')
      }
    }
  }

  /** Forgets a connection whose socket closed. Idempotent. */
  disconnect(conn: Connection): void {
    if (!this.connections.delete(conn)) return
    conn.closed = true
    this.waiting.delete(conn)
    if (conn.awarenessClients.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessClients], 'disconnect')
    }
    if (this.connections.size === 0 && this.state !== 'closed') this.options.onEmpty(this)
  }

  /** Closes one connection with a named code, logging why. */
  closeConnection(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return
    // Shutting down or reloading closes everyone on purpose; only other closes are worth a warning.
    const routine = code === CloseCode.GoingAway || code === CloseCode.RoomClosing
    this.log[routine ? 'debug' : 'warn']({ conn: conn.id, code, reason }, 'closing connection')
    conn.closed = true
    try {
      conn.socket.close(code, reason)
    } catch (error) {
      this.log.debug({ err: error }, 'socket close failed')
    }
    this.disconnect(conn)
  }

  /**
   * Applies a change made by the server itself (not by a client). It is stored before any
   * client sees it, like every other change.
   */
  transactServer(change: (doc: Y.Doc) => void, by: { userId?: string | null; reason?: string } = {}): void {
    if (this.state !== 'ready') throw new Error(`room ${this.name} is not ready`)
    this.doc.transact(() => change(this.doc), new ServerChange(by.userId ?? null, by.reason ?? 'server'))
  }

  /**
   * Unloads the room if nobody is connected: from this moment the manager hands out a new room
   * for the name, while this one finishes its writes and frees the document.
   */
  async unloadIfIdle(): Promise<boolean> {
    if (this.connections.size > 0 || this.state !== 'ready') return false
    this.state = 'closed'
    await this.writeChain
    this.destroy()
    return true
  }

  /** Resolves once every change issued so far is durable. */
  async whenDurable(): Promise<void> {
    await this.writeChain
  }

  /**
   * Stops the room: closes remaining connections with `code`, waits for pending writes, and frees
   * the document. The manager calls this after the grace period or at shutdown.
   */
  async close(code: number = CloseCode.GoingAway, reason = 'room closed'): Promise<void> {
    if (this.state === 'closed') return
    await this.loaded.catch(() => {})
    this.state = 'closed'
    for (const conn of [...this.connections]) this.closeConnection(conn, code, reason)
    await this.writeChain
    this.destroy()
  }

  private async load(): Promise<void> {
    try {
      const stored = await this.options.store.load(this.name)
      this.doc.transact(() => {
        for (const update of stored.updates) Y.applyUpdate(this.doc, update)
      }, 'load')
      this.lastSeq = stored.lastSeq
      this.logRows = stored.rows
      this.logBytes = stored.bytes
    } catch (error) {
      this.log.error({ err: error }, 'loading the document failed')
      this.abort(CloseCode.StorageFailure, 'document could not be loaded')
      throw error
    }
    if (this.state === 'closed') return
    this.doc.on('update', this.onDocUpdate)
    this.state = 'ready'
    try {
      this.options.onLoaded?.(this)
    } catch (error) {
      this.log.error({ err: error }, 'preparing the loaded document failed')
    }
    for (const [conn, queue] of this.waiting) {
      this.waiting.delete(conn)
      this.greet(conn)
      for (const data of queue) this.receive(conn, data)
    }
  }

  /** First messages to a new connection: our state vector and everyone's presence. */
  private greet(conn: Connection): void {
    this.sendGated(conn, syncStep1Message(Y.encodeStateVector(this.doc)))
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length > 0) {
      conn.socket.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)))
    }
  }

  private handleMessage(conn: Connection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    const type = readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const syncType = readVarUint(decoder)
        const payload = readVarUint8Array(decoder)
        expectEnd(decoder)
        if (syncType === SyncMessageType.Step1) {
          let diff: Uint8Array
          try {
            diff = Y.encodeStateAsUpdate(this.doc, payload)
          } catch {
            throw new ProtocolError(CloseCode.MalformedMessage, 'invalid state vector')
          }
          this.sendGated(conn, syncStep2Message(diff))
        } else if (syncType === SyncMessageType.Step2 || syncType === SyncMessageType.Update) {
          this.applyClientUpdate(conn, payload)
        } else {
          throw new ProtocolError(CloseCode.MalformedMessage, `unknown sync message type ${syncType}`)
        }
        return
      }
      case MessageType.Awareness: {
        const update = readVarUint8Array(decoder)
        expectEnd(decoder)
        const changed: number[] = []
        this.awarenessChanges = changed
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, update, conn)
        } catch {
          throw new ProtocolError(CloseCode.MalformedMessage, 'invalid awareness update')
        } finally {
          this.awarenessChanges = null
        }
        const impostor = this.impersonatedClient(conn)
        if (impostor !== null) {
          // Presence must carry the name of who is signed in: drop the state before anyone sees it.
          awarenessProtocol.removeAwarenessStates(this.awareness, [impostor], 'impersonation')
          throw new ProtocolError(CloseCode.WriteNotAllowed, 'presence must carry your own name')
        }
        // Stock providers send every presence change they receive back to the server. Forwarding
        // those echoes (nothing new in them) would multiply traffic by the number of people in the
        // room; forward only what changed, as the message came when all of it did.
        if (changed.length === 0) return
        if (changed.length === awarenessEntryCount(update)) this.broadcastNow(data, conn)
        else this.broadcastNow(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)), conn)
        return
      }
      case MessageType.QueryAwareness: {
        expectEnd(decoder)
        const clients = [...this.awareness.getStates().keys()]
        conn.socket.send(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)))
        return
      }
      default:
        throw new ProtocolError(CloseCode.UnknownMessageType, `unknown message type ${type}`)
    }
  }

  private applyClientUpdate(conn: Connection, update: Uint8Array): void {
    conn.docMessages++
    let decoded: DecodedUpdate
    try {
      // Decoding the whole update first means a truncated or garbage update is refused before
      // anything of it is applied (Yjs integrates structs before it reads the delete set).
      decoded = Y.decodeUpdate(update)
    } catch {
      throw new ProtocolError(CloseCode.InvalidUpdate, 'update could not be decoded')
    }
    const verdict = this.options.updatePolicy({
      mode: conn.mode,
      doc: this.doc,
      update,
      decoded,
      identity: conn.options.identity,
    })
    if (verdict.kind === 'reject') throw new ProtocolError(CloseCode.WriteNotAllowed, verdict.reason)
    if (verdict.kind === 'apply') {
      const collected: Uint8Array[] = []
      this.collecting = collected
      try {
        Y.applyUpdate(this.doc, update, conn)
      } catch (error) {
        this.collecting = null
        // Part of the update may be in memory now. Nothing of it was stored or sent; drop the
        // document and let every client resync from storage.
        this.log.error({ err: error, conn: conn.id }, 'update failed to apply; reloading room')
        this.closeConnection(conn, CloseCode.InvalidUpdate, 'update could not be applied')
        this.abort(CloseCode.RoomClosing, 'document is being reloaded')
        return
      }
      this.collecting = null
      for (const u of collected) this.commit(u, conn, conn)
    }
    if (conn.options.acks) this.sendGated(conn, saveAckMessage(conn.docMessages))
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.collecting) {
      this.collecting.push(update)
      return
    }
    if (origin instanceof Connection) this.commit(update, origin, origin)
    else this.commit(update, null, origin instanceof ServerChange ? origin : new ServerChange(null, 'server'))
  }

  /** Stores a change, then (through the outbox) sends it to everyone but its author. */
  private commit(update: Uint8Array, author: Connection | null, source: Connection | ServerChange): void {
    const origin: ChangeOrigin =
      source instanceof Connection
        ? { kind: 'client', connectionId: source.id, userId: source.options.identity.userId }
        : { kind: 'server', userId: source.userId, reason: source.reason }
    const ticket = ++this.writesIssued
    this.logRows++
    this.logBytes += update.byteLength
    const write = this.options.store.append(this.name, update)
    write.catch(() => {}) // handled through the chain below
    this.writeChain = this.writeChain
      .then(() => write)
      .then((seq) => {
        this.lastSeq = Math.max(this.lastSeq, seq)
        this.writesDurable = ticket
        if (this.state === 'closed') return
        this.drainOutbox()
        this.options.onDurableChange?.(this, { update, origin })
        this.maybeCompact()
      })
      .catch((error) => {
        if (this.state === 'closed') return
        // A full disk is logged once a minute by the store's alarm, not once per write here.
        if (isStorageFull(error)) return this.abort(CloseCode.StorageFull, 'the server is out of storage space')
        this.log.error({ err: error }, 'storing an update failed; closing room')
        this.abort(CloseCode.StorageFailure, 'update could not be stored')
      })
    this.broadcastGated(updateMessage(update), author)
  }

  private sendGated(conn: Connection, data: Uint8Array): void {
    if (this.outboxHead === this.outbox.length && this.writesDurable === this.writesIssued) {
      conn.socket.send(data)
      return
    }
    this.outbox.push({ to: conn, except: null, data, needs: this.writesIssued })
  }

  private broadcastGated(data: Uint8Array, except: Connection | null): void {
    if (this.outboxHead === this.outbox.length && this.writesDurable === this.writesIssued) {
      this.broadcastNow(data, except)
      return
    }
    this.outbox.push({ to: null, except, data, needs: this.writesIssued })
  }

  private drainOutbox(): void {
    while (this.outboxHead < this.outbox.length) {
      const entry = this.outbox[this.outboxHead] as OutboxEntry
      if (entry.needs > this.writesDurable) break
      this.outboxHead++
      if (entry.to) {
        if (!entry.to.closed) entry.to.socket.send(entry.data)
      } else {
        this.broadcastNow(entry.data, entry.except)
      }
    }
    if (this.outboxHead === this.outbox.length) {
      this.outbox = []
      this.outboxHead = 0
    }
  }

  private broadcastNow(data: Uint8Array, except: Connection | null): void {
    for (const conn of this.connections) {
      if (conn !== except && !conn.closed && !this.waiting.has(conn)) conn.socket.send(data)
    }
  }

  /**
   * A presence state of this connection that names someone else (`user.name` differs from the
   * signed-in person's name), if any. Connections without an identity (anonymous) are not checked.
   */
  private impersonatedClient(conn: Connection): number | null {
    const expected = conn.options.identity.userId ? conn.options.identity.name : null
    if (expected === null) return null
    for (const id of conn.awarenessClients) {
      const user = (this.awareness.getStates().get(id) as { user?: { name?: unknown } } | undefined)?.user
      if (user && user.name !== expected) return id
    }
    return null
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof Connection) {
      this.awarenessChanges?.push(...added, ...updated, ...removed)
      for (const id of added) origin.awarenessClients.add(id)
      for (const id of updated) origin.awarenessClients.add(id)
      for (const id of removed) origin.awarenessClients.delete(id)
      return
    }
    // Removals the server made (a client left, or its state timed out): tell the others.
    if (removed.length > 0) {
      this.broadcastNow(awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, removed)), null)
    }
  }

  private maybeCompact(): void {
    if (this.compacting || this.state !== 'ready' || this.logRows <= 1) return
    const { maxRows, maxBytes } = this.options.compaction
    const tooManyRows = this.logRows > maxRows
    const tooManyBytes = this.logBytes > maxBytes && this.logBytes > 2 * this.lastMergedBytes
    if (!tooManyRows && !tooManyBytes) return
    this.compacting = true
    setImmediate(() => {
      void this.compact().finally(() => {
        this.compacting = false
      })
    })
  }

  /** Merges the stored log into one row. Exposed for tests and tools; normally automatic. */
  async compact(): Promise<void> {
    if (this.state !== 'ready') return
    await this.writeChain
    // Every durable row was applied to this document before it was stored, so the document's
    // state contains everything up to lastSeq.
    const merged = Y.encodeStateAsUpdate(this.doc)
    const throughSeq = this.lastSeq
    try {
      const result = await this.options.store.compact(this.name, merged, throughSeq)
      this.log.debug({ before: this.logRows, after: result.rows, bytes: result.bytes }, 'compacted')
      this.logRows = result.rows
      this.logBytes = result.bytes
      this.lastMergedBytes = merged.byteLength
      this.lastSeq = Math.max(this.lastSeq, result.seq)
    } catch (error) {
      this.log.error({ err: error }, 'compaction failed; the log is unchanged')
    }
  }

  /** Stops the room at once (storage failure, poisoned document): clients reconnect and resync. */
  private abort(code: number, reason: string): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    for (const conn of [...this.connections]) this.closeConnection(conn, code, reason)
    this.destroy()
  }

  private destroyed = false

  private destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.doc.off('update', this.onDocUpdate)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
    this.outbox = []
    this.outboxHead = 0
    this.options.onClosed(this)
  }
}

function readVarUint(decoder: decoding.Decoder): number {
  try {
    return decoding.readVarUint(decoder)
  } catch {
    throw new ProtocolError(CloseCode.MalformedMessage, 'truncated message')
  }
}

function readVarUint8Array(decoder: decoding.Decoder): Uint8Array {
  const length = readVarUint(decoder)
  // lib0 does not check the length against the frame; a lying length must not read past it.
  if (length > decoder.arr.length - decoder.pos) {
    throw new ProtocolError(CloseCode.MalformedMessage, 'truncated message')
  }
  return decoding.readUint8Array(decoder, length)
}

/** How many client states an awareness update carries (its first varUint). */
function awarenessEntryCount(update: Uint8Array): number {
  return decoding.readVarUint(decoding.createDecoder(update))
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) {
    throw new ProtocolError(CloseCode.MalformedMessage, 'unexpected bytes after the message')
  }
}
