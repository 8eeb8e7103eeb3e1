/**
 * What the collaboration core counts for monitoring (see `ops/Metrics.ts`). Each call is one
 * counter increment: nothing is allocated per message, and nothing personal (document names,
 * people) is passed.
 */
export interface CollabMeter {
  /** A binary frame arrived from a client. */
  received(bytes: number): void
  /** A frame was sent to a client. */
  sent(bytes: number): void
  /** A connection was refused or closed by a rule (access, write policy, limits), by close code. */
  refused(closeCode: number): void
  /** A WebSocket connection closed, with this close code. */
  closed(closeCode: number): void
}

/** Counts nothing. */
export const NO_METER: CollabMeter = {
  received() {},
  sent() {},
  refused() {},
  closed() {},
}
