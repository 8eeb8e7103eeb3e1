import { MessageType, SyncMessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import type { ClaimedSocket } from './earlySocket.ts'

/** True when a frame changes the document: a sync step 2 or a sync update. */
export function isDocumentMessage(data: unknown): boolean {
  let bytes: Uint8Array
  if (data instanceof Uint8Array) bytes = data
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data)
  else return false
  try {
    const decoder = decoding.createDecoder(bytes)
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return false
    const sub = decoding.readVarUint(decoder)
    return sub === SyncMessageType.Step2 || sub === SyncMessageType.Update
  } catch {
    return false
  }
}

export interface CountingSocket extends WebSocket {
  /** Document-changing frames sent on this socket. */
  documentMessagesSent: number
  /** How many of them the server says are durably stored (its SaveAck count). */
  documentMessagesAcked: number
}

export function isCountingSocket(ws: unknown): ws is CountingSocket {
  return typeof (ws as CountingSocket | null)?.documentMessagesSent === 'number'
}

/** Makes `ws` count the document-changing frames sent on it (see `countingWebSocketClass`). */
function countSends(ws: WebSocket, onChange: () => void): CountingSocket {
  const counting = ws as CountingSocket
  counting.documentMessagesSent = 0
  counting.documentMessagesAcked = 0
  const send = ws.send.bind(ws)
  counting.send = (data) => {
    send(data)
    if (isDocumentMessage(data)) {
      counting.documentMessagesSent++
      onChange()
    }
  }
  return counting
}

/**
 * A WebSocket class for y-websocket's `WebSocketPolyfill` option that counts the document-changing
 * frames it sends, so that the server's SaveAck count can tell when everything sent is stored.
 * The counters belong to one socket: they restart with every reconnection, as the server's do.
 *
 * `early`: a connection the page opened before the provider (earlySocket.ts). The provider's first
 * connection is that one: the messages that arrived on it are handed to the provider's handler in
 * order, before anything newer, and an open connection then reports itself open.
 */
export function countingWebSocketClass(onChange: () => void, early: ClaimedSocket | null = null): typeof WebSocket {
  let first = early
  function CountingWebSocket(url: string | URL, protocols?: string | string[]): WebSocket {
    const claimed = first
    first = null
    if (!claimed || claimed.socket.readyState > WebSocket.OPEN) {
      return countSends(new WebSocket(url, protocols), onChange)
    }
    const { socket, received } = claimed
    countSends(socket, onChange)
    // The provider sets its handlers right after constructing the socket; a microtask runs after
    // that and before any later message is dispatched.
    queueMicrotask(() => {
      for (const data of received) socket.onmessage?.(new MessageEvent('message', { data }))
      if (claimed.wasOpen && socket.readyState === WebSocket.OPEN) socket.onopen?.(new Event('open'))
    })
    return socket
  }
  return CountingWebSocket as unknown as typeof WebSocket
}
