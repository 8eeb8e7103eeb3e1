import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { AccessMode, CloseCode } from '@lever/shared'
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { CollabMeter } from '../collab/CollabMeter.ts'
import type { Connection } from '../collab/Connection.ts'
import type { ChangeOrigin } from '../collab/changeOrigin.ts'
import type { Logger } from '../logger.ts'
import type { StoreMeter } from '../storage/MeteredDocStore.ts'

/** What the metrics read when they are scraped (nothing is counted per message for these). */
export interface MetricsSources {
  /** The rooms in memory, with their connections. */
  rooms(): Array<{ connectionList(): Connection[] }>
}

const CLOSE_NAMES = new Map<number, string>(Object.entries(CloseCode).map(([name, code]) => [code, name]))
/** Close codes a client chose itself (1000-4999 outside Lever's named ones) share one label. */
const closeLabel = (code: number) => CLOSE_NAMES.get(code) ?? (code === 1005 || code === 1006 ? String(code) : 'other')
const MODES = Object.values(AccessMode)

/**
 * Prometheus metrics of one Lever server (`prom-client`, its own registry). Labels hold only
 * bounded, impersonal values: access modes, close code names, change origins, results. No
 * document names, people or addresses.
 *
 * Per-frame and per-change counts are plain numbers added to on the hot path and handed to their
 * Prometheus counters when the metrics are scraped (a prom-client increment validates and hashes
 * labels each time: tens of increments per keystroke in a busy room).
 */
export class Metrics implements CollabMeter, StoreMeter {
  readonly registry = new Registry()
  /** Counted on the hot path, published at scrape time. */
  private readonly counts = {
    framesIn: 0,
    bytesIn: 0,
    framesOut: 0,
    bytesOut: 0,
    updates: { client: 0, server: 0, peer: 0 } as Record<ChangeOrigin['kind'], number>,
    updateBytes: { client: 0, server: 0, peer: 0 } as Record<ChangeOrigin['kind'], number>,
  }
  private readonly refusals: Counter<'reason'>
  private readonly closes: Counter<'code'>
  private readonly refusalChildren = new Map<number, ReturnType<Counter<'reason'>['labels']>>()
  private readonly closeChildren = new Map<number, ReturnType<Counter<'code'>['labels']>>()
  private readonly appendLatency: Histogram
  private readonly groupSize: Histogram
  private readonly compactions: Record<'ok' | 'failed', Counter.Internal>
  private readonly redisLag: Histogram
  private readonly redisGaps: Counter
  private readonly redisCatchUps: Counter

