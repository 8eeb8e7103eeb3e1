import { ClientPool } from './clients/ClientPool.ts'
import { type BenchConfig, NEEDS_POSTGRES_AND_REDIS, type WorkloadName } from './config.ts'
import { describeMachine } from './machine.ts'
import type { SuiteResult, WorkloadResult } from './results.ts'
import { isLever } from './servers/types.ts'
import { coldLoad } from './workloads/coldLoad.ts'
import type { WorkloadContext } from './workloads/context.ts'
import { crash } from './workloads/crash.ts'
import { checkPostgresAndRedis, crossServer } from './workloads/crossServer.ts'
import { fanOut } from './workloads/fanOut.ts'
import { ingest } from './workloads/ingest.ts'
import { ingestRaw } from './workloads/ingestRaw.ts'
import { memory } from './workloads/memory.ts'
import { sessionEditing } from './workloads/sessionEditing.ts'

const RUNNERS: Record<WorkloadName, (context: WorkloadContext) => Promise<WorkloadResult>> = {
  session: sessionEditing,
  fanout: fanOut,
  ingest,
  ingestraw: ingestRaw,
  memory,
  coldload: coldLoad,
  crash,
  crossserver: crossServer,
}

export interface RunSuiteOptions {
  progress?(message: string): void
  /** The command line to print as the way to reproduce the run. */
  command?: string
}

/**
 * Runs the selected workloads against the selected servers, one server at a time, each workload
 * with fresh client processes. Returns every figure; writing the report is the caller's business.
 */
export async function runSuite(config: BenchConfig, options: RunSuiteOptions = {}): Promise<SuiteResult> {
  const progress = options.progress ?? (() => {})
  // Before measuring anything: a missing PostgreSQL or Redis fails the run now, not at its end.
  if (config.workloads.some((w) => NEEDS_POSTGRES_AND_REDIS.includes(w)) && config.servers.some(isLever)) {
    checkPostgresAndRedis()
  }
  const started = performance.now()
  const startedAt = new Date().toISOString()
  const workloads: WorkloadResult[] = []
  for (const name of config.workloads) {
    const pool = await ClientPool.start(config.clientProcesses)
    try {
      const t0 = performance.now()
      workloads.push(await RUNNERS[name]({ config, pool, progress }))
      progress(`${name} done in ${((performance.now() - t0) / 1000).toFixed(0)} s`)
    } finally {
      await pool.close()
    }
  }
  return {
    startedAt,
    durationSeconds: (performance.now() - started) / 1000,
    machine: describeMachine(),
    config,
    command: options.command ?? 'pnpm bench',
    workloads,
  }
}
