/**
 * Where a change to a document came from. Every change a room applies carries one, and the hooks
 * that react to durable changes (versions, search index, projections, fan-out to other servers)
 * receive it with the update.
 */
export type ChangeOrigin =
  /** A client's update, sent over one of the room's connections. */
  | { kind: 'client'; connectionId: number; userId: string | null }
  /** A change the server made itself (seeding, migration, send-to-plan, restore, borrow…). */
  | { kind: 'server'; userId: string | null; reason: string }
  /** A change received from another Lever server that already stored it (multi-instance fan-out). */
  | { kind: 'peer'; instanceId: string }

/** A change that is durable in the store, as the hooks receive it. */
export interface DurableChange {
  /** The Yjs update exactly as it was stored. */
  update: Uint8Array
  origin: ChangeOrigin
  /**
   * The person the change is by: the signed-in person of a client connection, the person a
   * server change was made for, the author a peer reported; null for the server on its own.
   */
  author: string | null
  /** Its sequence number in this server's store (absent for a peer's change, stored elsewhere). */
  seq?: number
}

/**
 * The transaction origin of a change the server makes itself: `room.transactServer` uses it, so
 * the room can tell the hooks who asked for it and why.
 */
export class ServerChange {
  constructor(
    readonly userId: string | null,
    readonly reason: string,
  ) {}
}

/**
 * The transaction origin of a change another Lever server stored and sent on
 * (`room.applyPeerUpdate`): applied and forwarded to clients and hooks, never stored again.
 */
export class PeerChange {
  constructor(
    readonly instanceId: string,
    readonly author: string | null,
  ) {}
}

/**
 * The transaction origin of the stored log being applied when a room loads. It is durable
 * already, so it is neither stored again, nor sent, nor given to the hooks (they get `onLoad`).
 */
export const LOAD_ORIGIN = Symbol('lever.load')
