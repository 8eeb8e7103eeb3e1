import type { ClientSpec } from '../clients/workerApi.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import type { ServerKind, ServerUnderTest } from '../servers/types.ts'
import { closeClients, openSpread, repeatPerServer, type WorkloadContext, withServer } from './context.ts'
import { latencyFigures, measuredRun } from './measuredRun.ts'

/** One step of a ramp: a rate offered for a while, what was achieved, and whether it passed. */
export interface Step {
  offered: number
  achieved: number
  p99: number
  delivered: number
  serverCpu: number
  clientCpu: number
  /** Why the step failed, or null if it passed. */
  failure: string | null
}

/** What a ramp of offered rates reports: the highest rate that passed, and what it cost. */
export const RAMP_FIGURES: FigureSpec[] = [
  { id: 'maxRate', label: 'updates/s accepted within the bound', unit: '/s', better: 'higher', decimals: 0 },
  { id: 'p99AtMax', label: 'p99 latency at that rate', unit: 'ms', better: 'lower', decimals: 1 },
  { id: 'serverCpuAtMax', label: 'server CPU at that rate', unit: '% core', better: 'lower', decimals: 0 },
  { id: 'clientCpuAtMax', label: "client processes' CPU at that rate", unit: '% core', better: 'lower', decimals: 0 },
]

/** The values of `RAMP_FIGURES` for the best step that passed (none: no rate passed). */
export function rampValues(
  best: Pick<Step, 'achieved' | 'p99' | 'serverCpu' | 'clientCpu'> | null,
): Record<'maxRate' | 'p99AtMax' | 'serverCpuAtMax' | 'clientCpuAtMax', number> {
  return {
    maxRate: best?.achieved ?? 0,
    p99AtMax: best?.p99 ?? Number.NaN,
    serverCpuAtMax: best?.serverCpu ?? Number.NaN,
    clientCpuAtMax: best?.clientCpu ?? Number.NaN,
  }
}

/** Where a ramp ended: the highest rate that passed and the lowest that failed (null: none). */
export interface Ramp {
  best: Step | null
  failed: Step | null
}

/**
 * Doubles the offered rate from `start` up to `max` until a step fails, then halves the gap
 * between the last rate that passed and the first that failed `refineSteps` times: doubling
 * alone can only say that a ceiling lies between 4,000 and 8,000. A step has to fail twice to
 * count (one failure may be a hiccup of a shared machine).
 */
export async function rampToCeiling(
  context: WorkloadContext,
  kind: ServerKind,
  { start, max, refineSteps }: { start: number; max: number; refineSteps: number },
  runStep: (offered: number) => Promise<Step>,
): Promise<Ramp> {
  const tryRate = async (offered: number): Promise<Step> => {
    let step = await runStep(offered)
    if (step.failure) step = await runStep(offered)
    context.progress(
      `  ${kind} offered ${offered}/s: achieved ${step.achieved.toFixed(0)}/s, p99 ${step.p99.toFixed(1)} ms, ` +
        `delivered ${step.delivered.toFixed(1)}%, server CPU ${step.serverCpu.toFixed(0)}%, ` +
        `clients ${step.clientCpu.toFixed(0)}%${step.failure ? ` (${step.failure})` : ''}`,
    )
    return step
  }
  let best: Step | null = null
  let failed: Step | null = null
  for (let offered = start; offered <= max; offered *= 2) {
    const step = await tryRate(offered)
    if (step.failure) {
      failed = step
      break
    }
    best = step
  }
  for (let r = 0; r < refineSteps && best && failed; r++) {
    const offered = Math.round((best.offered + failed.offered) / 2)
    if (offered === best.offered || offered === failed.offered) break
    const step = await tryRate(offered)
    if (step.failure) failed = step
    else best = step
  }
  return { best, failed }
}

/** Why a ramp stopped, for the report's notes. */
function rampStopReason({ failed }: Ramp, max: number): string {
  return failed
    ? `at ${failed.offered}/s offered: ${failed.failure} (server CPU ${failed.serverCpu.toFixed(0)}%, ` +
        `clients ${failed.clientCpu.toFixed(0)}%)`
    : `reached the highest rate tried (${max}/s)`
}

