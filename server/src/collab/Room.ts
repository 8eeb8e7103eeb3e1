import { CloseCode, MessageType, SyncMessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import type * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { applyStoredLog } from '../storage/joinTyping.ts'
import { isStorageFull } from '../storage/StorageAlarm.ts'
import type { ClientRegistry } from './ClientRegistry.ts'
import type { CollabMeter } from './CollabMeter.ts'
import { type CompactionPolicy, Compactor } from './Compactor.ts'
import { type CollabSocket, Connection, type ConnectionOptions } from './Connection.ts'
import { ConnectionLimits, type ConnectionLimitsConfig, type LimitKind } from './ConnectionLimits.ts'
import { type ChangeOrigin, type DurableChange, LOAD_ORIGIN, PeerChange, ServerChange } from './changeOrigin.ts'
import { claimClientIds, claimServerClientId } from './clientClaims.ts'
import { collectionWork, MAX_COLLECTION_WORK, MERGE_AFTER_COLLECTION_WORK } from './collectionWork.ts'
import {
  expectEnd,
  readVarUint,
  readVarUint8Array,
  saveAckMessage,
  syncStep1Message,
  syncStep2Message,
} from './messages.ts'
import { ProtocolError } from './ProtocolError.ts'
import { discardPending, leftPending } from './pendingState.ts'
import { RoomPresence } from './RoomPresence.ts'
import { countSplits } from './splitGrowth.ts'
import type { DecodedUpdate } from './updateEffect.ts'
import type { UpdatePolicy } from './updatePolicy.ts'
import { checkStructCount, checkUpdateShape } from './updateShape.ts'
import type { WorkBudgets } from './WorkBudgets.ts'
import { WritePipeline } from './WritePipeline.ts'

export type { CompactionPolicy } from './Compactor.ts'

export interface RoomOptions {
  docName: string
  store: DocStore
  logger: Logger
  compaction: CompactionPolicy
  updatePolicy: UpdatePolicy
  /** Who writes with which Yjs client id; without it client ids are not recorded or checked. */
  clients?: ClientRegistry
  /** Token buckets per connection; without them connections are not limited. */
  limits?: ConnectionLimitsConfig
  /**
   * Each person's share of the server's time: what handling their messages took is charged to
   * them, and a person in debt is slowed down. Facilitators are not limited.
   */
  workBudgets?: WorkBudgets
  /**
   * A document's size (encoded) past which an update that adds anything is refused with
   * DocumentTooLarge (a deletion that splits more than it frees adds); removals that shrink the
   * document are always accepted. Undefined: no limit.
   */
  maxDocumentBytes?: number
  /** Counts refusals for monitoring (nothing when absent). */
  meter?: CollabMeter
  /** Called when the last connection leaves. */
  onEmpty(room: Room): void
  /** Called when the room stops for good (unloaded, failed); the manager forgets it. */
  onClosed(room: Room): void
  /** Called after a change to the document is durable, with the change, its origin and its author. */
  onDurableChange?(room: Room, change: DurableChange): void
  /**
   * Prepares the loaded document before any client is answered (initialize, migrate); a returned
   * promise holds clients back until it settles.
   */
  onLoaded?(room: Room): void | Promise<void>
  /**
   * The previous room of this document finishing its writes (an unload's merge of the log):
   * loading waits for it, so that it reads the merged log and measures the document from it.
   */
  afterPrevious?: Promise<unknown>
}

type RoomState = 'loading' | 'ready' | 'closed'

/** Frames a connection may send while the room is still loading. */
const MAX_WAITING_FRAMES = 1024

/**
 * One document in memory, with its presence and its connections: the core of the collaboration
 * server. It speaks the y-websocket protocol, dispatches each frame, and keeps the contract:
 * - it answers nothing before the stored state has loaded (messages wait in a queue);
 * - a change reaches other clients only after the store has made it durable (WritePipeline);
 * - a connection that sends something bad, or too much, is closed with a named code and nothing
 *   else changes.
 * Everything that reacts to changes (document kinds, versions, search, fan-out) is a hook behind
 * `onDurableChange` / `onLoaded`; compaction is the Compactor's, presence RoomPresence's.
 */
export class Room {
  readonly name: string
  readonly doc: Y.Doc
  /** Resolves once the stored state is in memory (rejects if loading failed). */
  readonly loaded: Promise<void>
  private state: RoomState = 'loading'
  /** Loaded, and `onLoaded` still preparing the document: server changes go in, clients wait. */
  private preparing = false
  private readonly connections = new Set<Connection>()
  private readonly waiting = new Map<Connection, Uint8Array[]>()
  private readonly pipeline: WritePipeline
  private readonly compactor: Compactor
  private readonly presence: RoomPresence
  /** Updates of the client update being applied, committed together once it applied. */
  private collecting: Uint8Array[] | null = null
  /** The server's own client id of this document is recorded (as written by nobody: null). */
  private serverClientClaimed = false
  private destroyed = false
  private readonly log: Logger
  private loadedThrough = 0
  /**
   * The stored log's only row while the document has not changed since it loaded: the whole
   * document as one update (a compacted log), sent as is to a client that has nothing yet instead
   * of encoding the document again (the largest cost of opening a long plan). Dropped at the first
   * change.
   */
  private loadedState: Uint8Array | null = null
  /** Changes applied since the room loaded, and the document's encoded size as last measured. */
  private changes = 0
  /** Collection work of the changes accepted since the log was last merged (see collectionWork.ts). */
  private collectionWorkUnmerged = 0
  private measured: { changes: number; bytes: number } | null = null

  constructor(private readonly options: RoomOptions) {
    this.name = options.docName
    // Named by the document (a new Y.Doc otherwise makes a random id nobody reads).
    this.doc = new Y.Doc({ guid: options.docName })
    this.log = options.logger.child({ doc: options.docName })
    const isOpen = () => this.state !== 'closed'
    this.pipeline = new WritePipeline({
      docName: this.name,
      store: options.store,
      logger: this.log,
      broadcastNow: (data, except) => this.broadcastNow(data, except),
      afterDurable: (change, seq) => this.afterDurable(change, seq),
      onStoreFailure: (error) =>
        isStorageFull(error)
          ? this.abort(CloseCode.StorageFull, 'the server is out of storage space')
          : this.abort(CloseCode.StorageFailure, 'update could not be stored'),
      isOpen,
    })
    this.compactor = new Compactor({
      docName: this.name,
      doc: this.doc,
      store: options.store,
      logger: this.log,
      policy: options.compaction,
      whenDurable: () => this.pipeline.whenDurable(),
      isReady: () => this.state === 'ready',
    })
    // Presence queues behind the changes still being stored: a cursor never reaches anyone before
    // the edit it sits in, and both go out together (one write per socket) once it is durable.
    this.presence = new RoomPresence(this.doc, this.log, (data, except) => this.pipeline.broadcastGated(data, except))
    this.loaded = this.load()
    // A failed load is handled inside load(); callers that await `loaded` see it too.
    this.loaded.catch(() => {})
  }

  /** The room's presence states (y-protocols awareness). */
  get awareness(): awarenessProtocol.Awareness {
    return this.presence.awareness
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

  /** The sequence number of the newest stored row when the room loaded (0 before, or for none). */
  get loadedSeq(): number {
    return this.loadedThrough
  }

  /** Rows and bytes of this document's stored log, as the room last knew them. */
  get logStats(): { rows: number; bytes: number } {
    return this.compactor.stats
  }

  connect(socket: CollabSocket, options: ConnectionOptions): Connection {
    if (this.state === 'closed') throw new Error(`room ${this.name} is closed`)
    const conn = new Connection(socket, options)
    if (this.options.limits) conn.limits = new ConnectionLimits(this.options.limits)
    const identity = options.identity
    if (this.options.workBudgets && !identity.moderator) {
      conn.workBudget = this.options.workBudgets.of(identity.userId ?? `connection:${conn.id}`)
    }
    this.connections.add(conn)
    if (this.state === 'loading' || this.preparing) {
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
      if (queue.length >= MAX_WAITING_FRAMES) {
        this.closeConnection(conn, CloseCode.SlowDown, 'too many messages while the document loads')
        return
      }
      queue.push(data)
      return
    }
    const budget = conn.workBudget
    if (budget && budget.balance <= 0) {
      this.options.meter?.refused(CloseCode.SlowDown)
      this.closeConnection(conn, CloseCode.SlowDown, 'slow down: messages took too much of the server’s time')
      return
    }
    const started = budget ? performance.now() : 0
    try {
      this.handleMessage(conn, data)
    } catch (error) {
      if (error instanceof ProtocolError) {
        this.options.meter?.refused(error.closeCode)
        this.closeConnection(conn, error.closeCode, error.message)
      } else {
        this.log.error({ err: error, conn: conn.id }, 'unexpected error handling a message')
        this.closeConnection(conn, CloseCode.MalformedMessage, 'message could not be handled')
      }
    } finally {
      // Known only afterwards: a crafted update can cost far more than its size suggests.
      if (budget) budget.charge(performance.now() - started)
    }
  }

  /** Forgets a connection whose socket closed. Idempotent. */
  disconnect(conn: Connection): void {
    if (!this.connections.delete(conn)) return
    conn.closed = true
    this.waiting.delete(conn)
    if (!this.destroyed) this.presence.drop(conn)
    if (this.connections.size === 0 && this.state !== 'closed') this.options.onEmpty(this)
  }

  /** Closes one connection with a named code, logging why. */
  closeConnection(conn: Connection, code: number, reason: string): void {
    if (conn.closed) return
    // Shutting down or reloading closes everyone on purpose; only other closes are worth a warning.
    const routine = code === CloseCode.GoingAway || code === CloseCode.RoomClosing
    this.log[routine ? 'debug' : 'warn'](
      { conn: conn.id, userId: conn.options.identity.userId, code, reason },
      'closing connection',
    )
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
   * client sees it, like every other change, and written with the server's own client id.
   */
  transactServer(change: (doc: Y.Doc) => void, by: { userId?: string | null; reason?: string } = {}): void {
    if (this.state !== 'ready') throw new Error(`room ${this.name} is not ready`)
    this.claimServerClientId()
    this.doc.transact(() => change(this.doc), new ServerChange(by.userId ?? null, by.reason ?? 'server'))
  }

  /**
   * Applies a change another Lever server received and stored already (multi-instance fan-out):
   * it is not stored again, but it reaches this server's clients and the hooks (origin `peer`)
   * in order with the local changes before it.
   */
  applyPeerUpdate(update: Uint8Array, from: { instanceId: string; author?: string | null }): void {
    if (this.state !== 'ready') throw new Error(`room ${this.name} is not ready`)
    Y.applyUpdate(this.doc, update, new PeerChange(from.instanceId, from.author ?? null))
  }

  /**
   * Applies presence (an awareness update) that reached another Lever server: this server's
   * clients see it; nobody here owns those entries.
   */
  applyPeerPresence(update: Uint8Array): void {
    if (this.state !== 'ready') return
    this.presence.applyPeer(update)
  }

  /**
   * Unloads the room if nobody is connected: from this moment the manager hands out a new room
   * for the name, while this one finishes its writes and frees the document.
   */
  async unloadIfIdle(): Promise<boolean> {
    if (this.connections.size > 0 || this.state !== 'ready') return false
    this.state = 'closed'
    await this.finishWrites()
    this.destroy()
    return true
  }

  /** Resolves once every change issued so far is durable. */
  async whenDurable(): Promise<void> {
    await this.pipeline.whenDurable()
  }

  /**
   * True when every change the document holds is stored and its hooks have run. `whenDurable`
   * covers the changes made before it was called; someone's edit can be applied before it resolves.
   */
  get allDurable(): boolean {
    return this.pipeline.allSettled
  }

  /** A merge of the stored log is scheduled or under way. */
  get compacting(): boolean {
    return this.compactor.busy
  }

  /** Merges the stored log into one row. Exposed for tests and tools; normally automatic. */
  compact(): Promise<void> {
    return this.compactor.compact()
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
    await this.finishWrites()
    this.destroy()
  }

  /**
   * Waits for every change to be stored, then merges the log if the document's splits outgrew
   * it: the log would otherwise measure the document from below at its next load.
   */
  private async finishWrites(): Promise<void> {
    await this.pipeline.whenDurable()
    if (this.compactor.owesMerge) await this.compactor.compact(true)
  }

  // ---- lifecycle ----

  private async load(): Promise<void> {
    const started = performance.now()
    let timing: { rows: number; bytes: number; readMs: number; applyMs: number } | null = null
    try {
      await this.options.afterPrevious?.catch(() => {})
      // The document's client-id claims are read beside it: every update is checked against them.
      const [stored] = await Promise.all([this.options.store.load(this.name), this.options.clients?.load(this.name)])
      const read = performance.now()
      // One stored row is a merged state (or a document's first change): what it deletes was
      // collected before it was encoded, and collecting again at the end of the load would only
      // walk every deleted item and replace its content with an equal one (a fifth of the load
      // of a long-typed plan). A longer log still gets its deleted content collected here.
      this.doc.gc = stored.updates.length !== 1
      try {
        applyStoredLog(this.doc, stored.updates, LOAD_ORIGIN)
      } finally {
        this.doc.gc = true
      }
      this.compactor.loaded(stored)
      this.loadedThrough = stored.lastSeq
      this.loadedState =
        stored.updates.length === 1 && !this.doc.store.pendingStructs && !this.doc.store.pendingDs
          ? (stored.updates[0] as Uint8Array)
          : null
      timing = { rows: stored.rows, bytes: stored.bytes, readMs: read - started, applyMs: performance.now() - read }
    } catch (error) {
      this.log.error({ err: error }, 'loading the document failed')
      this.abort(CloseCode.StorageFailure, 'document could not be loaded')
      throw error
    }
    if (this.state === 'closed') return
    this.doc.on('update', this.onDocUpdate)
    this.state = 'ready'
    this.preparing = true
    try {
      await this.options.onLoaded?.(this)
    } catch (error) {
      this.log.error({ err: error }, 'preparing the loaded document failed')
    } finally {
      this.preparing = false
    }
    if ((this.state as RoomState) === 'closed') return
    const prepared = performance.now()
    const waiting = this.waiting.size
    for (const [conn, queue] of this.waiting) {
      this.waiting.delete(conn)
      this.greet(conn)
      for (const data of queue) this.receive(conn, data)
    }
    if (timing && this.log.isLevelEnabled('debug')) {
      const ms = (n: number) => Math.round(n * 10) / 10
      this.log.debug(
        {
          rows: timing.rows,
          bytes: timing.bytes,
          readMs: ms(timing.readMs),
          applyMs: ms(timing.applyMs),
          prepareMs: ms(prepared - started - timing.readMs - timing.applyMs),
          answerMs: ms(performance.now() - prepared),
          waiting,
        },
        'document loaded',
      )
    }
    // A log that outgrew the policy while no server had it open (compaction was off, or a server
    // stopped first) is merged now, not at the next change: the next load reads one row.
    this.compactor.check()
  }

  /** Stops the room at once (storage failure, poisoned document): clients reconnect and resync. */
  private abort(code: number, reason: string): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    for (const conn of [...this.connections]) this.closeConnection(conn, code, reason)
    this.destroy()
  }

  private destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.doc.off('update', this.onDocUpdate)
    this.presence.destroy()
    this.doc.destroy()
    this.pipeline.clear()
    this.options.onClosed(this)
  }

  // ---- messages ----

  /** First messages to a new connection: our state vector and everyone's presence. */
  private greet(conn: Connection): void {
    this.pipeline.sendGated(conn, syncStep1Message(Y.encodeStateVector(this.doc)))
    const presence = this.presence.snapshotMessage()
    if (presence) conn.socket.send(presence)
  }

  private handleMessage(conn: Connection, data: Uint8Array): void {
    const decoder = decoding.createDecoder(data)
    const type = readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const syncType = readVarUint(decoder)
        const payload = readVarUint8Array(decoder)
        expectEnd(decoder)
        if (syncType === SyncMessageType.Step1) this.answerSyncStep1(conn, data, payload)
        else if (syncType === SyncMessageType.Step2 || syncType === SyncMessageType.Update) {
          this.applyClientUpdate(conn, payload)
        } else {
          throw new ProtocolError(CloseCode.MalformedMessage, `unknown sync message type ${syncType}`)
        }
        return
      }
      case MessageType.Awareness: {
        const update = readVarUint8Array(decoder)
        expectEnd(decoder)
        this.limit(conn, 'presence', data.byteLength, 0)
        const entries = this.presence.decode(update)
        // Echoes of everyone else's presence cost bytes; messages count only one's own.
        if (this.presence.ownEntries(conn, entries) > 0) this.limit(conn, 'presence', 0, 1)
        this.presence.receive(conn, entries)
        return
      }
      case MessageType.QueryAwareness: {
        expectEnd(decoder)
        this.limit(conn, 'syncRequests', data.byteLength)
        const presence = this.presence.snapshotMessage()
        if (presence) {
          conn.limits?.chargeBytes('syncRequests', presence.byteLength)
          conn.socket.send(presence)
        }
        return
      }
      default:
        throw new ProtocolError(CloseCode.UnknownMessageType, `unknown message type ${type}`)
    }
  }

  /** A sync step 1 asks for everything the client lacks: it costs what the answer weighs. */
  private answerSyncStep1(conn: Connection, data: Uint8Array, stateVector: Uint8Array): void {
    this.limit(conn, 'syncRequests', data.byteLength)
    let diff: Uint8Array
    try {
      // An empty state vector (one byte: no clients) asks for everything.
      const everything = stateVector.length === 1 && stateVector[0] === 0
      diff = everything && this.loadedState ? this.loadedState : Y.encodeStateAsUpdate(this.doc, stateVector)
    } catch {
      throw new ProtocolError(CloseCode.MalformedMessage, 'invalid state vector')
    }
    conn.limits?.chargeBytes('syncRequests', diff.byteLength)
    this.pipeline.sendGated(conn, syncStep2Message(diff))
  }

  private applyClientUpdate(conn: Connection, update: Uint8Array): void {
    conn.docMessages++
    this.limit(conn, 'updates', update.byteLength)
    let decoded: DecodedUpdate
    try {
      // Decoding the whole update first means a truncated or garbage update is refused before
      // anything of it is applied (Yjs integrates structs before it reads the delete set).
      decoded = Y.decodeUpdate(update)
    } catch {
      throw new ProtocolError(CloseCode.InvalidUpdate, 'update could not be decoded')
    }
    checkUpdateShape(this.doc, decoded)
    const verdict = this.options.updatePolicy({
      mode: conn.mode,
      doc: this.doc,
      update,
      decoded,
      identity: conn.options.identity,
    })
    if (verdict.kind === 'reject') {
      throw new ProtocolError(verdict.closeCode ?? CloseCode.WriteNotAllowed, verdict.reason)
    }
    if (verdict.kind === 'apply') {
      // Splits are structs too, and grow the document beyond the update's bytes; a deletion that
      // only splits (cutting out every other character) grows it most, so it counts as an addition.
      const splits = countSplits(this.doc, decoded)
      checkStructCount(decoded, splits)
      const grows = this.options.maxDocumentBytes === undefined ? 0 : splits.growth
      const adds = (decoded.structs.length > 0 ? update.byteLength : 0) + grows
      if (adds > 0) this.checkDocumentSize(adds)
      if (decoded.ds.clients.size > 0) this.checkCollectionWork(decoded)
      // Who wrote what: every client id this update writes new content with is this person's.
      if (this.options.clients) {
        claimClientIds(this.options.clients, this.name, this.doc, decoded, conn.options.identity.userId)
      }
      const collected: Uint8Array[] = []
      this.collecting = collected
      // Nothing is ever kept pending (the policy refuses what would be); a log stored by an older
      // server may have left some at load, and it must not integrate behind the policy's back.
      discardPending(this.doc, this.log)
      try {
        Y.applyUpdate(this.doc, update, conn)
        // Safety net: the policy refuses every update Yjs would keep pending. If one got through,
        // the policy has a bug: nothing of it is stored or sent, and the room reloads.
        if (leftPending(this.doc)) throw new Error('an accepted update left pending structs or deletes')
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
      if (grows > 0) this.compactor.grew(grows)
      for (const u of collected) this.commit(u, clientOrigin(conn), conn)
    }
    if (conn.options.acks) this.pipeline.sendGated(conn, saveAckMessage(conn.docMessages))
  }

  /**
   * Refuses an update that adds to a document already at its size limit (removals that shrink
   * it are always let through, so the team can make room). The quick measure is the stored log
   * (with the growth of splits not yet merged into it), which holds more than the document once
   * content was removed; past the limit the document itself is measured (encoded, once per
   * change; the time is the writer's, charged to their budget) and the log is merged so that the
   * quick measure catches up.
   */
  private checkDocumentSize(bytes: number): void {
    const max = this.options.maxDocumentBytes
    if (max === undefined || this.compactor.stats.bytes + bytes <= max) return
    this.compactor.compactUnmerged()
    if (this.measured?.changes !== this.changes) {
      this.measured = { changes: this.changes, bytes: Y.encodeStateAsUpdate(this.doc).byteLength }
    }
    const size = this.measured.bytes
    if (size + bytes <= max) return
    throw new ProtocolError(
      CloseCode.DocumentTooLarge,
      `the document is at its size limit: ${size} bytes, ${bytes} more refused (limit ${max})`,
    )
  }

  /**
   * Refuses an update whose deletions would hold Yjs too long (see collectionWork.ts), and merges
   * the log once the deletions accepted since its last merge add up: a load applies the whole
   * log in one transaction, so they would all be collected at once at every load.
   */
  private checkCollectionWork(decoded: DecodedUpdate): void {
    const work = collectionWork(this.doc, decoded, MAX_COLLECTION_WORK)
    if (work > MAX_COLLECTION_WORK) {
      throw new ProtocolError(
        CloseCode.ChangeTooLarge,
        'update deletes more at once than the server collects in one go; delete in smaller parts',
      )
    }
    this.collectionWorkUnmerged += work
    if (this.collectionWorkUnmerged > MERGE_AFTER_COLLECTION_WORK && this.compactor.compactNow()) {
      this.collectionWorkUnmerged = 0
    }
  }

  /** Takes a message from the connection's token buckets, or refuses it with SlowDown. */
  private limit(conn: Connection, kind: LimitKind, bytes: number, messages = 1): void {
    const over = conn.limits?.take(kind, bytes, messages)
    if (over) throw new ProtocolError(CloseCode.SlowDown, `slow down: too many ${kind} ${over} per second`)
  }

  // ---- changes ----

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.loadedState = null
    this.changes++
    if (this.collecting) {
      this.collecting.push(update)
      return
    }
    if (origin instanceof Connection) {
      this.commit(update, clientOrigin(origin), origin)
    } else if (origin instanceof PeerChange) {
      this.pipeline.relay({ update, origin: { kind: 'peer', instanceId: origin.instanceId }, author: origin.author })
    } else {
      // transactServer claimed the server's client id before it wrote; other server-side writes
      // (a direct doc.transact) are recorded now.
      this.claimServerClientId()
      const by = origin instanceof ServerChange ? origin : new ServerChange(null, 'server')
      this.commit(update, { kind: 'server', userId: by.userId, reason: by.reason }, null)
    }
  }

  /** Stores a change, then (through the outbox) sends it to everyone but `authorConn`. */
  private commit(update: Uint8Array, origin: ChangeOrigin, authorConn: Connection | null): void {
    const author = origin.kind === 'peer' ? null : origin.userId
    this.compactor.appended(update.byteLength)
    this.pipeline.append({ update, origin, author }, authorConn)
  }

  private afterDurable(change: DurableChange, seq: number | null): void {
    try {
      this.options.onDurableChange?.(this, change)
    } catch (error) {
      this.log.error({ err: error }, 'a durable-change hook failed')
    }
    if (seq !== null) this.compactor.durable(seq)
  }

  /** Records the server's client id as the server's (null) once, before or as it first writes. */
  private claimServerClientId(): void {
    if (!this.options.clients || this.serverClientClaimed) return
    this.serverClientClaimed = claimServerClientId(this.options.clients, this.name, this.doc, this.log)
  }

  private broadcastNow(data: Uint8Array, except: Connection | null): void {
    for (const conn of this.connections) {
      if (conn !== except && !conn.closed && !this.waiting.has(conn)) conn.socket.send(data)
    }
  }
}

function clientOrigin(conn: Connection): ChangeOrigin {
  return { kind: 'client', connectionId: conn.id, userId: conn.options.identity.userId }
}
