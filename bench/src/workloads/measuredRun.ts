import { monotonicMicros, sleep, sleepUntil } from '../clock.ts'
import { CpuMeter, OtherProgramsMeter } from '../procStats.ts'
import type { ServerUnderTest } from '../servers/types.ts'
import { percentile } from '../stats.ts'
import type { WorkloadContext } from './context.ts'

export interface RunSchedule {
  ratePerEditor: number
  warmupMs: number
  measureMs: number
  drainMs: number
}

/** What one measured editing run produced, all client processes together. */
export interface MeasuredRun {
  latenciesMs: Float64Array
  /** Stamped edits sent in the window. */
  sent: number
  /** Deliveries of those edits received in the window plus the drain. */
  received: number
  serverCpuPercent: number
  /** Sum over client processes, in percent of one core. */
  clientCpuPercent: number
  /** Worst client process's 99th percentile event-loop delay. */
  clientLagP99Ms: number
  /**
   * CPU the rest of the machine used meanwhile (other programs), in percent of one core. The
   * benchmark shares the machine with whatever else runs; a run disturbed by it is repeated.
   */
  backgroundCpuPercent: number
}

/** Lead time for every client process to get the start message before editing begins. */
const START_LEAD_MS = 300
/** Other programs using more than this much CPU (% of one core) during a run disturb it. */
const BACKGROUND_LIMIT_PERCENT = 25

/**
 * Runs the editors of every client process on one shared schedule, measuring the server's CPU over
 * exactly the clients' measurement window. A run during which other programs took a noticeable
 * share of the machine is repeated (a few times at most; the last one counts).
 */
export async function measuredRun(
  context: WorkloadContext,
  server: ServerUnderTest,
  schedule: RunSchedule,
): Promise<MeasuredRun> {
  for (let attempt = 0; ; attempt++) {
    await waitForQuietMachine(context, server)
    const run = await measureOnce(context, server, schedule)
    if (run.backgroundCpuPercent <= BACKGROUND_LIMIT_PERCENT || attempt >= context.config.noiseRetries) return run
    context.progress(
      `  other programs used ${run.backgroundCpuPercent.toFixed(0)}% CPU during the run; measuring again`,
    )
    await sleep(2000)
  }
}

/** Other programs' CPU (% of one core) below which the machine counts as quiet before a run. */
const QUIET_PERCENT = 20

/** The benchmark's own processes during a run: the server, the client processes and this one. */
function ourPids(context: WorkloadContext, server: ServerUnderTest): number[] {
  return [server.pid, process.pid, ...context.pool.pids]
}

/** Waits (a while at most) until other programs leave the machine alone. */
async function waitForQuietMachine(context: WorkloadContext, server: ServerUnderTest): Promise<void> {
  const maxWaitMs = context.config.quietWaitSeconds * 1000
  if (maxWaitMs <= 0) return
  const deadline = performance.now() + maxWaitMs
  let told = false
  for (;;) {
    const meter = new OtherProgramsMeter(ourPids(context, server))
    meter.start()
    await sleep(500)
    const others = meter.stop()
    if (others < QUIET_PERCENT || performance.now() > deadline) return
    if (!told) {
      context.progress(`  other programs use ${others.toFixed(0)}% CPU; waiting up to ${maxWaitMs / 1000} s for quiet`)
    }
    told = true
  }
}

async function measureOnce(
  context: WorkloadContext,
  server: ServerUnderTest,
  schedule: RunSchedule,
): Promise<MeasuredRun> {
  const startAtMicros = monotonicMicros() + START_LEAD_MS * 1000
  const windowStart = startAtMicros + schedule.warmupMs * 1000
  const windowEnd = windowStart + schedule.measureMs * 1000
  const serverMeter = new CpuMeter(server.pid)
  const othersMeter = new OtherProgramsMeter(ourPids(context, server))
  const meters = (async () => {
    await sleepUntil(windowStart)
    serverMeter.start()
    othersMeter.start()
    await sleepUntil(windowEnd)
    return { server: serverMeter.stop(), others: othersMeter.stop() }
  })()
  const results = await context.pool.all('run', () => [{ ...schedule, startAtMicros }])
  const latencies = new Float64Array(results.reduce((n, r) => n + r.latenciesMs.length, 0))
  let offset = 0
  for (const r of results) {
    latencies.set(r.latenciesMs, offset)
    offset += r.latenciesMs.length
  }
  const cpu = await meters
  return {
    latenciesMs: latencies,
    sent: results.reduce((n, r) => n + r.sent, 0),
    received: latencies.length,
    serverCpuPercent: cpu.server,
    clientCpuPercent: results.reduce((n, r) => n + r.cpuPercent, 0),
    clientLagP99Ms: Math.max(...results.map((r) => r.eventLoopDelayP99Ms)),
    backgroundCpuPercent: cpu.others,
  }
}

/**
 * The usual latency percentiles of a run, over every delivery that should have happened
 * (`expected`): one that never arrived counts as infinitely late, so a server that drops or
 * stalls deliveries cannot look fast by leaving out its slowest ones.
 */
export function latencyFigures(run: MeasuredRun, expected: number, suffix = ''): Record<string, number> {
  const missing = Math.max(0, expected - run.latenciesMs.length)
  const all = new Float64Array(run.latenciesMs.length + missing)
  all.set(run.latenciesMs)
  all.fill(Number.POSITIVE_INFINITY, run.latenciesMs.length)
  return {
    [`p50${suffix}`]: percentile(all, 50),
    [`p95${suffix}`]: percentile(all, 95),
    [`p99${suffix}`]: percentile(all, 99),
  }
}
