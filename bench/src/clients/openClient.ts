import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { monotonicMicros } from '../clock.ts'
import type { ClientTarget } from '../servers/types.ts'

/** One editor's (or viewer's) connection to one document, whichever provider it takes. */
export interface BenchClient {
  readonly docName: string
  readonly doc: Y.Doc
  readonly awareness: Awareness
  /** Resolves after the first sync with the server; rejects if the server refuses the client. */
  readonly synced: Promise<void>
  destroy(): void
}

export interface OpenClientOptions {
  /** Announce a presence (awareness state). Passive viewers do not. */
  presence: boolean
  /** Filled in with when the client asked for the document and when the whole answer arrived. */
  timing?: SyncTiming
}

/** Times on the monotonic clock (µs) of a client's first sync, as its socket saw them. */
export interface SyncTiming {
  /** The client sent its sync request (sync step 1). */
  requestedAt: number | null
  /** The last byte of the server's answer (sync step 2) arrived, before the client applied it. */
  answeredAt: number | null
}

/**
 * The sync message type of a frame (0: step 1, 1: step 2, 2: update), or -1 for other frames.
 * Hocuspocus frames start with the document's name.
 */
function syncSubType(frame: Uint8Array, named: boolean): number {
  try {
    const decoder = decoding.createDecoder(frame)
    if (named) decoding.readVarString(decoder)
    if (decoding.readVarUint(decoder) !== 0) return -1
    return decoding.readVarUint(decoder)
  } catch {
    return -1
  }
}

function frameBytes(data: unknown): Uint8Array | null {
  if (data instanceof Uint8Array) return data
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[])
  return null
}

/**
 * `ws`'s WebSocket, noting when the first sync request leaves and when the first sync answer has
 * arrived whole (a message event fires once its last byte is in), ahead of the provider's handlers.
 */
function timedWebSocket(timing: SyncTiming, named: boolean): typeof WebSocket {
  class TimedWebSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      this.on('message', (data) => {
        if (timing.answeredAt !== null || timing.requestedAt === null) return
        const frame = frameBytes(data)
        if (frame && syncSubType(frame, named) === 1) timing.answeredAt = monotonicMicros()
      })
    }
    // biome-ignore lint/suspicious/noExplicitAny: ws's overloads
    override send(data: any, ...rest: any[]): void {
      if (timing.requestedAt === null) {
        const frame = frameBytes(data)
        if (frame && syncSubType(frame, named) === 0) timing.requestedAt = monotonicMicros()
      }
      // biome-ignore lint/suspicious/noExplicitAny: ws's overloads
      ;(super.send as any)(data, ...rest)
    }
  }
  return TimedWebSocket as unknown as typeof WebSocket
}

/**
 * Opens a client the way an application would: the stock `WebsocketProvider` from y-websocket
 * (Lever, y-websocket-server) or `HocuspocusProvider` (Hocuspocus), in Node with `ws`.
 */
export function openClient(target: ClientTarget, docName: string, options: OpenClientOptions): BenchClient {
  return target.protocol === 'hocuspocus'
    ? openHocuspocusClient(target, docName, options)
    : openYWebsocketClient(target, docName, options)
}

function openYWebsocketClient(
  target: ClientTarget,
  docName: string,
  { presence, timing }: OpenClientOptions,
): BenchClient {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(target.url, docName, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws's WebSocket stands in for the browser's
    WebSocketPolyfill: (timing ? timedWebSocket(timing, false) : WebSocket) as any,
    disableBc: true,
    params: target.params,
    connect: false,
    maxBackoffTime: 1000,
  })
  if (!presence) provider.awareness.setLocalState(null)
  const synced = new Promise<void>((resolve, reject) => {
    provider.on('sync', (isSynced) => {
      if (isSynced) resolve()
    })
    provider.on('closed', (event) => reject(new Error(`${docName}: server closed the connection ${event.code}`)))
  })
  synced.catch(() => {})
  provider.connect()
  return {
    docName,
    doc,
    awareness: provider.awareness,
    synced,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

function openHocuspocusClient(
  target: ClientTarget,
  docName: string,
  { presence, timing }: OpenClientOptions,
): BenchClient {
  const doc = new Y.Doc()
  const awareness = new Awareness(doc)
  if (!presence) awareness.setLocalState(null)
  let resolveSynced: () => void = () => {}
  let rejectSynced: (error: Error) => void = () => {}
  const synced = new Promise<void>((resolve, reject) => {
    resolveSynced = resolve
    rejectSynced = reject
  })
  synced.catch(() => {})
  // One socket per client, as y-websocket has; created explicitly to hand it Node's WebSocket.
  const socket = new HocuspocusProviderWebsocket({
    url: target.url,
    WebSocketPolyfill: timing ? timedWebSocket(timing, true) : WebSocket,
  })
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: docName,
    document: doc,
    awareness,
    token: target.params.token ?? null,
    onSynced: ({ state }) => {
      if (state) resolveSynced()
    },
    onAuthenticationFailed: ({ reason }) => rejectSynced(new Error(`${docName}: authentication failed: ${reason}`)),
  })
  provider.attach()
  return {
    docName,
    doc,
    awareness,
    synced,
    destroy() {
      provider.destroy()
      socket.destroy()
      doc.destroy()
    },
  }
}
