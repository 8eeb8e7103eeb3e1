import type { RawObserverReport, RawRunResult, RawWriterReport } from '../clients/workerApi.ts'
import { sleep } from '../clock.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import type { ServerUnderTest } from '../servers/types.ts'
import { percentile } from '../stats.ts'
import { closeClients, type WorkloadContext } from './context.ts'
import { RAMP_FIGURES, rampEachServer, rampValues, type Step } from './ingest.ts'
import { BACKGROUND_LIMIT_PERCENT, measuredWindow } from './measuredRun.ts'

/** Updates prepared beyond what the schedule needs, so a writer never runs out. */
const PREPARED_MARGIN = 1.1

/**
 * Ingest with clients that cost almost nothing per update, so the server is what runs out: N
 * documents, each with one writer and one observer (in another client process) on plain `ws`
 * sockets. Before each step a writer syncs the document and prepares its updates with Yjs (one
 * typed character per transaction, each framed for the server's protocol); during the step it
 * only sends those frames. An observer only notes which clock each update frame starts at and
 * when it arrived. The offered rate doubles each step, then the gap between the last rate that
 * passed and the first that failed is halved a few times; the figure is the highest passing rate.
 */
export async function ingestRaw(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  const { values, notes } = await rampEachServer(
    context,
    'ingestraw',
    { start: config.ingestrawStartRate, max: config.ingestrawMaxRate, refineSteps: config.ingestrawRefineSteps },
    (server, offered) => runStep(context, server, offered),
    ({ best, failed }) => ({ ...rampValues(best), serverCpuAtFailure: failed?.serverCpu ?? Number.NaN }),
  )
  const figures: FigureSpec[] = [
    ...RAMP_FIGURES,
    {
      id: 'serverCpuAtFailure',
      label: 'server CPU at the lowest rate that failed',
      unit: '% core',
      better: 'lower',
      decimals: 0,
    },
  ]
  return {
    workload: 'ingestraw',
    title: 'Ingest, server-limited',
    description:
      `${config.ingestrawDocs} documents, each with 1 writer and 1 observer (in another client process) on plain ` +
      '`ws` sockets speaking the server’s sync protocol: a writer syncs the document and prepares its updates with ' +
      'Yjs (one typed character per transaction, framed as sync update messages) before each step and only sends ' +
      'bytes during it; an observer reads only the clock each update frame starts at. Offered rate from ' +
      `${config.ingestrawStartRate}/s doubling up to ${config.ingestrawMaxRate}/s (all writers together), then ` +
      `the gap between the last passing and the first failing rate halved ${config.ingestrawRefineSteps} times; ` +
      `${config.ingestrawStepSeconds} s per step; a step passes while p99 latency ≤ ${config.ingestrawP99BoundMs} ms, ` +
      '≥ 99% of updates arrive and the clients manage ≥ 90% of the offered rate. Server CPU near 100% of a core at ' +
      'the ceiling says the server, not the clients, is what stopped it.',
    figures,
    values,
    notes,
  }
}

/**
 * One step at `offered` updates/s on fresh documents. A step during which other programs took a
 * noticeable share of the machine is measured again from scratch (new documents, new updates: the
 * prepared ones are spent), a few times at most; the last one counts.
 */
async function runStep(context: WorkloadContext, server: ServerUnderTest, offered: number): Promise<Step> {
  for (let attempt = 0; ; attempt++) {
    const { step, backgroundCpu } = await runStepOnce(context, server, offered)
    if (backgroundCpu <= BACKGROUND_LIMIT_PERCENT || attempt >= context.config.noiseRetries) return step
    context.progress(`  other programs used ${backgroundCpu.toFixed(0)}% CPU during the step; measuring again`)
    await sleep(2000)
  }
}

