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
