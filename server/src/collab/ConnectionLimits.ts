import { TokenBucket } from './TokenBucket.ts'

/** One rate: messages per second and bytes per second, each with its burst. */
export interface RateLimit {
  messagesPerSecond: number
  messageBurst: number
  bytesPerSecond: number
  byteBurst: number
}

/**
 * Limits per connection, for each kind of message separately:
 * - `updates`: document updates (sync step 2 and updates), by messages and bytes received;
 * - `presence`: awareness messages; bytes received count them all, messages only those that set
 *   the connection's own presence (stock providers echo everyone else's changes back; those
 *   cost bytes, not messages);
 * - `syncRequests`: sync step 1 and awareness queries, by messages received and by the bytes
 *   received plus the bytes the server sends in answer (an answer can be the whole document).
 */
export interface ConnectionLimitsConfig {
  updates: RateLimit
  presence: RateLimit
  syncRequests: RateLimit
}

export type LimitKind = keyof ConnectionLimitsConfig

const KiB = 1024
const MiB = 1024 * KiB

/**
 * Far above what a person does (a fast typist sends ~15 updates and ~15 presence changes a
 * second, a 1 MB paste is one update of about that size, a client asks for a sync once per
 * connection), far below a flood (thousands of messages a second).
 */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimitsConfig = {
  updates: { messagesPerSecond: 100, messageBurst: 1000, bytesPerSecond: 1 * MiB, byteBurst: 16 * MiB },
  presence: { messagesPerSecond: 60, messageBurst: 600, bytesPerSecond: 256 * KiB, byteBurst: 2 * MiB },
  syncRequests: { messagesPerSecond: 2, messageBurst: 20, bytesPerSecond: 4 * MiB, byteBurst: 32 * MiB },
}

interface Buckets {
  messages: TokenBucket
  bytes: TokenBucket
}

/** The token buckets of one connection. */
export class ConnectionLimits {
  private readonly buckets: Record<LimitKind, Buckets>

  constructor(config: ConnectionLimitsConfig, now?: () => number) {
    const make = (r: RateLimit): Buckets => ({
      messages: new TokenBucket(r.messageBurst, r.messagesPerSecond, now),
      bytes: new TokenBucket(r.byteBurst, r.bytesPerSecond, now),
    })
    this.buckets = {
      updates: make(config.updates),
      presence: make(config.presence),
      syncRequests: make(config.syncRequests),
    }
  }

  /**
   * Takes one message of `bytes` of a kind (`messages: 0` for bytes only, `bytes: 0` for the
   * message only). Returns what ran out
   * ('messages' or 'bytes'), or null when the message is within the limits.
   */
  take(kind: LimitKind, bytes: number, messages = 1): 'messages' | 'bytes' | null {
    const b = this.buckets[kind]
    if (bytes > 0 && !b.bytes.take(bytes)) return 'bytes'
    if (messages > 0 && !b.messages.take(messages)) return 'messages'
    return null
  }

  /** Charges bytes the server sent in answer to a message of this kind (may go into debt). */
  chargeBytes(kind: LimitKind, bytes: number): void {
    this.buckets[kind].bytes.charge(bytes)
  }
}
