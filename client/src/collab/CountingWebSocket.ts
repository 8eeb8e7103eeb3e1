import { MessageType, SyncMessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'
import { claimEarlySocket } from './earlySocket.ts'

/** A frame's sync message type (step 1, step 2, update), or null when it is not a sync message. */
function syncTypeOf(data: unknown): number | null {
  let bytes: Uint8Array
  if (data instanceof Uint8Array) bytes = data
  else if (data instanceof ArrayBuffer) bytes = new Uint8Array(data)
  else return null
  try {
    const decoder = decoding.createDecoder(bytes)
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return null
    return decoding.readVarUint(decoder)
  } catch {
    return null
  }
}

/** True when a frame changes the document: a sync step 2 or a sync update. */
export function isDocumentMessage(data: unknown): boolean {
  const type = syncTypeOf(data)
  return type === SyncMessageType.Step2 || type === SyncMessageType.Update
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

/**
 * Makes `ws` count the document-changing frames sent on it (see `countingWebSocketClass`).
 * `skipFirstStep1`: the socket has already asked for the whole document, so the provider's own
 * first request is not sent (it would have the whole document sent a second time).
 */
function countSends(ws: WebSocket, onChange: () => void, skipFirstStep1 = false): CountingSocket {
  const counting = ws as CountingSocket
  counting.documentMessagesSent = 0
  counting.documentMessagesAcked = 0
  const send = ws.send.bind(ws)
  let skip = skipFirstStep1
  counting.send = (data) => {
    if (skip && syncTypeOf(data) === SyncMessageType.Step1) {
      skip = false
      return
    }
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
 * The provider's first connection is the one the page opened as it started, when there is one
 * for the same address (earlySocket.ts): the messages that arrived on it are handed to the
 * provider's handler in order, before anything newer, and a connection that has opened then
 * reports itself open (it will not again). The provider sets its handlers in the same task as it
 * constructs the socket, and the hand-over runs in a microtask after that, before any later
 * message is dispatched.
 */
export function countingWebSocketClass(onChange: () => void): typeof WebSocket {
  let first = true
  function CountingWebSocket(url: string | URL, protocols?: string | string[]): WebSocket {
    const claimed = first ? claimEarlySocket(String(url)) : null
    first = false
    if (!claimed) return countSends(new WebSocket(url, protocols), onChange)
    const { socket, received, asked } = claimed
    countSends(socket, onChange, asked)
    queueMicrotask(() => {
      for (const data of received) {
        try {
          socket.onmessage?.(new MessageEvent('message', { data }))
        } catch (error) {
          // As when the browser dispatches it: the error is reported and the next message follows.
          reportError(error)
        }
      }
      if (asked && socket.readyState === WebSocket.OPEN) socket.onopen?.(new Event('open'))
    })
    return socket
  }
  return CountingWebSocket as unknown as typeof WebSocket
}