  constructor(sources: MetricsSources) {
    const registers = [this.registry]
    collectDefaultMetrics({ register: this.registry, prefix: 'lever_' })
    new Gauge({
      name: 'lever_connections',
      help: 'Open collaboration connections, by access mode',
      labelNames: ['mode'],
      registers,
      collect() {
        const counts = new Map<string, number>(MODES.map((m) => [m, 0]))
        for (const room of sources.rooms()) {
          for (const conn of room.connectionList()) counts.set(conn.mode, (counts.get(conn.mode) ?? 0) + 1)
        }
        for (const [mode, n] of counts) this.set({ mode }, n)
      },
    })
    new Gauge({
      name: 'lever_rooms_loaded',
      help: 'Documents loaded in memory',
      registers,
      collect() {
        this.set(sources.rooms().length)
      },
    })
    const counts = this.counts
    /** A counter that takes what was counted since the last scrape. */
    const scraped = (name: string, help: string, read: () => number) => {
      let published = 0
      return new Counter({
        name,
        help,
        registers,
        collect() {
          const now = read()
          if (now > published) this.inc(now - published)
          published = now
        },
      })
    }
    scraped('lever_ws_messages_received_total', 'WebSocket frames received', () => counts.framesIn)
    scraped('lever_ws_bytes_received_total', 'Bytes of frames received', () => counts.bytesIn)
    scraped('lever_ws_messages_sent_total', 'WebSocket frames sent', () => counts.framesOut)
    scraped('lever_ws_bytes_sent_total', 'Bytes of frames sent', () => counts.bytesOut)
    /** A counter with one child per change origin, taking what was counted since the last scrape. */
    const byOrigin = (name: string, help: string, read: Record<ChangeOrigin['kind'], number>) => {
      const published: Record<ChangeOrigin['kind'], number> = { client: 0, server: 0, peer: 0 }
      return new Counter({
        name,
        help,
        labelNames: ['origin'],
        registers,
        collect() {
          for (const origin of ['client', 'server', 'peer'] as const) {
            const now = read[origin]
            // Every origin appears from the start (at 0), as labelled children made up front did.
            this.labels(origin).inc(Math.max(0, now - published[origin]))
            published[origin] = now
          }
        },
      })
    }
    byOrigin(
      'lever_updates_total',
      'Document changes made durable (client, server) or applied from another server (peer)',
      counts.updates,
    )
    byOrigin(
      'lever_update_bytes_total',
      'Bytes of the document changes counted in lever_updates_total',
      counts.updateBytes,
    )
    this.refusals = new Counter({
      name: 'lever_refusals_total',
      help: 'Connections refused or closed by a rule (access, write policy, limits), by reason',
      labelNames: ['reason'],
      registers,
    })
    this.closes = new Counter({
      name: 'lever_ws_closes_total',
      help: 'WebSocket connections closed, by close code',
      labelNames: ['code'],
      registers,
    })
    this.appendLatency = new Histogram({
      name: 'lever_store_append_seconds',
      help: 'Time from an append to the document store until it is durable',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    })
    this.groupSize = new Histogram({
      name: 'lever_store_commit_group_size',
      help: 'Appends written by one store transaction (group commit)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers,
    })
    const compactions = new Counter({
      name: 'lever_compactions_total',
      help: 'Compactions of document logs, by result',
      labelNames: ['result'],
      registers,
    })
    this.compactions = { ok: compactions.labels('ok'), failed: compactions.labels('failed') }
    this.redisLag = new Histogram({
      name: 'lever_redis_lag_seconds',
      help: 'From a change being published by one server to another server applying it (Redis fan-out)',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    })
    this.redisGaps = new Counter({
      name: 'lever_redis_gaps_total',
      help: 'Fan-out messages found missing (a gap in sequence numbers or a reconnection)',
      registers,
    })
    this.redisCatchUps = new Counter({
      name: 'lever_redis_catch_ups_total',
      help: 'Documents caught up from the stored log after a gap or a reconnection to Redis',
      registers,
    })
  }

  received(bytes: number): void {
    this.counts.framesIn++
    this.counts.bytesIn += bytes
  }

  sent(bytes: number): void {
    this.counts.framesOut++
    this.counts.bytesOut += bytes
  }

  refused(closeCode: number): void {
    let child = this.refusalChildren.get(closeCode)
    if (!child) {
      child = this.refusals.labels(closeLabel(closeCode))
      this.refusalChildren.set(closeCode, child)
    }
    child.inc()
  }

  closed(closeCode: number): void {
    // Unnamed codes share one child; the map stays as small as the set of labels.
    const key = CLOSE_NAMES.has(closeCode) || closeCode === 1005 || closeCode === 1006 ? closeCode : -1
    let child = this.closeChildren.get(key)
    if (!child) {
      child = this.closes.labels(closeLabel(closeCode))
      this.closeChildren.set(key, child)
    }
    child.inc()
  }

  /** A change is durable (or, from a peer, applied). */
  change(origin: ChangeOrigin['kind'], bytes: number): void {
    this.counts.updates[origin]++
    this.counts.updateBytes[origin] += bytes
  }

  appendSeconds(seconds: number): void {
    this.appendLatency.observe(seconds)
  }

  /** One store transaction wrote this many appends. */
  committed(groupSize: number): void {
    this.groupSize.observe(groupSize)
  }

  compacted(ok: boolean): void {
    this.compactions[ok ? 'ok' : 'failed'].inc()
  }

  /** A change published by another server arrived this many seconds after it was published. */
  redisDelivered(lagSeconds: number): void {
    this.redisLag.observe(Math.max(0, lagSeconds))
  }

  redisGap(): void {
    this.redisGaps.inc()
  }

  redisCaughtUp(): void {
    this.redisCatchUps.inc()
  }

  /**
   * Serves `GET /metrics` on its own port (not the public one): bind it to an address only the
   * monitoring system reaches.
   */
  async serve(port: number, host: string, logger: Logger): Promise<{ url: string; close(): Promise<void> }> {
    const server = http.createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
        return
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: unknown) => {
          logger.error({ err: error }, 'collecting metrics failed')
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n')
        },
      )
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const bound = (server.address() as AddressInfo).port
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`
    logger.info({ url }, 'metrics are served')
    return {
      url,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        }),
    }
  }
}