async function runStepOnce(
  context: WorkloadContext,
  server: ServerUnderTest,
  offered: number,
): Promise<{ step: Step; backgroundCpu: number }> {
  const { config } = context
  const docs = await server.createDocs(config.ingestrawDocs)
  const processes = context.pool.size
  const ratePerWriter = offered / docs.length
  const warmupMs = config.warmupSeconds * 1000
  const measureMs = config.ingestrawStepSeconds * 1000
  const drainMs = Math.max(config.drainSeconds * 1000, config.ingestrawP99BoundMs * 2)
  const updates = Math.ceil((ratePerWriter * (warmupMs + measureMs) * PREPARED_MARGIN) / 1000) + 20
  try {
    // The writer of document d in process d, its observer in the next process.
    const opened = await context.pool.all('rawOpenWriters', (p) => [
      {
        target: server.target,
        writers: docs.filter((_, d) => d % processes === p).map((docName) => ({ docName, updates })),
      },
    ])
    const clientIds = new Map(opened.flatMap((r) => r.writers.map((w) => [w.docName, w.clientId] as const)))
    await context.pool.all('rawOpenObservers', (p) => [
      {
        target: server.target,
        observers: docs
          .filter((_, d) => (d + 1) % processes === p)
          .map((docName) => ({ docName, writerClientId: clientIds.get(docName) ?? -1 })),
      },
    ])
    const { results, cpu } = await measuredWindow(
      context,
      server,
      { warmupMs, measureMs },
      (startAtMicros) =>
        context.pool.all('rawRun', () => [{ startAtMicros, warmupMs, measureMs, drainMs, ratePerWriter }]),
      0,
    )
    const outcome = deliveries(results)
    const achieved = outcome.sent / config.ingestrawStepSeconds
    const missing = outcome.sent - outcome.latenciesMs.length
    const all = new Float64Array(outcome.latenciesMs.length + missing)
    all.set(outcome.latenciesMs)
    all.fill(Number.POSITIVE_INFINITY, outcome.latenciesMs.length)
    const p99 = percentile(all, 99)
    const delivered = (100 * outcome.latenciesMs.length) / Math.max(1, outcome.sent)
    const ranOut = results.reduce((n, r) => n + r.ranOut, 0)
    let failure: string | null = null
    if (outcome.closed.length > 0)
      failure = `the server closed ${outcome.closed.length} connections (${outcome.closed[0]})`
    else if (achieved < 0.9 * offered) {
      failure = `the clients sent only ${achieved.toFixed(0)}/s${ranOut > 0 ? ` (${ranOut} writers ran out)` : ''}`
    } else if (delivered < 99) failure = `only ${delivered.toFixed(1)}% delivered`
    else if (!(p99 <= config.ingestrawP99BoundMs)) failure = `p99 ${p99.toFixed(1)} ms over the bound`
    const step: Step = {
      offered,
      achieved,
      p99,
      delivered,
      serverCpu: cpu.serverCpuPercent,
      clientCpu: results.reduce((n, r) => n + r.cpuPercent, 0),
      failure,
    }
    return { step, backgroundCpu: cpu.backgroundCpuPercent }
  } finally {
    await closeClients(context)
  }
}

/** Every process's writers matched with their documents' observers. */
function deliveries(results: RawRunResult[]): { sent: number; latenciesMs: Float64Array; closed: string[] } {
  const observers = new Map<string, RawObserverReport>()
  for (const r of results) for (const o of r.observers) observers.set(o.docName, o)
  const latencies: number[] = []
  const closed: string[] = []
  let sent = 0
  for (const r of results) {
    for (const w of r.writers) {
      sent += w.sentClocks.length
      const observer = observers.get(w.docName)
      if (w.closed) closed.push(`writer: ${w.closed}`)
      if (observer?.closed) closed.push(`observer: ${observer.closed}`)
      if (observer) for (const ms of matchDeliveries(w, observer)) latencies.push(ms)
    }
  }
  return { sent, latenciesMs: Float64Array.from(latencies), closed }
}

/**
 * The delivery latency (ms) of each update a writer sent that its observer received. Frames
 * arrive in the order the writer sent the updates, each starting where the previous one ended; a
 * server that forwards every update on its own (Lever, y-websocket-server) sends one frame per
 * update, one that merges what arrived in one event-loop turn (Hocuspocus) sends fewer. So frame
 * k holds the updates starting from its first clock up to the next frame's (the last frame: up to
 * its end clock), and each of them was delivered when frame k arrived.
 */
export function matchDeliveries(
  writer: Pick<RawWriterReport, 'sentClocks' | 'sentAt'>,
  observer: Pick<RawObserverReport, 'frameClocks' | 'frameAt' | 'lastFrameEndClock'>,
): number[] {
  const { frameClocks, frameAt } = observer
  const latencies: number[] = []
  let k = 0
  for (let i = 0; i < writer.sentClocks.length; i++) {
    const clock = writer.sentClocks[i] as number
    while (k + 1 < frameClocks.length && (frameClocks[k + 1] as number) <= clock) k++
    if (k >= frameClocks.length || (frameClocks[k] as number) > clock) continue
    if (k === frameClocks.length - 1 && !(clock < observer.lastFrameEndClock)) continue
    const ms = ((frameAt[k] as number) - (writer.sentAt[i] as number)) / 1000
    // A frame that arrived before the update was sent cannot hold it (a frame went missing).
    if (ms >= 0) latencies.push(ms)
  }
  return latencies
}
