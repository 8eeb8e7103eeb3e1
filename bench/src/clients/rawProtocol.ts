import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import type { ClientTarget } from '../servers/types.ts'

/**
 * The y-sync wire format of each server, written and read by hand for the server-limited ingest's
 * clients, which send pre-built frames and count received ones instead of running a provider.
 *
 * - y-websocket (Lever, y-websocket-server): one message per WebSocket frame, `[type][payload]`,
 *   the document named by the URL (`<url>/<docName>?<params>`);
 * - Hocuspocus: the same messages with the document name in front, `[varString docName][type]…`,
 *   after an authentication message (`[docName][Auth][Token][varString token]`) that the server
 *   waits for before it handles anything else of that document.
 */

export const MESSAGE_SYNC = 0
export const MESSAGE_AUTH = 2
/** Hocuspocus: the server's sync step 1 that asks for no step 1 back. Read like a sync message. */
export const MESSAGE_SYNC_REPLY = 4
export const SYNC_STEP1 = 0
export const SYNC_STEP2 = 1
export const SYNC_UPDATE = 2
/** Hocuspocus auth sub-messages (`@hocuspocus/common`'s AuthMessageType). */
const AUTH_TOKEN = 0
const AUTH_PERMISSION_DENIED = 1

/** How one client talks to one document of a server. */
export interface RawFraming {
  /** The URL the WebSocket opens. */
  url: string
  /** Messages to send first, once the socket is open (Hocuspocus: the authentication message). */
  opening(): Uint8Array[]
  /** A sync message (`subtype`: step 1, step 2 or update) carrying `payload`. */
  sync(subtype: number, payload: Uint8Array): Uint8Array
  /**
   * Reads a received frame's header: the message type and, for sync messages, the sub-type, with
   * the decoder left at the payload. Null when the frame is for another document.
   */
  read(frame: Uint8Array): IncomingHeader | null
}

export interface IncomingHeader {
  type: number
  /** Sync sub-type (sync messages only; -1 otherwise). */
  subtype: number
  decoder: decoding.Decoder
}

/** The framing of `docName` on `target`'s server. */
export function framingFor(target: ClientTarget, docName: string): RawFraming {
  return target.protocol === 'hocuspocus' ? hocuspocusFraming(target, docName) : yWebsocketFraming(target, docName)
}

function yWebsocketFraming(target: ClientTarget, docName: string): RawFraming {
  const query = new URLSearchParams(target.params).toString()
  return {
    // As y-websocket's WebsocketProvider builds it: the name appended as it is.
    url: `${target.url}/${docName}${query ? `?${query}` : ''}`,
    opening: () => [],
    sync: (subtype, payload) => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_SYNC)
      encoding.writeVarUint(encoder, subtype)
      encoding.writeVarUint8Array(encoder, payload)
      return encoding.toUint8Array(encoder)
    },
    read: (frame) => readHeader(decoding.createDecoder(frame)),
  }
}

function hocuspocusFraming(target: ClientTarget, docName: string): RawFraming {
  const addressed = (write: (encoder: encoding.Encoder) => void) => {
    const encoder = encoding.createEncoder()
    encoding.writeVarString(encoder, docName)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }
  const address = new TextEncoder().encode(docName)
  return {
    url: target.url,
    opening: () => [
      addressed((e) => {
        encoding.writeVarUint(e, MESSAGE_AUTH)
        encoding.writeVarUint(e, AUTH_TOKEN)
        // The provider sends an empty token when it has none; the server's onAuthenticate decides.
        encoding.writeVarString(e, target.params.token ?? '')
      }),
    ],
    sync: (subtype, payload) =>
      addressed((e) => {
        encoding.writeVarUint(e, MESSAGE_SYNC)
        encoding.writeVarUint(e, subtype)
        encoding.writeVarUint8Array(e, payload)
      }),
    read: (frame) => {
      const decoder = decoding.createDecoder(frame)
      // The address, compared byte by byte rather than decoded into a string.
      const length = decoding.readVarUint(decoder)
      if (length !== address.length) return null
      for (let i = 0; i < length; i++) if (frame[decoder.pos + i] !== address[i]) return null
      decoder.pos += length
      return readHeader(decoder)
    },
  }
}

function readHeader(decoder: decoding.Decoder): IncomingHeader {
  const type = decoding.readVarUint(decoder)
  const subtype = type === MESSAGE_SYNC || type === MESSAGE_SYNC_REPLY ? decoding.readVarUint(decoder) : -1
  return { type, subtype, decoder }
}

/** A Hocuspocus authentication answer refusing the client, with its reason; null otherwise. */
export function permissionDenied(header: IncomingHeader): string | null {
  if (header.type !== MESSAGE_AUTH) return null
  if (decoding.readVarUint(header.decoder) !== AUTH_PERMISSION_DENIED) return null
  return decoding.readVarString(header.decoder)
}

/** True for a sync message (Hocuspocus's reply variant too). */
export const isSync = (header: IncomingHeader): boolean =>
  header.type === MESSAGE_SYNC || header.type === MESSAGE_SYNC_REPLY

/**
 * The client and first clock of a received update's first struct group, read from the update's
 * header without decoding the rest (Yjs update format v1: number of clients, then per client the
 * number of structs, the client id and the clock of its first struct). Null for an update that
 * holds no structs (deletions only).
 */
export function firstStructOf(updateDecoder: decoding.Decoder): { client: number; clock: number } | null {
  decoding.readVarUint(updateDecoder) // the update's length (it is a varUint8Array)
  const clients = decoding.readVarUint(updateDecoder)
  if (clients === 0) return null
  decoding.readVarUint(updateDecoder) // structs of that client
  const client = decoding.readVarUint(updateDecoder)
  const clock = decoding.readVarUint(updateDecoder)
  return { client, clock }
}
