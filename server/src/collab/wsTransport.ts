import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { AccessMode } from '@lever/shared'
import { CloseCode, LAYOUT_PARAM, parseDocName } from '@lever/shared'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import type { Logger } from '../logger.ts'
import { type CollabMeter, NO_METER } from './CollabMeter.ts'
import type { Connection, ConnectionIdentity } from './Connection.ts'
import type { Room } from './Room.ts'
import type { RoomManager } from './RoomManager.ts'

export const COLLAB_PATH_PREFIX = '/collab/'

export type ConnectionGrant =
  | { ok: true; mode: AccessMode; identity: ConnectionIdentity }
  | { ok: false; code: number; reason: string }

/** Decides who may open a document and how; checked on every (re)connection. */
export type AuthorizeConnection = (request: IncomingMessage, docName: string) => Promise<ConnectionGrant>

export interface CollabTransportOptions {
  rooms: RoomManager
  authorize: AuthorizeConnection
  logger: Logger
  /** Frames larger than this close the connection with 1009 (MessageTooBig). */
  maxMessageBytes: number
  /** Interval of protocol pings; a socket that missed a pong is terminated. */
  heartbeatMs: number
  /** A client that lets more than this many bytes pile up unsent is disconnected (it resyncs). */
  maxBufferedBytes?: number
  /**
   * The document layout version clients must write for a document kind (undefined: not checked).
   * A client whose `?layout=` is older is closed with ReloadRequired before it can write.
   */
  layoutVersionOf?: (kind: string) => number | undefined
  /** Counts frames, bytes, refusals and close codes for monitoring. */
  meter?: CollabMeter
  /** Connections one signed-in person may hold open: to this server, to one document. */
  maxConnectionsPerPerson?: { server: number; document: number }
}

const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024

/** Frames a client may send while its connection is still being authorized. */
const MAX_EARLY_FRAMES = 256

/**
 * Connections one person may hold open at once, to this server and to one document (tabs and
 * devices on the same plan): far above what a person opens, far below what lets one account fill
 * a room's presence or the server's memory.
 */
const DEFAULT_MAX_CONNECTIONS_PER_PERSON = { server: 100, document: 12 }

/**
 * The WebSocket side of `/collab/<docName>`: it upgrades, authorizes, and turns `ws` frames into
 * bytes for the room. It knows nothing of Yjs.
 */
export class CollabTransport {
  private readonly wss: WebSocketServer
  private readonly heartbeat: NodeJS.Timeout
  private readonly alive = new WeakMap<WebSocket, boolean>()
  private accepting = true
  private readonly meter: CollabMeter
  /** Open connections per signed-in person: in all, and per document. */
  private readonly held = new Map<string, { total: number; byDoc: Map<string, number> }>()

