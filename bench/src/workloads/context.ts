import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { ClientPool } from '../clients/ClientPool.ts'
import type { ClientSpec } from '../clients/workerApi.ts'
import type { BenchConfig } from '../config.ts'
import { DRIVERS } from '../servers/drivers.ts'
import type { ServerKind, ServerUnderTest, StartOptions } from '../servers/types.ts'
import { type Summary, summarize } from '../stats.ts'

/** What every workload gets from the suite. */
export interface WorkloadContext {
  config: BenchConfig
  pool: ClientPool
  /** Reports progress (the CLI prints it; tests stay quiet). */
  progress(message: string): void
}

/** A fresh, empty data directory; `removeDir` deletes it. */
export function makeDataDir(kind: ServerKind): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lever-bench-${kind}-`))
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true })
}

/** Starts a server on a fresh data directory, runs `use`, then stops it and removes the directory. */
export async function withServer<T>(
  kind: ServerKind,
  use: (server: ServerUnderTest, dataDir: string) => Promise<T>,
  options: Omit<StartOptions, 'dataDir'> = {},
): Promise<T> {
  const dataDir = makeDataDir(kind)
  try {
    const server = await DRIVERS[kind].start({ ...options, dataDir })
    try {
      return await use(server, dataDir)
    } finally {
      await server.stop()
    }
  } finally {
    removeDir(dataDir)
  }
}

/**
 * Measures every server `reps` times, interleaved (rep 1 of every server, then rep 2, …) so slow
 * drift of the machine does not favour one server, and summarizes each figure over the reps.
 */
export async function repeatPerServer(
  context: WorkloadContext,
  name: string,
  measureOnce: (kind: ServerKind, rep: number) => Promise<Record<string, number>>,
): Promise<Partial<Record<ServerKind, Record<string, Summary>>>> {
  const runs = new Map<ServerKind, Array<Record<string, number>>>()
  for (let rep = 1; rep <= context.config.reps; rep++) {
    for (const kind of context.config.servers) {
      context.progress(`${name}: ${kind}, repetition ${rep}/${context.config.reps}`)
      const figures = await measureOnce(kind, rep)
      runs.set(kind, [...(runs.get(kind) ?? []), figures])
    }
  }
  const values: Partial<Record<ServerKind, Record<string, Summary>>> = {}
  for (const [kind, reps] of runs) {
    const ids = new Set(reps.flatMap((r) => Object.keys(r)))
    values[kind] = Object.fromEntries([...ids].map((id) => [id, summarize(reps.map((r) => r[id] ?? Number.NaN))]))
  }
  return values
}

/** Opens clients spread over the pool: `specs[i]` goes to process `placeOf(i)`. */
export async function openSpread(
  context: WorkloadContext,
  server: ServerUnderTest,
  specs: ClientSpec[],
  placeOf: (index: number) => number,
): Promise<void> {
  const perProcess = Array.from({ length: context.pool.size }, () => [] as ClientSpec[])
  for (const [i, spec] of specs.entries()) perProcess[placeOf(i) % context.pool.size]?.push(spec)
  await context.pool.all('open', (p) => [{ target: server.target, clients: perProcess[p] ?? [] }])
}

export async function closeClients(context: WorkloadContext): Promise<void> {
  await context.pool.all('closeAll', () => [])
}
