import { randomUUID } from 'node:crypto'
import { DOC_NAME_PATTERN } from '@lever/shared'
import { Redis, type RedisOptions } from 'ioredis'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { z } from 'zod'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import type { RecheckScope } from './CollabAccess.ts'
import { Connection } from './Connection.ts'
import type { DurableChange } from './changeOrigin.ts'
import type { DocumentHook } from './documentTypes.ts'
import type { Room } from './Room.ts'
import type { RoomManager } from './RoomManager.ts'

/** What the fan-out reports for monitoring (see `ops/Metrics.ts`). */
export interface FanOutMeter {
  redisDelivered(lagSeconds: number): void
  redisGap(): void
  redisCaughtUp(): void
}

export interface RedisFanOutOptions {
  /** `redis://…`, `rediss://…` or `unix:///path/to/redis.sock`. */
  url: string
  rooms: Pick<RoomManager, 'peek'>
  /** The store every server shares (PostgreSQL): the truth that catch-up reads. */
  store: Pick<DocStore, 'updatesAfter'>
  logger: Logger
  meter?: FanOutMeter
  /** How long a missing sequence number may stay missing before the log is read (messages of two servers can cross). */
  gapWaitMs?: number
  /** Prefix of the channels (one per document). */
  channelPrefix?: string
  /**
   * Re-checks this server's open connections (`CollabAccess.recheck`) when another server
   * announces a permission change (`announceRecheck`).
   */
  onRecheck?: (scope: RecheckScope) => void
  /** The channel of those announcements (not under `channelPrefix`). */
  accessChannel?: string
}

const MESSAGE_UPDATE = 0
const MESSAGE_PRESENCE = 1

/** An announcement is a few short strings; anything longer is not one. */
const MAX_RECHECK_MESSAGE_BYTES = 1024

/** A permission change another server made: whose connections to re-check. */
const recheckMessageSchema = z
  .object({
    v: z.literal(1),
    /** The announcing server's instance id (a server ignores its own). */
    from: z.string().min(1).max(64),
    userId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/)
      .optional(),
    docName: z.string().max(128).regex(DOC_NAME_PATTERN).optional(),
  })
  .strict()
type RecheckMessage = z.infer<typeof recheckMessageSchema>

interface BufferedUpdate {
  update: Uint8Array
  author: string | null
  instanceId: string
}

/** What this server knows of one loaded document's shared log. */
interface Feed {
  room: Room
  /** Every row up to here is in the room's document. */
  watermark: number
  /** Rows above the watermark this server wrote itself (durable, so in the document). */
  own: Set<number>
  /** Other servers' rows above the watermark, waiting for the ones before them. */
  buffered: Map<number, BufferedUpdate>
  gapTimer: NodeJS.Timeout | null
  catchingUp: boolean
  /** Another catch-up was asked for while one ran. */
  again: boolean
  /** Settles once the channel is subscribed and the first catch-up is done. */
  subscribed: Promise<void>
  detachPresence(): void
}

/** Redis options of a REDIS_URL (`unix://` for a socket). */
export function redisOptions(url: string): { url?: string; options: RedisOptions } {
  const parsed = new URL(url)
  const common: RedisOptions = { lazyConnect: false, maxRetriesPerRequest: 3 }
  if (parsed.protocol === 'unix:') return { options: { ...common, path: decodeURIComponent(parsed.pathname) } }
  return { url, options: common }
}

function connect(url: string): Redis {
  const { url: u, options } = redisOptions(url)
  return u ? new Redis(u, options) : new Redis(options)
}

/**
 * Fan-out between Lever servers that share one PostgreSQL: Redis is the fast path, the stored log
 * the truth.
 *
 * - After a change is durable, its server publishes it on the document's channel with its
 *   sequence number. Every other server with that document loaded applies it to its room with the
 *   peer origin (`room.applyPeerUpdate`: sent to its clients and hooks, never stored or published
 *   again), in sequence order.
 * - Rows of one document are numbered in commit order (see PostgresDocStore), so a server knows
 *   what it lacks: when a number stays missing for `gapWaitMs`, when it loads a document, and when
 *   it reconnects to Redis (pub/sub drops what is sent while a subscriber is away), it reads every
 *   row after the last one it has from the store.
 * - Presence changes of this server's connections travel the same way (not stored).
 * - Permission changes (a person deactivated or signed out everywhere, a plan unshared, a team
 *   move…) are announced on one access channel (`announceRecheck`): every other server re-checks
 *   its open connections in that scope, so nobody keeps a connection on a server where the change
 *   was not made. The rows the re-check reads are committed before the announcement is sent.
 *   Pub/sub may drop an announcement, but only while a subscriber's connection is down (Redis
 *   delivers to connected subscribers, and cuts off one that falls too far behind): when the
 *   subscriber is back, this server re-checks every connection it holds, as it does anyway every
 *   minute (the session sweep in `createServer`), reading people, sessions and plans afresh. A
 *   dropped announcement thus delays a close at most until then; it never keeps access open.
 */
