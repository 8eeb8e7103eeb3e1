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

/**
 * The processes a run measures: the server(s) the clients are on and, when the servers rely on
 * other programs the benchmark started (PostgreSQL, Redis), those programs' process ids.
 */
export interface RunProcesses {
  servers: ServerUnderTest[]
  /** Programs measured with all their descendants (PostgreSQL's postmaster and its backends). */
  services?: Array<{ name: string; pid: number }>
}

/** What one measured editing run produced, all client processes together. */
export interface MeasuredRun {
  latenciesMs: Float64Array
  /** Of `latenciesMs`, deliveries of edits sent by a client of another group than the receiver's. */
  otherGroupLatenciesMs: Float64Array
  /** Stamped edits sent in the window. */
  sent: number
  /** `sent` by the senders' group (clients given a group only). */
  sentByGroup: number[]
  /** Deliveries of those edits received in the window plus the drain. */
  received: number
  /** All servers together. */
  serverCpuPercent: number
  /** Each server's, in the order of `RunProcesses.servers`. */
  serverCpuPercents: number[]
  /** Each service's (with its descendants), by name. */
  serviceCpuPercents: Record<string, number>
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
export const BACKGROUND_LIMIT_PERCENT = 25

/**
 * Runs the editors of every client process on one shared schedule, measuring the server's CPU over
 * exactly the clients' measurement window. A run during which other programs took a noticeable
 * share of the machine is repeated (a few times at most; the last one counts).
 */
export async function measuredRun(
  context: WorkloadContext,
  measured: ServerUnderTest | RunProcesses,
  schedule: RunSchedule,
): Promise<MeasuredRun> {
  const { results, cpu } = await measuredWindow(context, measured, schedule, (startAtMicros) =>
    context.pool.all('run', () => [{ ...schedule, startAtMicros }]),
  )
  const latencies = concat(results.map((r) => r.latenciesMs))
  const sentByGroup: number[] = []
  for (const r of results) for (const [g, n] of r.sentByGroup.entries()) sentByGroup[g] = (sentByGroup[g] ?? 0) + n
  return {
    latenciesMs: latencies,
    otherGroupLatenciesMs: concat(results.map((r) => r.otherGroupLatenciesMs)),
    sent: results.reduce((n, r) => n + r.sent, 0),
    sentByGroup: Array.from(sentByGroup, (n) => n ?? 0),
    received: latencies.length,
    ...cpu,
    clientCpuPercent: results.reduce((n, r) => n + r.cpuPercent, 0),
    clientLagP99Ms: Math.max(...results.map((r) => r.eventLoopDelayP99Ms)),
  }
}

/** Other programs' CPU (% of one core) below which the machine counts as quiet before a run. */
const QUIET_PERCENT = 20

/** The benchmark's own processes during a run: the servers, the client processes and this one. */
function ourPids(context: WorkloadContext, processes: RunProcesses): number[] {
  return [...processes.servers.map((s) => s.pid), process.pid, ...context.pool.pids]
}

/** Programs the benchmark started for the servers, counted with their descendants. */
const ourTrees = (processes: RunProcesses): number[] => (processes.services ?? []).map((s) => s.pid)

/** Waits (a while at most) until other programs leave the machine alone. */
async function waitForQuietMachine(context: WorkloadContext, processes: RunProcesses): Promise<void> {
  const maxWaitMs = context.config.quietWaitSeconds * 1000
  if (maxWaitMs <= 0) return
  const deadline = performance.now() + maxWaitMs
  let told = false
  for (;;) {
    const meter = new OtherProgramsMeter(ourPids(context, processes), ourTrees(processes))
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

/** What every client process reports about its own part of a measured run. */
export interface ClientWindowReport {
  /** This process's CPU use during the window, in percent of one core. */
  cpuPercent: number
}

/** The CPU the measured processes used over a run's measurement window. */
export interface WindowCpu {
  serverCpuPercent: number
  serverCpuPercents: number[]
  serviceCpuPercents: Record<string, number>
  backgroundCpuPercent: number
}

/**
 * Runs the client processes' part of a run (`runClients`, given the shared start time) and
 * measures the servers' (and services') CPU over exactly the clients' measurement window. Waits
 * for a quiet machine first, and repeats a run during which other programs took a noticeable
 * share of it (`noiseRetries` times at most; the last one counts).
 */
export async function measuredWindow<R extends ClientWindowReport>(
  context: WorkloadContext,
  measured: ServerUnderTest | RunProcesses,
  schedule: Pick<RunSchedule, 'warmupMs' | 'measureMs'>,
  runClients: (startAtMicros: number) => Promise<R[]>,
  /** Runs repeated at most when disturbed (default: the setting); clients that cannot run twice say 0. */
  noiseRetries = context.config.noiseRetries,
): Promise<{ results: R[]; cpu: WindowCpu }> {
  const processes: RunProcesses = 'servers' in measured ? measured : { servers: [measured] }
  for (let attempt = 0; ; attempt++) {
    await waitForQuietMachine(context, processes)
    const run = await measureWindowOnce(context, processes, schedule, runClients)
    if (run.cpu.backgroundCpuPercent <= BACKGROUND_LIMIT_PERCENT || attempt >= noiseRetries) return run
    context.progress(
      `  other programs used ${run.cpu.backgroundCpuPercent.toFixed(0)}% CPU during the run; measuring again`,
    )
    await sleep(2000)
  }
}

async function measureWindowOnce<R>(
  context: WorkloadContext,
  processes: RunProcesses,
  schedule: Pick<RunSchedule, 'warmupMs' | 'measureMs'>,
  runClients: (startAtMicros: number) => Promise<R[]>,
): Promise<{ results: R[]; cpu: WindowCpu }> {
  const startAtMicros = monotonicMicros() + START_LEAD_MS * 1000
  const windowStart = startAtMicros + schedule.warmupMs * 1000
  const windowEnd = windowStart + schedule.measureMs * 1000
  const serverMeters = processes.servers.map((s) => new CpuMeter(s.pid))
  const services = processes.services ?? []
  const serviceMeters = services.map((s) => new CpuMeter(s.pid, true))
  const othersMeter = new OtherProgramsMeter(ourPids(context, processes), ourTrees(processes))
  const meters = (async () => {
    await sleepUntil(windowStart)
    for (const meter of [...serverMeters, ...serviceMeters, othersMeter]) meter.start()
    await sleepUntil(windowEnd)
    return {
      servers: serverMeters.map((m) => m.stop()),
      services: Object.fromEntries(services.map((s, i) => [s.name, serviceMeters[i]?.stop() ?? Number.NaN])),
      others: othersMeter.stop(),
    }
  })()
  const results = await runClients(startAtMicros)
  const cpu = await meters
  return {
    results,
    cpu: {
      serverCpuPercent: cpu.servers.reduce((a, b) => a + b, 0),
      serverCpuPercents: cpu.servers,
      serviceCpuPercents: cpu.services,
      backgroundCpuPercent: cpu.others,
    },
  }
}

function concat(parts: Float64Array[]): Float64Array {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    all.set(p, offset)
    offset += p.length
  }
  return all
}

/**
 * The usual latency percentiles of a run, over every delivery that should have happened
 * (`expected`): one that never arrived counts as infinitely late, so a server that drops or
 * stalls deliveries cannot look fast by leaving out its slowest ones.
 */
export function latencyFigures(
  run: MeasuredRun,
  expected: number,
  suffix = '',
  latenciesMs: Float64Array = run.latenciesMs,
): Record<string, number> {
  const missing = Math.max(0, expected - latenciesMs.length)
  const all = new Float64Array(latenciesMs.length + missing)
  all.set(latenciesMs)
  all.fill(Number.POSITIVE_INFINITY, latenciesMs.length)
  return {
    [`p50${suffix}`]: percentile(all, 50),
    [`p95${suffix}`]: percentile(all, 95),
    [`p99${suffix}`]: percentile(all, 99),
  }
}
