import { postgresBinDir, redisServerPath, startTestServices, type TestServices } from '@lever/server/testing'
import type { ClientSpec } from '../clients/workerApi.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import { DRIVERS } from '../servers/drivers.ts'
import { isLever, type ServerKind, type ServerUnderTest } from '../servers/types.ts'
import { closeClients, makeDataDir, openSpread, removeDir, repeatPerServer, type WorkloadContext } from './context.ts'
import { latencyFigures, type MeasuredRun, measuredRun, type RunProcesses, type RunSchedule } from './measuredRun.ts'

/** The two groups of editors of every document: those on the first server and those on the second. */
const GROUPS = 2

/**
 * Cross-server propagation (Lever only): the same editing workload, D documents × E editors typing
 * at a steady rate with a presence each, measured in two setups on one PostgreSQL (and Redis):
 *
 * - one server: one Lever process with its documents in PostgreSQL (`DATABASE_URL`), every client
 *   on it;
 * - two servers: two Lever processes on the same PostgreSQL and data folder, fanning changes out
 *   to each other through Redis (`REDIS_URL`); every document's editors split half and half
 *   between them, so each edit reaches half of its receivers through the other server.
 *
 * The two-server latency counts only the deliveries that crossed servers: stamps of each server's
 * editors go to an array of their own, so a receiver knows which server an edit came from.
 * PostgreSQL and Redis are started once for the workload and stopped at its end.
 */
export async function crossServer(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  const editors = config.crossserverEditors
  const kinds = config.servers.filter(isLever)
  let values: WorkloadResult['values'] = {}
  if (kinds.length > 0) {
    const services = await startServices()
    try {
      values = await repeatPerServer({ ...context, config: { ...config, servers: kinds } }, 'cross-server', (kind) =>
        measureBothSetups(context, kind, services),
      )
    } finally {
      await services.stop()
    }
  }
  const rate = config.crossserverRate
  // The same figure of both setups, one row after the other; `across` for those of the two-server
  // setup that count only the deliveries that crossed servers.
  const pair = (
    id: string,
    label: string,
    unit: string,
    better: FigureSpec['better'],
    decimals: number,
    across = false,
  ): FigureSpec[] => [
    { id: `single${id}`, label: `${label}, one server`, unit, better, decimals },
    { id: `cross${id}`, label: `${label}, two servers${across ? ', across servers' : ''}`, unit, better, decimals },
  ]
  const figures: FigureSpec[] = [
    ...pair('P50', 'p50 latency', 'ms', 'lower', 1, true),
    ...pair('P95', 'p95 latency', 'ms', 'lower', 1, true),
    ...pair('P99', 'p99 latency', 'ms', 'lower', 1, true),
    ...pair('Delivered', 'edits delivered', '%', 'higher', 1, true),
    { id: 'singleServerCpu', label: 'server CPU, one server', unit: '% core', better: 'lower', decimals: 0 },
    { id: 'crossFirstCpu', label: 'server CPU, two servers: first', unit: '% core', better: 'lower', decimals: 0 },
    { id: 'crossSecondCpu', label: 'server CPU, two servers: second', unit: '% core', better: 'lower', decimals: 0 },
    ...pair('PostgresCpu', 'PostgreSQL CPU', '% core', 'lower', 0),
    { id: 'crossRedisCpu', label: 'Redis CPU, two servers', unit: '% core', better: 'lower', decimals: 0 },
    ...pair('ClientCpu', "client processes' CPU", '% core', 'lower', 0),
    ...pair('ClientLag', 'client event-loop delay p99', 'ms', 'lower', 1),
    ...pair('BackgroundCpu', "other programs' CPU on the machine", '% core', 'lower', 0),
  ]
  return {
    workload: 'crossserver',
    title: 'Several servers: cross-server propagation',
    description:
      `Lever only. ${config.crossserverDocs} documents × ${editors} editors, each typing as in session editing ` +
      `(one character per transaction, cursor in its presence) at ${rate} edits/s, measured twice on one ` +
      'PostgreSQL: **one server** (one Lever process, documents in PostgreSQL, every client on it; latency over ' +
      'every delivery) and **two servers** (two Lever processes on that PostgreSQL and one data folder, changes ' +
      'fanned out between them through Redis; each document’s editors split half and half between the servers; ' +
      'latency over the deliveries from an editor on the other server only, each of which went sender → server → ' +
      'PostgreSQL → Redis → other server → receiver). ' +
      `${config.crossserverSeconds} s window after ${config.warmupSeconds} s of warm-up, fresh servers and ` +
      `documents for each setup. ${config.clientProcesses} client processes.`,
    figures,
    values,
    notes: [
      'PostgreSQL and Redis are started by the benchmark (as the tests start them: a temporary cluster with ' +
        '`fsync=off` on a Unix socket, Redis without persistence); their CPU counts all their processes.',
      'Other servers have no figures: fanning out between servers through Redis and PostgreSQL is Lever’s own.',
    ],
  }
}

/** PostgreSQL and Redis for the workload, both started or neither. */

/**
 * Checks that PostgreSQL and Redis are installed, with an error that says what to do when they
 * are not (before any workload runs, so a long run does not fail at its end).
 */
export function checkPostgresAndRedis(): void {
  try {
    postgresBinDir()
    redisServerPath()
  } catch (error) {
    throw new Error(
      `the crossserver workload starts PostgreSQL and Redis: ${error instanceof Error ? error.message : error}. ` +
        'Install them, or leave crossserver out of --workloads.',
    )
  }
}

async function startServices(): Promise<TestServices> {
  checkPostgresAndRedis()
  return startTestServices()
}

