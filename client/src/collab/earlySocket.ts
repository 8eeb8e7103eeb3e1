import { LAYOUT_PARAM, layoutVersionOf, parseDocName } from '@lever/shared'
import { encodeQueryParams } from 'lib0/url'

/**
 * A live document's connection opened as the page starts, before the code that edits it has
 * loaded.
 *
 * A plan opened from a link or a reload used to connect only after its code had arrived and run,
 * who was signed in had been asked, and the plan's summary had come back: the document's bytes
 * then still had a round trip to make, while the page waited. Now the app's first script opens
 * the connection and asks for the whole document at once; what arrives waits here, and the
 * page's provider takes the connection over when it starts (`claimEarlySocket`). If nobody takes
 * it (the plan turned out not to be readable, the person went elsewhere), it is closed.
 *
 * The cookie of the person signed in travels with the upgrade, as with any connection; the
 * server checks it and the person's access the same way, and closes the connection with its
 * usual code when they may not read the document.
 */

/** How long an early connection waits to be taken over before it is closed. */
export const UNCLAIMED_MS = 15_000
/** Messages kept for the provider at most; past them the early connection is given up. */
export const MAX_KEPT = 256

/** Sync step 1 with an empty state vector: "send me everything". */
const ASK_FOR_EVERYTHING = new Uint8Array([0, 0, 1, 0])

/** An early connection taken over by a provider: the socket and what arrived on it so far. */
export interface ClaimedSocket {
  socket: WebSocket
  received: unknown[]
  /**
   * It had opened and asked for the whole document (it will not report opening again). When it
   * had not, its opening, and asking for the document, are the provider's.
   */
  asked: boolean
}

interface EarlySocket {
  socket: WebSocket
  received: unknown[]
  asked: boolean
  /** Detaches what the early connection listens to; the provider's handlers take over. */
  release: () => void
}

const opened = new Map<string, EarlySocket>()

/** The collaboration server's address for this page. */
export function collabBase(): string {
  const { protocol, host } = window.location
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/collab`
}

/**
 * Query parameters of the connection: save acknowledgements, and the layout of the document this
 * code writes (the version handshake: a server with a newer layout closes the connection with
 * ReloadRequired instead of letting this page write an old one).
 */
export function connectionParams(docName: string): Record<string, string> {
  const params: Record<string, string> = { acks: '1' }
  const layout = layoutVersionOf(parseDocName(docName)?.kind ?? '')
  if (layout !== undefined) params[LAYOUT_PARAM] = String(layout)
  return params
}

/** The address y-websocket's provider connects to for a document, built the way it builds it. */
export function documentSocketUrl(docName: string, base = collabBase()): string {
  const query = encodeQueryParams(connectionParams(docName))
  return `${base}/${docName}${query ? `?${query}` : ''}`
}

/**
 * Opens the document's connection now and asks for the whole document (once per address). It
 * never throws: a page that cannot open it (a browser that refuses the address) connects later,
 * as it always did.
 */
export function openEarlySocket(docName: string, base?: string, unclaimedMs = UNCLAIMED_MS): void {
  if (typeof WebSocket === 'undefined' || !parseDocName(docName)) return
  const url = documentSocketUrl(docName, base)
  if (opened.has(url)) return
  let socket: WebSocket
  try {
    socket = new WebSocket(url)
  } catch {
    return
  }
  socket.binaryType = 'arraybuffer'
  const received: unknown[] = []
  const giveUp = () => {
    if (opened.get(url) !== entry) return
    opened.delete(url)
    entry.release()
    if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) socket.close(1000)
  }
  const onOpen = () => {
    socket.send(ASK_FOR_EVERYTHING)
    entry.asked = true
  }
  const onMessage = (event: MessageEvent) => {
    received.push(event.data)
    if (received.length > MAX_KEPT) giveUp()
  }
  const onClose = () => {
    if (opened.get(url) === entry) opened.delete(url)
    entry.release()
  }
  const timer = setTimeout(giveUp, unclaimedMs)
  const entry: EarlySocket = {
    socket,
    received,
    asked: false,
    release: () => {
      clearTimeout(timer)
      socket.removeEventListener('open', onOpen)
      socket.removeEventListener('message', onMessage)
      socket.removeEventListener('close', onClose)
    },
  }
  socket.addEventListener('open', onOpen)
  socket.addEventListener('message', onMessage)
  socket.addEventListener('close', onClose)
  opened.set(url, entry)
}

/**
 * Takes over the early connection to `url`, if one is opening or open: the caller gets the socket
 * and the messages that arrived on it so far, in order, and must set its own handlers at once
 * (in the same task). A connection that has not asked for the document yet sends nothing of its
 * own any more: its opening is the caller's.
 */
export function claimEarlySocket(url: string): ClaimedSocket | null {
  const entry = opened.get(url)
  if (!entry) return null
  opened.delete(url)
  entry.release()
  const { socket } = entry
  if (socket.readyState !== WebSocket.CONNECTING && socket.readyState !== WebSocket.OPEN) return null
  return { socket, received: entry.received, asked: entry.asked }
}

/** What an early connection to `url` holds so far, or null when there is none (for tests). */
export function peekEarlySocket(url: string): readonly unknown[] | null {
  return opened.get(url)?.received ?? null
}
