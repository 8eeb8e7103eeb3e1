/**
 * The wire contract of `/collab/<docName>`: the standard y-websocket message types, Lever's one
 * optional extension, and the close codes the server uses. Clients switch on these names.
 */

/** Message types of the y-websocket protocol (first varUint of every frame). */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
  /**
   * Lever extension, sent only to clients that ask for it with `?acks=1`: a varUint count of the
   * document-changing messages (sync step 2 and updates) received on this connection that are now
   * durably stored. Stock providers never ask, so they never receive it.
   */
  SaveAck: 100,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** Sync sub-message types (y-protocols/sync). */
export const SyncMessageType = { Step1: 0, Step2: 1, Update: 2 } as const

/**
 * WebSocket close codes. y-websocket's provider stops reconnecting on 4400-4499, so every code in
 * that range means "retrying will not help"; other codes are transient and the provider retries.
 */
export const CloseCode = {
  /** Normal close. */
  Normal: 1000,
  /** The server is shutting down or restarting; reconnect. */
  GoingAway: 1001,
  /** A frame exceeded the configured size limit (sent by the `ws` library itself). */
  MessageTooBig: 1009,
  /** A frame could not be decoded (truncated, garbage, trailing bytes). */
  MalformedMessage: 4400,
  /** No valid credentials, or the session expired or was revoked. */
  Unauthenticated: 4401,
  /** The caller may not open this document. */
  Forbidden: 4403,
  /** No document of that name exists (or the name is invalid). */
  DocumentNotFound: 4404,
  /** The connection is read-only (or comment-only) and sent a change it may not make. */
  WriteNotAllowed: 4405,
  /** A message type the server does not know. */
  UnknownMessageType: 4406,
  /** The upgrade came from an origin that is not allowed. */
  OriginNotAllowed: 4407,
  /**
   * An update Yjs cannot integrate as sent: it refers to a later struct of itself, names a parent
   * that is not a type, repeats a client, holds an empty struct or a subdocument. Nothing of it is applied.
   */
  UnintegrableUpdate: 4410,
  /**
   * The document is at its size limit and the update would add to it. Removals are still
   * accepted; resending the same change cannot succeed, so the client drops it.
   */
  DocumentTooLarge: 4413,
  /**
   * One update holds more structs than the server applies at once, or deletes so many paragraphs at once that collecting them would hold the server: Yjs's
   * time for such updates grows faster than their size. Resending it cannot succeed; the same
   * change made in smaller parts can.
   */
  ChangeTooLarge: 4414,
  /** A well-formed update that Yjs cannot apply. */
  InvalidUpdate: 4422,
  /**
   * The update writes with a Yjs client id that another person (or the server) already writes
   * with in this document. Every client id belongs to one person, so history can say who wrote what.
   */
  ClientIdTaken: 4423,
  /**
   * The client's document layout is older than the server's (`?layout=` on the connection URL):
   * it must reload to get the current code instead of writing an old layout.
   */
  ReloadRequired: 4426,
  /** Too many messages in too short a time. */
  RateLimited: 4429,
  /** The server could not store an update; the client keeps its edits and re-sends on reconnect. */
  StorageFailure: 4500,
  /** The room is being unloaded or reloaded; reconnect. */
  RoomClosing: 4501,
  /**
   * The client stopped reading and too much piled up for it. It is dropped without a close
   * handshake (it would never read one), so it sees 1006; the server logs this code.
   */
  SlowConsumer: 4502,
  /**
   * The person's name changed (a facilitator renamed them). Presence must carry the new name, so
   * the client learns who it is again before it reconnects.
   */
  IdentityChanged: 4503,
  /**
   * The update depends on changes the server does not have (a gap in a client's changes, or a
   * neighbour or parent it never received). Nothing of it is applied or kept: reconnect and resync.
   */
  MissingDependencies: 4510,
  /**
   * The update starts inside what the server already has of a client (sent against an older state).
   * Nothing of it is applied: reconnect and resync.
   */
  UpdateOverlapsState: 4511,
  /**
   * The connection sent more (messages or bytes per second, of updates, presence or sync
   * requests) than its limits allow. Retryable: the provider reconnects after its back-off.
   */
  SlowDown: 4504,
  /**
   * The person already holds as many connections as the server allows them (to this document, or
   * to the server). Retryable: the provider reconnects after its back-off, and gets in once the
   * person's other tabs or devices have closed theirs.
   */
  TooManyConnections: 4505,
  /**
   * The server's disk or database is full, so the change could not be stored. The client keeps its
   * edits and re-sends them when it reconnects, once an operator has freed space.
   */
  StorageFull: 4520,
} as const
export type CloseCodeName = keyof typeof CloseCode
export type CloseCodeValue = (typeof CloseCode)[CloseCodeName]

const closeCodeNames = new Map<number, CloseCodeName>(
  (Object.entries(CloseCode) as Array<[CloseCodeName, number]>).map(([name, code]) => [code, name]),
)

/** The name of a close code, or undefined for codes Lever does not send. */
export function closeCodeName(code: number): CloseCodeName | undefined {
  return closeCodeNames.get(code)
}

/** True when reconnecting after this close code cannot succeed (same rule as y-websocket). */
export function isTerminalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500
}

/**
 * The query parameter a client puts on `/collab/<docName>` to say which document layout it
 * writes (plans: `PLAN_LAYOUT_VERSION`). A client older than the server is closed with
 * `ReloadRequired`; a client that sends none (a stock provider, a script) is not checked.
 */
export const LAYOUT_PARAM = 'layout'

/** Document names: `<kind>:<id>` with a lowercase kind (words joined by `-`) and a URL-safe id. */
export const DOC_NAME_PATTERN = /^[a-z]+(?:-[a-z]+)*:[A-Za-z0-9_-]{1,64}$/

/**
 * The kinds of live documents. A plan's comment threads live beside it, one document per
 * visibility (`ThreadVisibility`), each with its own readers: `plan-threads-team:<planId>` for
 * the team, its coaches and facilitators; `plan-threads-all:<planId>` for everyone who may read
 * the plan. A template is co-edited by facilitators with the plan editor.
 */
export const DocKind = {
  Plan: 'plan',
  Draft: 'draft',
  Session: 'session',
  PlanThreadsTeam: 'plan-threads-team',
  PlanThreadsAll: 'plan-threads-all',
  Template: 'template',
} as const
export type DocKind = (typeof DocKind)[keyof typeof DocKind]

export function docNameFor(kind: DocKind, id: string): string {
  return `${kind}:${id}`
}

/** Splits a document name into kind and id, or returns null when it is not well-formed. */
export function parseDocName(docName: string): { kind: string; id: string } | null {
  if (!DOC_NAME_PATTERN.test(docName)) return null
  const colon = docName.indexOf(':')
  return { kind: docName.slice(0, colon), id: docName.slice(colon + 1) }
}

/**
 * What a connection may do to a document. The server decides it per connection and enforces it:
 * `read-only` receives updates and presence but may not change the document; `comment-only` may
 * change comment threads and comment marks and nothing else.
 */
export const AccessMode = {
  ReadWrite: 'read-write',
  CommentOnly: 'comment-only',
  ReadOnly: 'read-only',
} as const
export type AccessMode = (typeof AccessMode)[keyof typeof AccessMode]
