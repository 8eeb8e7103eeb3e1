import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import WebSocket from 'ws'
import { Awareness } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
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

function openYWebsocketClient(target: ClientTarget, docName: string, { presence }: OpenClientOptions): BenchClient {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(target.url, docName, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws's WebSocket stands in for the browser's
    WebSocketPolyfill: WebSocket as any,
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

function openHocuspocusClient(target: ClientTarget, docName: string, { presence }: OpenClientOptions): BenchClient {
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
  const socket = new HocuspocusProviderWebsocket({ url: target.url, WebSocketPolyfill: WebSocket })
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