export class RedisFanOut {
  readonly instanceId = randomUUID()
  /** The document hook to add to `DocumentTypes`. */
  readonly hook: DocumentHook
  private readonly pub: Redis
  private readonly sub: Redis
  private readonly feeds = new Map<string, Feed>()
  private readonly prefix: string
  private readonly gapWaitMs: number
  private readonly accessChannel: string
  /** Settles once this server listens for other servers' permission changes. */
  private readonly accessSubscribed: Promise<void>
  /** Announcements of this tick, by scope (one change often re-checks the same scope twice). */
  private readonly pendingRechecks = new Map<string, RecheckScope>()
  private everReady = false
  private closed = false

  constructor(private readonly options: RedisFanOutOptions) {
    this.prefix = options.channelPrefix ?? 'lever:doc:'
    this.gapWaitMs = options.gapWaitMs ?? 250
    this.accessChannel = options.accessChannel ?? 'lever:access'
    this.pub = connect(options.url)
    this.sub = connect(options.url)
    const log = options.logger
    for (const [name, conn] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      conn.on('error', (error: Error) => log.warn({ err: error, connection: name }, 'Redis connection error'))
    }
    this.sub.on('ready', () => {
      if (!this.everReady) {
        this.everReady = true
        return
      }
      // Announcements sent while the subscriber was away are gone: re-check everyone here.
      this.recheckHere({})
      void this.resubscribeAndCatchUp()
    })
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message))
    this.accessSubscribed = options.onRecheck
      ? this.sub.subscribe(this.accessChannel).then(() => undefined)
      : Promise.resolve()
    // Awaited by `ready()`; a failure there is the caller's, not an unhandled rejection.
    this.accessSubscribed.catch(() => {})
    this.hook = {
      name: 'redis-fan-out',
      onLoad: (room) => this.opened(room),
      afterChange: (room, _id, _kind, change) => this.changed(room, change),
      afterUnload: (docName) => this.unloaded(docName),
    }
  }

  /** Resolves once both connections are ready (or rejects after `timeoutMs`). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const wait = (conn: Redis) =>
      conn.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('Redis did not answer in time')), timeoutMs)
            conn.once('ready', () => {
              clearTimeout(timer)
              resolve()
            })
          })
    await Promise.all([wait(this.pub), wait(this.sub)])
    await this.accessSubscribed
  }

  /**
   * Tells every other server to re-check its open connections in `scope` after a permission
   * change this server made (and committed). Scopes announced in one tick are sent once each.
   */
  announceRecheck(scope: RecheckScope): void {
    if (this.closed) return
    const key = JSON.stringify([scope.userId ?? null, scope.docName ?? null])
    if (this.pendingRechecks.has(key)) return
    if (this.pendingRechecks.size === 0) queueMicrotask(() => this.flushRechecks())
    this.pendingRechecks.set(key, { userId: scope.userId, docName: scope.docName })
  }

  /** Resolves once this server listens for a loaded document's changes (tests, tools). */
  async subscribed(docName: string): Promise<void> {
    await this.feeds.get(docName)?.subscribed
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    for (const feed of this.feeds.values()) this.drop(feed)
    this.feeds.clear()
    this.pub.disconnect()
    this.sub.disconnect()
  }

  // ---- hooks ----

  private opened(room: Room): void {
    if (this.closed) return
    const previous = this.feeds.get(room.name)
    if (previous) this.drop(previous)
    const feed: Feed = {
      room,
      watermark: room.loadedSeq,
      own: new Set(),
      buffered: new Map(),
      gapTimer: null,
      catchingUp: false,
      again: false,
      subscribed: Promise.resolve(),
      detachPresence: () => {},
    }
    this.feeds.set(room.name, feed)
    feed.detachPresence = this.watchPresence(room)
    // Rows stored between the load and the subscription reach nobody by Redis: read them after.
    feed.subscribed = this.sub.subscribe(this.channel(room.name)).then(
      () => this.catchUp(room.name),
      (error: unknown) => this.options.logger.warn({ err: error, doc: room.name }, 'subscribing failed'),
    )
  }

  private changed(room: Room, change: DurableChange): void {
    if (this.closed || change.origin.kind === 'peer' || change.seq === undefined) return
    const feed = this.feeds.get(room.name)
    if (feed && feed.room === room) {
      if (change.seq > feed.watermark) feed.own.add(change.seq)
      this.advance(feed)
    }
    const e = encoding.createEncoder()
    encoding.writeVarUint(e, MESSAGE_UPDATE)
    encoding.writeVarString(e, this.instanceId)
    encoding.writeVarUint(e, Date.now())
    encoding.writeVarUint(e, change.seq)
    encoding.writeVarString(e, change.author ?? '')
    encoding.writeVarUint8Array(e, change.update)
    this.publish(room.name, encoding.toUint8Array(e))
  }

  private unloaded(docName: string): void {
    const feed = this.feeds.get(docName)
    // A new room for the same document may have loaded before the old one finished unloading.
    if (!feed?.room.isClosed) return
    this.drop(feed)
    this.feeds.delete(docName)
    this.sub.unsubscribe(this.channel(docName)).catch(() => {})
  }

  // ---- presence ----

  private watchPresence(room: Room): () => void {
    const awareness = room.awareness
    const listener = (
      { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
      origin: unknown,
    ) => {
      // Only what this server's own connections changed (or left behind when they closed).
      if (!(origin instanceof Connection) && origin !== 'disconnect') return
      const changed = [...added, ...updated, ...removed]
      if (changed.length === 0 || this.closed) return
      const e = encoding.createEncoder()
      encoding.writeVarUint(e, MESSAGE_PRESENCE)
      encoding.writeVarString(e, this.instanceId)
      encoding.writeVarUint(e, Date.now())
      encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, changed))
      this.publish(room.name, encoding.toUint8Array(e))
    }
    awareness.on('update', listener)
    return () => awareness.off('update', listener)
  }

  // ---- receiving ----

  private flushRechecks(): void {
    const scopes = [...this.pendingRechecks.values()]
    this.pendingRechecks.clear()
    if (this.closed) return
    for (const scope of scopes) {
      const message: RecheckMessage = { v: 1, from: this.instanceId, ...scope }
      this.pub.publish(this.accessChannel, JSON.stringify(message)).catch((error: unknown) => {
        // Other servers re-check everyone when their subscriber is back, and every minute anyway.
        this.options.logger.warn({ err: error }, 'announcing a permission change through Redis failed')
      })
    }
  }

  private receiveRecheck(message: Buffer): void {
    if (message.byteLength > MAX_RECHECK_MESSAGE_BYTES) {
      this.options.logger.warn({ bytes: message.byteLength }, 'ignoring an oversized access announcement')
      return
    }
    let parsed: RecheckMessage
    try {
      const result = recheckMessageSchema.safeParse(JSON.parse(message.toString('utf8')))
      if (!result.success) throw result.error
      parsed = result.data
    } catch (error) {
      this.options.logger.warn({ err: error }, 'ignoring an unreadable access announcement')
      return
    }
    if (parsed.from === this.instanceId) return
    this.recheckHere({ userId: parsed.userId, docName: parsed.docName })
  }

  private recheckHere(scope: RecheckScope): void {
    if (this.closed || !this.options.onRecheck) return
    try {
      this.options.onRecheck(scope)
    } catch (error) {
      this.options.logger.error({ err: error }, 're-checking connections after a permission change failed')
    }
  }

  private receive(channel: string, message: Buffer): void {
    if (this.closed) return
    if (channel === this.accessChannel) {
      this.receiveRecheck(message)
      return
    }
    if (!channel.startsWith(this.prefix)) return
    const docName = channel.slice(this.prefix.length)
    const feed = this.feeds.get(docName)
    if (!feed || feed.room.isClosed) return
    let type: number
    let instanceId: string
    try {
      const d = decoding.createDecoder(message)
      type = decoding.readVarUint(d)
      instanceId = decoding.readVarString(d)
      if (instanceId === this.instanceId) return
      const publishedAt = decoding.readVarUint(d)
      this.options.meter?.redisDelivered((Date.now() - publishedAt) / 1000)
      if (type === MESSAGE_UPDATE) {
        const seq = decoding.readVarUint(d)
        const author = decoding.readVarString(d) || null
        const update = decoding.readVarUint8Array(d)
        if (seq <= feed.watermark || feed.buffered.has(seq)) return
        feed.buffered.set(seq, { update, author, instanceId })
        this.advance(feed)
      } else if (type === MESSAGE_PRESENCE) {
        feed.room.applyPeerPresence(decoding.readVarUint8Array(d))
      }
    } catch (error) {
      this.options.logger.warn({ err: error, doc: docName }, 'ignoring an unreadable fan-out message')
    }
  }

  /** Moves the watermark over every row now known, applying other servers' rows in order. */
  private advance(feed: Feed): void {
    for (;;) {
      const next = feed.watermark + 1
      if (feed.own.delete(next)) {
        feed.watermark = next
        continue
      }
      const row = feed.buffered.get(next)
      if (!row) break
      feed.buffered.delete(next)
      feed.watermark = next
      this.applyRow(feed, row.update, row.instanceId, row.author)
    }
    const waiting = feed.buffered.size > 0 || feed.own.size > 0
    if (waiting && !feed.gapTimer && !feed.catchingUp) {
      feed.gapTimer = setTimeout(() => {
        feed.gapTimer = null
        this.options.meter?.redisGap()
        void this.catchUp(feed.room.name)
      }, this.gapWaitMs)
      feed.gapTimer.unref()
    } else if (!waiting && feed.gapTimer) {
      clearTimeout(feed.gapTimer)
      feed.gapTimer = null
    }
  }

  private applyRow(feed: Feed, update: Uint8Array, instanceId: string, author: string | null): void {
    if (feed.room.isClosed) return
    try {
      feed.room.applyPeerUpdate(update, { instanceId, author })
    } catch (error) {
      this.options.logger.error({ err: error, doc: feed.room.name }, 'applying a change from another server failed')
    }
  }

  /** Reads every stored row after the watermark and applies it (what is known already changes nothing). */
  private async catchUp(docName: string): Promise<void> {
    const feed = this.feeds.get(docName)
    if (!feed || this.closed || feed.room.isClosed) return
    if (feed.catchingUp) {
      feed.again = true
      return
    }
    feed.catchingUp = true
    if (feed.gapTimer) {
      clearTimeout(feed.gapTimer)
      feed.gapTimer = null
    }
    try {
      const rows = await this.options.store.updatesAfter(docName, feed.watermark)
      if (this.feeds.get(docName) !== feed || feed.room.isClosed) return
      for (const row of rows) {
        if (row.seq <= feed.watermark) continue
        this.applyRow(feed, row.update, 'log', null)
        feed.watermark = row.seq
      }
      for (const seq of feed.own) if (seq <= feed.watermark) feed.own.delete(seq)
      for (const seq of feed.buffered.keys()) if (seq <= feed.watermark) feed.buffered.delete(seq)
      this.options.meter?.redisCaughtUp()
    } catch (error) {
      this.options.logger.warn({ err: error, doc: docName }, 'catching up from the stored log failed; will retry')
      feed.again = true
    } finally {
      feed.catchingUp = false
    }
    if (feed.again) {
      feed.again = false
      if (!feed.gapTimer && !this.closed && !feed.room.isClosed) {
        feed.gapTimer = setTimeout(() => {
          feed.gapTimer = null
          void this.catchUp(docName)
        }, this.gapWaitMs)
        feed.gapTimer.unref()
      }
      return
    }
    this.advance(feed)
  }

  /** After Redis came back: subscribe again (messages sent meanwhile are gone), then read the log. */
  private async resubscribeAndCatchUp(): Promise<void> {
    this.options.meter?.redisGap()
    this.options.logger.info({ documents: this.feeds.size }, 'Redis is back; catching up from the stored log')
    const names = [...this.feeds.keys()]
    try {
      if (names.length > 0) await this.sub.subscribe(...names.map((n) => this.channel(n)))
    } catch (error) {
      this.options.logger.warn({ err: error }, 'subscribing again failed')
    }
    await Promise.all(names.map((n) => this.catchUp(n)))
  }

  private publish(docName: string, message: Uint8Array): void {
    this.pub
      .publish(this.channel(docName), Buffer.from(message.buffer, message.byteOffset, message.byteLength))
      .catch((error: unknown) => {
        // The change is durable; other servers catch up from the log when Redis is back.
        this.options.logger.debug({ err: error, doc: docName }, 'publishing to Redis failed')
      })
  }

  private channel(docName: string): string {
    return `${this.prefix}${docName}`
  }

  private drop(feed: Feed): void {
    if (feed.gapTimer) clearTimeout(feed.gapTimer)
    feed.gapTimer = null
    feed.detachPresence()
  }
}
