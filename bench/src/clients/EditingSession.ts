import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as Y from 'yjs'
import { monotonicMicros, sleep, sleepUntil } from '../clock.ts'
import { LatencyRecorder } from './LatencyRecorder.ts'
import { type BenchClient, openClient } from './openClient.ts'
import { seedPlan, stampsKeyOf, Typist, typedContent } from './typing.ts'
import type { FillArgs, FillResult, OpenArgs, RunArgs, RunResult } from './workerApi.ts'

/** Connections opened at once; the rest wait, so a burst of handshakes does not overflow a backlog. */
const OPEN_BATCH = 50
const SYNC_TIMEOUT_MS = 60_000
/** An editor this far behind its schedule skips the edits it missed instead of bursting them. */
const MAX_LAG_MICROS = 1_000_000
/** Longest sleep of the edit loop, so it notices the end of the window in time. */
const MAX_TICK_MS = 20

/**
 * The clients one process holds for a workload: editors that type on a schedule, observers that
 * only receive, all recording the delivery latency of the stamped edits they receive.
 */
export class EditingSession {
  private readonly clients: BenchClient[] = []
  private readonly typists: Typist[] = []
  /** The group of each typist (same index), if it has one. */
  private readonly typistGroups: Array<number | undefined> = []
  private readonly recorder = new LatencyRecorder()

  async open({ target, clients: specs }: OpenArgs): Promise<{ opened: number }> {
    for (let i = 0; i < specs.length; i += OPEN_BATCH) {
      const batch = specs.slice(i, i + OPEN_BATCH).map((spec) => {
        const client = openClient(target, spec.docName, { presence: spec.presence })
        this.clients.push(client)
        this.recorder.attach(client, spec.group)
        return { spec, client }
      })
      await withTimeout(
        Promise.all(batch.map((b) => b.client.synced)),
        SYNC_TIMEOUT_MS,
        `${batch.length} clients to sync`,
      )
      for (const { spec, client } of batch) {
        if (spec.seed && target.seedPlans) seedPlan(client.doc, 'Benchmark plan')
        if (spec.role !== 'editor') continue
        // Lever checks that a presence carries the signed-in person's name; peers take any name.
        const name = target.presenceName ?? `Editor ${process.pid}-${this.typists.length}`
        this.typists.push(Typist.on(client, name, stampsKeyOf(spec.group?.index)))
        this.typistGroups.push(spec.group?.index)
      }
    }
    return { opened: specs.length }
  }

  /**
   * Every editor types at `ratePerEditor` from `startAtMicros` (random phases, open loop) until the
   * window ends; receivers record the edits sent inside the window; then it waits `drainMs`.
   */
  async run(args: RunArgs): Promise<RunResult> {
    const windowStart = args.startAtMicros + args.warmupMs * 1000
    const windowEnd = windowStart + args.measureMs * 1000
    this.recorder.setWindow(windowStart, windowEnd)
    const periodMicros = 1e6 / args.ratePerEditor
    const due = this.typists.map(() => args.startAtMicros + Math.random() * periodMicros)
    const eventLoopDelay = monitorEventLoopDelay({ resolution: 10 })
    let cpuAtStart: NodeJS.CpuUsage | null = null
    let cpuStartedAt = 0
    let sent = 0
    const sentByGroup: number[] = []

    await sleepUntil(args.startAtMicros)
    for (let now = monotonicMicros(); now < windowEnd; now = monotonicMicros()) {
      if (!cpuAtStart && now >= windowStart) {
        cpuAtStart = process.cpuUsage()
        cpuStartedAt = now
        eventLoopDelay.enable()
      }
      let nextDue = Number.POSITIVE_INFINITY
      for (const [i, typist] of this.typists.entries()) {
        let at = due[i] as number
        if (now - at > MAX_LAG_MICROS) at += Math.ceil((now - at) / periodMicros) * periodMicros
        while (at <= now && at < windowEnd) {
          const stamp = monotonicMicros()
          typist.type(stamp)
          if (stamp >= windowStart && stamp < windowEnd) {
            sent++
            const group = this.typistGroups[i]
            if (group !== undefined) sentByGroup[group] = (sentByGroup[group] ?? 0) + 1
          }
          at += periodMicros
        }
        due[i] = at
        nextDue = Math.min(nextDue, at)
      }
      const waitMs = Math.min(MAX_TICK_MS, (Math.min(nextDue, windowEnd) - monotonicMicros()) / 1000)
      if (waitMs >= 1) await sleep(waitMs)
      else await new Promise((resolve) => setImmediate(resolve))
    }
    const cpu = process.cpuUsage(cpuAtStart ?? undefined)
    eventLoopDelay.disable()
    const windowMs = (monotonicMicros() - cpuStartedAt) / 1000
    await sleep(args.drainMs)
    const latencies = this.recorder.take()
    return {
      latenciesMs: latencies.all,
      otherGroupLatenciesMs: latencies.otherGroups,
      sent,
      sentByGroup: Array.from(sentByGroup, (n) => n ?? 0),
      cpuPercent: cpuAtStart && windowMs > 0 ? (100 * (cpu.user + cpu.system)) / 1000 / windowMs : Number.NaN,
      eventLoopDelayP99Ms: eventLoopDelay.count > 0 ? eventLoopDelay.percentile(99) / 1e6 : 0,
    }
  }

  /**
   * Gives every editor's document the content of `editsPerEditor` keystrokes, sent as one update
   * (so the server's memory afterwards holds documents, not the garbage of many small messages).
   */
  async fill({ editsPerEditor }: FillArgs): Promise<FillResult> {
    const content = typedContent(editsPerEditor)
    for (const typist of this.typists) Y.applyUpdate(typist.doc, content)
    return { docBytes: this.typists.map((t) => Y.encodeStateAsUpdate(t.doc).byteLength) }
  }

  closeAll(): void {
    for (const client of this.clients.splice(0)) client.destroy()
    this.typists.length = 0
    this.typistGroups.length = 0
    this.recorder.take()
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