/**
 * Ramps every server to its ceiling, `reps` times: the figures `valuesOf` reads from each ramp,
 * and notes on why each ramp stopped.
 */
export async function rampEachServer(
  context: WorkloadContext,
  workload: string,
  settings: { start: number; max: number; refineSteps: number },
  runStep: (server: ServerUnderTest, offered: number) => Promise<Step>,
  valuesOf: (ramp: Ramp) => Record<string, number>,
): Promise<Pick<WorkloadResult, 'values' | 'notes'>> {
  const stopReasons = new Map<ServerKind, string[]>()
  const values = await repeatPerServer(context, workload, (kind) =>
    withServer(kind, async (server) => {
      const ramp = await rampToCeiling(context, kind, settings, (offered) => runStep(server, offered))
      stopReasons.set(kind, [...(stopReasons.get(kind) ?? []), rampStopReason(ramp, settings.max)])
      return valuesOf(ramp)
    }),
  )
  const notes = [...stopReasons].map(([kind, reasons]) => `${kind}: ramp stopped ${reasons.join('; ')}.`)
  return { values, notes }
}

/**
 * Ingest: N documents, each with one writer and one observer in another client process. The
 * offered rate of updates (one typed character each) doubles every step; a step passes while p99
 * writer→observer latency stays within the bound and 99% of updates arrive; then the gap between
 * the last rate that passed and the first that failed is halved a few times. The figure is the
 * highest passing rate: updates the server accepts, stores (if it stores) and forwards per second.
 */
export async function ingest(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  const { values, notes } = await rampEachServer(
    context,
    'ingest',
    { start: config.ingestStartRate, max: config.ingestMaxRate, refineSteps: config.ingestRefineSteps },
    (server, offered) => runStep(context, server, offered),
    (ramp) => rampValues(ramp.best),
  )
  const figures = RAMP_FIGURES
  return {
    workload: 'ingest',
    title: 'Ingest',
    description:
      `${config.ingestDocs} documents, each with 1 writer and 1 observer (in another client process), no presence. ` +
      `Offered rate from ${config.ingestStartRate}/s doubling up to ${config.ingestMaxRate}/s (all writers together), ` +
      `then the gap between the last passing and the first failing rate halved ${config.ingestRefineSteps} times, ` +
      `${config.ingestStepSeconds} s per step; a step passes while p99 latency ≤ ${config.ingestP99BoundMs} ms, ` +
      '≥ 99% of updates arrive and the clients manage ≥ 90% of the offered rate.',
    figures,
    values,
    notes,
  }
}

async function runStep(context: WorkloadContext, server: ServerUnderTest, offered: number): Promise<Step> {
  const { config } = context
  const docs = await server.createDocs(config.ingestDocs)
  // Writer of document d in process d, its observer in the next process.
  const specs: ClientSpec[] = docs.flatMap((docName) => [
    { docName, role: 'editor' as const, presence: false, seed: true },
    { docName, role: 'observer' as const, presence: false, seed: false },
  ])
  try {
    await openSpread(context, server, specs, (i) => Math.floor(i / 2) + (i % 2))
    const run = await measuredRun(context, server, {
      ratePerEditor: offered / config.ingestDocs,
      warmupMs: config.warmupSeconds * 1000,
      measureMs: config.ingestStepSeconds * 1000,
      drainMs: Math.max(config.drainSeconds * 1000, config.ingestP99BoundMs * 2),
    })
    const achieved = run.sent / config.ingestStepSeconds
    const p99 = latencyFigures(run, run.sent).p99 ?? Number.NaN
    const delivered = (100 * run.received) / Math.max(1, run.sent)
    let failure: string | null = null
    if (achieved < 0.9 * offered) failure = `the clients sent only ${achieved.toFixed(0)}/s`
    else if (delivered < 99) failure = `only ${delivered.toFixed(1)}% delivered`
    else if (!(p99 <= config.ingestP99BoundMs)) failure = `p99 ${p99.toFixed(1)} ms over the bound`
    return {
      offered,
      achieved,
      p99,
      delivered,
      serverCpu: run.serverCpuPercent,
      clientCpu: run.clientCpuPercent,
      failure,
    }
  } finally {
    await closeClients(context)
  }
}
