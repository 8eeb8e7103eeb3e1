import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { isStorageFull } from '../storage/StorageAlarm.ts'
import type { Connection } from './Connection.ts'
import type { DurableChange } from './changeOrigin.ts'
import { updateMessage } from './messages.ts'

export interface WritePipelineOptions {
  docName: string
  store: DocStore
  logger: Logger
  /** Sends `data` to every ready connection but `except`, now. */
  broadcastNow(data: Uint8Array, except: Connection | null): void
  /** After a change is durable and sent on: the hooks, compaction. Not called once closed. */
  afterDurable(change: DurableChange, seq: number | null): void
  /** Storing failed: the room must stop (clients keep their edits and resend them). */
  onStoreFailure(error: unknown): void
  /** False once the room has closed: nothing more is sent or reported. */
  isOpen(): boolean
}

interface OutboxEntry {
  /** The recipient, or null for every connection but `except`. */
  to: Connection | null
  except: Connection | null
  data: Uint8Array
  /** Sent once this many changes are settled (durable, or relayed in order). */
  needs: number
}

/**
 * The write side of a room: a change is appended to the store (the store groups the appends of
 * one tick into one transaction) and only then sent to the other connections, through an outbox
 * that keeps every message a connection gets in order behind the changes it depends on. Save
 * acknowledgements and sync answers go through the same outbox, so nobody is told about a change
 * before it is durable.
 */
export class WritePipeline {
  private outbox: OutboxEntry[] = []
  private outboxHead = 0
  private issued = 0
  private settled = 0
  private chain: Promise<void> = Promise.resolve()

  constructor(private readonly options: WritePipelineOptions) {}

  /** Stores a change, then sends it to every connection but `author` and reports it durable. */
  append(change: DurableChange, author: Connection | null): void {
    const ticket = ++this.issued
    const write = this.options.store.append(this.options.docName, change.update)
    write.catch(() => {}) // handled through the chain below
    this.chain = this.chain
      .then(() => write)
      .then((seq) => this.settle(ticket, change, seq))
      .catch((error) => {
        if (!this.options.isOpen()) return
        // A full disk is logged once a minute by the store's alarm, not once per write here.
        if (!isStorageFull(error)) this.options.logger.error({ err: error }, 'storing an update failed; closing room')
        this.options.onStoreFailure(error)
      })
    this.broadcastGated(updateMessage(change.update), author)
  }

  /**
   * A change that is durable elsewhere already (a peer server stored it): it is not stored
   * again, but it is sent and reported in order with the changes before it.
   */
  relay(change: DurableChange): void {
    const ticket = ++this.issued
    this.chain = this.chain.then(() => this.settle(ticket, change, null))
    this.broadcastGated(updateMessage(change.update), null)
  }

  /** Sends `data` to one connection once every change issued so far is durable. */
  sendGated(conn: Connection, data: Uint8Array): void {
    if (this.idle()) {
      conn.socket.send(data)
      return
    }
    this.outbox.push({ to: conn, except: null, data, needs: this.issued })
  }

  /** Sends `data` to every connection but `except` once every change issued so far is durable. */
  broadcastGated(data: Uint8Array, except: Connection | null): void {
    if (this.idle()) {
      this.options.broadcastNow(data, except)
      return
    }
    this.outbox.push({ to: null, except, data, needs: this.issued })
  }

  /** Resolves once every change issued so far is settled. */
  whenDurable(): Promise<void> {
    return this.chain
  }

  /** True when every change issued so far is settled (stored, sent, and reported to the hooks). */
  get allSettled(): boolean {
    return this.settled === this.issued
  }

  /** Drops whatever waits to be sent (the room closed). */
  clear(): void {
    this.outbox = []
    this.outboxHead = 0
  }

  private idle(): boolean {
    return this.outboxHead === this.outbox.length && this.settled === this.issued
  }

  private settle(ticket: number, change: DurableChange, seq: number | null): void {
    this.settled = ticket
    if (!this.options.isOpen()) return
    this.drainOutbox()
    this.options.afterDurable(seq === null ? change : { ...change, seq }, seq)
  }

  private drainOutbox(): void {
    while (this.outboxHead < this.outbox.length) {
      const entry = this.outbox[this.outboxHead] as OutboxEntry
      if (entry.needs > this.settled) break
      this.outboxHead++
      if (entry.to) {
        if (!entry.to.closed) entry.to.socket.send(entry.data)
      } else {
        this.options.broadcastNow(entry.data, entry.except)
      }
    }
    if (this.outboxHead === this.outbox.length) this.clear()
  }
}
