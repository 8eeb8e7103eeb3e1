import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { waitFor } from './wait.ts'

export interface TestClient {
  doc: Y.Doc
  provider: WebsocketProvider
  destroy(): void
}

/** A stock y-websocket provider in Node, as any outside client would use it. */
export function connectClient(
  collabUrl: string,
  docName: string,
  {
    params = {},
    doc = new Y.Doc(),
    connect = true,
  }: { params?: Record<string, string>; doc?: Y.Doc; connect?: boolean } = {},
): TestClient {
  const provider = new WebsocketProvider(collabUrl, docName, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws's WebSocket stands in for the browser's
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
    params,
    connect,
    maxBackoffTime: 200,
  })
  return {
    doc,
    provider,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

export async function synced(client: TestClient, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => client.provider.synced, { timeoutMs, message: `${client.provider.roomname} to sync` })
}

/** Waits until all documents have the same state vector and the same content. */
export async function converged(docs: Y.Doc[], timeoutMs = 15_000): Promise<void> {
  await waitFor(
    () => {
      const first = docs[0] as Y.Doc
      const sv = Buffer.from(Y.encodeStateVector(first)).toString('base64')
      const json = JSON.stringify(snapshotOf(first))
      return docs.every(
        (d) => Buffer.from(Y.encodeStateVector(d)).toString('base64') === sv && JSON.stringify(snapshotOf(d)) === json,
      )
    },
    { timeoutMs, message: 'documents to converge' },
  )
}

/** The content of the shared types the tests use, as plain JSON. */
export function snapshotOf(doc: Y.Doc): unknown {
  return {
    text: doc.getText('text').toString(),
    xml: doc.getXmlFragment('xml').toString(),
    // Sorted: a Y.Map's key order is the order each replica learned the keys in.
    map: Object.fromEntries(Object.entries(doc.getMap('map').toJSON()).sort(([a], [b]) => a.localeCompare(b))),
    list: doc.getArray('list').toJSON(),
  }
}

/**
 * Connects signed-in clients to one server's documents and remembers them, so a test can close
 * every client it opened (`clients`) after it.
 */
export function clientPool(server: () => { url: string }) {
  const clients: TestClient[] = []
  const connect = (docName: string, token: string) => {
    const c = connectClient(`${server().url.replace(/^http/, 'ws')}/collab`, docName, { params: { token } })
    clients.push(c)
    return c
  }
  return { clients, connect }
}
