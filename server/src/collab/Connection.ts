import type { AccessMode } from '@lever/shared'
import type { ConnectionLimits } from './ConnectionLimits.ts'
import type { TokenBucket } from './TokenBucket.ts'

/** The minimal socket a room talks to: the transport adapts its library's socket to this. */
export interface CollabSocket {
  send(data: Uint8Array): void
  close(code: number, reason: string): void
}

/** Who is on a connection, as far as the room needs to know. */
export interface ConnectionIdentity {
  userId: string | null
  name: string
  /** A facilitator: may change anyone's comments. */
  moderator?: boolean
  /** The session the connection was opened with, re-checked while it stays open. */
  sessionHash?: string
}

export interface ConnectionOptions {
  mode: AccessMode
  /** The client asked for save acknowledgements (`?acks=1`). */
  acks: boolean
  identity: ConnectionIdentity
}

let nextConnectionId = 1

/** One client's connection to one room. */
export class Connection {
  readonly id = nextConnectionId++
  /** Awareness client ids this connection owns; removed for the others when it leaves. */
  readonly awarenessClients = new Set<number>()
  /** Its token buckets (null: unlimited). */
  limits: ConnectionLimits | null = null
  /** Its person's share of the server's time (null: unlimited, e.g. a facilitator). */
  workBudget: TokenBucket | null = null
  /** Document-changing messages (sync step 2, updates) received, for save acknowledgements. */
  docMessages = 0
  closed = false

  constructor(
    readonly socket: CollabSocket,
    readonly options: ConnectionOptions,
  ) {}

  get mode(): AccessMode {
    return this.options.mode
  }
}