/** PostgreSQL (all its processes) and Redis, measured beside the servers and counted as ours. */
function serviceProcesses(services: TestServices): NonNullable<RunProcesses['services']> {
  const postgres = services.postgres.pid()
  const redis = services.redis.pid()
  if (postgres === null || redis === null) throw new Error('PostgreSQL or Redis is not running')
  return [
    { name: 'postgres', pid: postgres },
    { name: 'redis', pid: redis },
  ]
}

async function measureBothSetups(
  context: WorkloadContext,
  kind: ServerKind,
  services: TestServices,
): Promise<Record<string, number>> {
  return { ...(await oneServer(context, kind, services)), ...(await twoServers(context, kind, services)) }
}

function schedule(context: WorkloadContext): RunSchedule {
  const { config } = context
  return {
    ratePerEditor: config.crossserverRate,
    warmupMs: config.warmupSeconds * 1000,
    measureMs: config.crossserverSeconds * 1000,
    drainMs: config.drainSeconds * 1000,
  }
}

/** Every document's editors, alternating between the two groups (servers). */
function editorSpecs(context: WorkloadContext, docs: string[]): ClientSpec[] {
  return docs.flatMap((docName) =>
    Array.from({ length: context.config.crossserverEditors }, (_, e) => ({
      docName,
      role: 'editor' as const,
      presence: true,
      seed: false,
      group: { index: e % GROUPS, of: GROUPS },
    })),
  )
}

/** Editors of each document in each group: the first gets the odd one out. */
function groupSizes(editors: number): [number, number] {
  return [Math.ceil(editors / GROUPS), Math.floor(editors / GROUPS)]
}

/** Figures every setup has, named with its prefix. */
function commonFigures(prefix: string, run: MeasuredRun): Record<string, number> {
  return {
    [`${prefix}PostgresCpu`]: run.serviceCpuPercents.postgres ?? Number.NaN,
    [`${prefix}ClientCpu`]: run.clientCpuPercent,
    [`${prefix}ClientLag`]: run.clientLagP99Ms,
    [`${prefix}BackgroundCpu`]: run.backgroundCpuPercent,
  }
}

function prefixed(prefix: string, figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(figures).map(([id, v]) => [`${prefix}${id.charAt(0).toUpperCase()}${id.slice(1)}`, v]),
  )
}

/** One Lever process on PostgreSQL, every client on it; latency over every delivery. */
async function oneServer(
  context: WorkloadContext,
  kind: ServerKind,
  services: TestServices,
): Promise<Record<string, number>> {
  const { config } = context
  const dataDir = makeDataDir(kind)
  try {
    const server = await DRIVERS[kind].start({ dataDir, env: { DATABASE_URL: services.postgres.url } })
    try {
      const docs = await server.createDocs(config.crossserverDocs)
      try {
        await openSpread(context, server, editorSpecs(context, docs), (i) => i)
        const run = await measuredRun(
          context,
          { servers: [server], services: serviceProcesses(services) },
          schedule(context),
        )
        const expected = run.sent * (config.crossserverEditors - 1)
        return {
          ...prefixed('single', latencyFigures(run, expected)),
          singleDelivered: (100 * run.received) / Math.max(1, expected),
          singleServerCpu: run.serverCpuPercent,
          ...commonFigures('single', run),
        }
      } finally {
        await closeClients(context)
      }
    } finally {
      await server.stop()
    }
  } finally {
    removeDir(dataDir)
  }
}

/**
 * Two Lever processes on the same PostgreSQL, Redis and data folder, each document's editors half
 * on one, half on the other; latency over the deliveries that crossed servers only.
 */
async function twoServers(
  context: WorkloadContext,
  kind: ServerKind,
  services: TestServices,
): Promise<Record<string, number>> {
  const { config } = context
  const dataDir = makeDataDir(kind)
  const env = { DATABASE_URL: services.postgres.url, REDIS_URL: services.redis.url }
  const started: ServerUnderTest[] = []
  try {
    // One after the other: the first creates the data folder's SQLite file and seeds the demo
    // people, the second finds them there.
    for (let i = 0; i < GROUPS; i++) started.push(await DRIVERS[kind].start({ dataDir, env }))
    const [first, second] = started as [ServerUnderTest, ServerUnderTest]
    const docs = await first.createDocs(config.crossserverDocs)
    try {
      const specs = editorSpecs(context, docs)
      for (const [g, server] of [first, second].entries()) {
        await openSpread(
          context,
          server,
          specs.filter((s) => s.group?.index === g),
          (i) => i,
        )
      }
      const run = await measuredRun(
        context,
        { servers: [first, second], services: serviceProcesses(services) },
        schedule(context),
      )
      const [onFirst, onSecond] = groupSizes(config.crossserverEditors)
      // An edit from the first server's editors should cross to every editor of its document on the
      // second, and the other way round.
      const expected = (run.sentByGroup[0] ?? 0) * onSecond + (run.sentByGroup[1] ?? 0) * onFirst
      return {
        ...prefixed('cross', latencyFigures(run, expected, '', run.otherGroupLatenciesMs)),
        crossDelivered: (100 * run.otherGroupLatenciesMs.length) / Math.max(1, expected),
        crossFirstCpu: run.serverCpuPercents[0] ?? Number.NaN,
        crossSecondCpu: run.serverCpuPercents[1] ?? Number.NaN,
        crossRedisCpu: run.serviceCpuPercents.redis ?? Number.NaN,
        ...commonFigures('cross', run),
      }
    } finally {
      await closeClients(context)
    }
  } finally {
    await Promise.allSettled(started.map((s) => s.stop()))
    removeDir(dataDir)
  }
}