  constructor(private readonly options: CollabTransportOptions) {
    this.meter = options.meter ?? NO_METER
    this.wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes })
    this.heartbeat = setInterval(() => this.ping(), options.heartbeatMs)
    this.heartbeat.unref()
  }

  /** Handles an HTTP upgrade if it is for a collaboration document; returns false otherwise. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (!url.pathname.startsWith(COLLAB_PATH_PREFIX)) return false
    socket.on('error', (error) => this.options.logger.debug({ err: error }, 'upgrade socket error'))
    if (!this.accepting) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n')
      return true
    }
    let docName = ''
    try {
      docName = decodeURIComponent(url.pathname.slice(COLLAB_PATH_PREFIX.length))
    } catch {
      docName = ''
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      void this.accept(ws, socket, request, docName, url.searchParams)
    })
    return true
  }

  get connectionCount(): number {
    return this.wss.clients.size
  }

  /** Stops accepting connections and closes the open ones with `code`. */
  close(code: number = CloseCode.GoingAway, reason = 'server shutting down'): void {
    this.accepting = false
    clearInterval(this.heartbeat)
    for (const ws of this.wss.clients) ws.close(code, reason)
    this.wss.close()
  }

  /**
   * Ends at once the connections still open after `close`: a client that never answers the close
   * frame would otherwise keep its socket (and the HTTP server's close, and so the process) until
   * `ws` gives up on it, 30 seconds later.
   */
  terminate(): void {
    for (const ws of this.wss.clients) ws.terminate()
  }

  private async accept(
    ws: WebSocket,
    socket: Duplex,
    request: IncomingMessage,
    docName: string,
    params: URLSearchParams,
  ): Promise<void> {
    const log = this.options.logger
    const meter = this.meter
    const refuse = (code: number, reason: string) => {
      meter.refused(code)
      closeWith(ws, code, reason)
    }
    let room: Room | null = null
    let conn: Connection | null = null
    let closed = false
    const early: Uint8Array[] = []
    this.alive.set(ws, true)

    ws.on('pong', () => this.alive.set(ws, true))
    ws.on('error', (error) => log.warn({ err: error, doc: docName }, 'websocket error'))
    let release: (() => void) | null = null
    ws.on('close', (code: number) => {
      meter.closed(code)
      closed = true
      release?.()
      if (room && conn) room.disconnect(conn)
    })
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!isBinary) {
        refuse(CloseCode.MalformedMessage, 'text frames are not part of the protocol')
        return
      }
      const bytes = toBytes(data)
      meter.received(bytes.byteLength)
      if (room && conn) {
        room.receive(conn, bytes)
      } else if (early.length < MAX_EARLY_FRAMES) {
        early.push(bytes)
      } else {
        refuse(CloseCode.RateLimited, 'too many messages before the connection was ready')
      }
    })

    const parsed = parseDocName(docName)
    if (!parsed) {
      refuse(CloseCode.DocumentNotFound, 'no such document')
      return
    }
    const layout = this.checkLayout(parsed.kind, params.get(LAYOUT_PARAM))
    if (layout) {
      log.info({ doc: docName, code: layout.code, reason: layout.reason }, 'connection refused')
      refuse(layout.code, layout.reason)
      return
    }
    let grant: ConnectionGrant
    try {
      grant = await this.options.authorize(request, docName)
    } catch (error) {
      log.error({ err: error, doc: docName }, 'authorizing a connection failed')
      closeWith(ws, 1011, 'internal error')
      return
    }
    // Closing began while it was authorized: `close` has already sent this socket its close
    // frame, and a room opened now would load against storage that is closing.
    if (closed || !this.accepting) return
    if (!grant.ok) {
      log.info({ doc: docName, code: grant.code, reason: grant.reason }, 'connection refused')
      refuse(grant.code, grant.reason)
      return
    }
    const userId = grant.identity.userId
    if (userId !== null) {
      release = this.hold(userId, docName)
      if (!release) {
        log.warn({ doc: docName, userId, code: CloseCode.TooManyConnections }, 'connection refused: too many open')
        refuse(CloseCode.TooManyConnections, 'too many open connections for this person')
        return
      }
    }
    room = this.options.rooms.get(docName)
    conn = room.connect(
      {
        send: (data) => {
          if (ws.readyState !== ws.OPEN) return
          if (ws.bufferedAmount > (this.options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES)) {
            // It is not reading, so a close handshake would never finish: drop the socket.
            log.warn(
              { doc: docName, buffered: ws.bufferedAmount, code: CloseCode.SlowConsumer },
              'client too slow; dropping it',
            )
            ws.terminate()
            return
          }
          meter.sent(data.byteLength)
          corkForThisTick(socket)
          ws.send(data)
        },
        close: (code, reason) => closeWith(ws, code, reason),
      },
      { mode: grant.mode, identity: grant.identity, acks: params.get('acks') === '1' },
    )
    for (const bytes of early) room.receive(conn, bytes)
    early.length = 0
  }

  /**
   * Counts one more open connection of `userId` to `docName`, and returns what uncounts it; or
   * null, counting nothing, when the person already holds as many as allowed.
   */
  private hold(userId: string, docName: string): (() => void) | null {
    const held = this.held.get(userId) ?? { total: 0, byDoc: new Map<string, number>() }
    const inDoc = held.byDoc.get(docName) ?? 0
    const max = this.options.maxConnectionsPerPerson ?? DEFAULT_MAX_CONNECTIONS_PER_PERSON
    if (held.total >= max.server || inDoc >= max.document) return null
    held.total++
    held.byDoc.set(docName, inDoc + 1)
    this.held.set(userId, held)
    let released = false
    return () => {
      if (released) return
      released = true
      held.total--
      const left = (held.byDoc.get(docName) ?? 1) - 1
      if (left > 0) held.byDoc.set(docName, left)
      else held.byDoc.delete(docName)
      if (held.total === 0) this.held.delete(userId)
    }
  }

  /** The version handshake: a refusal when the client writes an older layout than this server. */
  private checkLayout(kind: string, sent: string | null): { code: number; reason: string } | null {
    if (sent === null) return null // a stock provider or a script: nothing to compare
    const version = Number(sent)
    if (!/^\d{1,9}$/.test(sent) || !Number.isSafeInteger(version)) {
      return { code: CloseCode.MalformedMessage, reason: 'invalid layout version' }
    }
    const required = this.options.layoutVersionOf?.(kind)
    if (required !== undefined && version < required) {
      return { code: CloseCode.ReloadRequired, reason: `layout ${version} is older than ${required}: reload` }
    }
    return null
  }

  private ping(): void {
    for (const ws of this.wss.clients) {
      if (this.alive.get(ws) === false) {
        ws.terminate()
        continue
      }
      this.alive.set(ws, false)
      ws.ping()
    }
  }
}

/** Sockets holding back their writes until the current tick's work is done. */
const corked: Duplex[] = []

/**
 * Holds back a socket's writes until the work of the current tick is done, so that the frames a
 * tick sends to one client (an edit and the cursor that came with it, the edits of one group
 * commit) leave in one write instead of a system call each.
 */
function corkForThisTick(socket: Duplex): void {
  if (socket.writableCorked > 0) return
  socket.cork()
  corked.push(socket)
  if (corked.length === 1) process.nextTick(uncorkAll)
}

function uncorkAll(): void {
  const sockets = corked.splice(0)
  for (const socket of sockets) socket.uncork()
}

function closeWith(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.CLOSING || ws.readyState === ws.CLOSED) return
  // Close reasons are limited to 123 bytes.
  ws.close(code, Buffer.from(reason).subarray(0, 123).toString())
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  // Copy out of ws's pooled buffer so that a decoder can never see neighbouring bytes.
  return new Uint8Array(data)
}
