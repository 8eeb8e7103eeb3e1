import { monotonicMicros, sleepUntil } from '../clock.ts'
import { CpuMeter } from '../procStats.ts'
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
}

/** Lead time for every client process to get the start message before editing begins. */
const START_LEAD_MS = 300

/**
 * Runs the editors of every client process on one shared schedule, measuring the server's CPU over
 * exactly the clients' measurement window.
 */
export async function measuredRun(
  context: WorkloadContext,
  server: ServerUnderTest,
  schedule: RunSchedule,
): Promise<MeasuredRun> {
  const startAtMicros = monotonicMicros() + START_LEAD_MS * 1000
  const windowStart = startAtMicros + schedule.warmupMs * 1000
  const windowEnd = windowStart + schedule.measureMs * 1000
  const meter = new CpuMeter(server.pid)
  const serverCpu = (async () => {
    await sleepUntil(windowStart)
    meter.start()
    await sleepUntil(windowEnd)
    return meter.stop()
  })()
  const results = await context.pool.all('run', () => [{ ...schedule, startAtMicros }])
  const latencies = new Float64Array(results.reduce((n, r) => n + r.latenciesMs.length, 0))
  let offset = 0
  for (const r of results) {
    latencies.set(r.latenciesMs, offset)
    offset += r.latenciesMs.length
  }
  return {
    latenciesMs: latencies,
    sent: results.reduce((n, r) => n + r.sent, 0),
    received: latencies.length,
    serverCpuPercent: await serverCpu,
    clientCpuPercent: results.reduce((n, r) => n + r.cpuPercent, 0),
    clientLagP99Ms: Math.max(...results.map((r) => r.eventLoopDelayP99Ms)),
  }
}

/** The usual latency figures of a run. */
export function latencyFigures(run: MeasuredRun, suffix = ''): Record<string, number> {
  return {
    [`p50${suffix}`]: percentile(run.latenciesMs, 50),
    [`p95${suffix}`]: percentile(run.latenciesMs, 95),
    [`p99${suffix}`]: percentile(run.latenciesMs, 99),
  }
}
