import { MessageType, SyncMessageType } from '@lever/shared'
import * as decoding from 'lib0/decoding'

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

/**
 * A WebSocket class for y-websocket's `WebSocketPolyfill` option that counts the document-changing
 * frames it sends, so that the server's SaveAck count can tell when everything sent is stored.
 * The counters belong to one socket: they restart with every reconnection, as the server's do.
 */
export function countingWebSocketClass(onChange: () => void): typeof WebSocket {
  return class CountingWebSocket extends WebSocket implements CountingSocket {
    documentMessagesSent = 0
    documentMessagesAcked = 0

    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      super.send(data)
      if (isDocumentMessage(data)) {
        this.documentMessagesSent++
        onChange()
      }
    }
  }
}
