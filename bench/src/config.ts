import { parseArgs } from 'node:util'
import { DEFAULT_SERVER_KINDS, SERVER_KINDS, type ServerKind } from './servers/types.ts'

export const WORKLOADS = [
  'session',
  'fanout',
  'ingest',
  'ingestraw',
  'memory',
  'coldload',
  'crash',
  'crossserver',
] as const
export type WorkloadName = (typeof WORKLOADS)[number]

/**
 * Workloads a run measures only when named (or with `--workloads all`): `crossserver` needs
 * PostgreSQL and Redis installed; `ingestraw` ramps every server to its ceiling, which takes a few
 * minutes per repetition on its own.
 */
export const NAMED_ONLY_WORKLOADS: readonly WorkloadName[] = ['crossserver', 'ingestraw']

/** The workloads a run measures unless told otherwise. */
export const DEFAULT_WORKLOADS: readonly WorkloadName[] = WORKLOADS.filter((w) => !NAMED_ONLY_WORKLOADS.includes(w))

/** Workloads that start PostgreSQL and Redis, so need them installed. */
export const NEEDS_POSTGRES_AND_REDIS: readonly WorkloadName[] = ['crossserver']

/** Every setting of a run. Each has a command-line flag of the same name in kebab-case. */
export interface BenchConfig {
  reps: number
  servers: ServerKind[]
  workloads: WorkloadName[]
  clientProcesses: number
  drainSeconds: number
  quietWaitSeconds: number
  noiseRetries: number
  sessionDocs: number
  sessionEditors: number
  sessionRates: number[]
  warmupSeconds: number
  sessionSeconds: number
  fanoutObservers: number
  fanoutRate: number
  fanoutSeconds: number
  ingestDocs: number
  ingestStartRate: number
  ingestMaxRate: number
  ingestStepSeconds: number
  ingestP99BoundMs: number
  ingestRefineSteps: number
  ingestrawDocs: number
  ingestrawStartRate: number
  ingestrawMaxRate: number
  ingestrawStepSeconds: number
  ingestrawP99BoundMs: number
  ingestrawRefineSteps: number
  memoryConnections: number
  memoryDocs: number
  memoryDocEdits: number
  memorySettleSeconds: number
  coldloadUpdates: number
  crashMinReceived: number
  crashEditSeconds: number
  crossserverDocs: number
  crossserverEditors: number
  crossserverRate: number
  crossserverSeconds: number
}

type Key = keyof BenchConfig

/** What each setting means; printed by `--help` and written into BENCHMARKS.md. */
export const SETTING_HELP: Record<Key, string> = {
  reps: 'repetitions of every measurement; each figure is their median',
  servers: `servers to compare (${SERVER_KINDS.join(', ')}; lever-baseline runs BENCH_BASELINE_DIR's checkout)`,
  workloads:
    `workloads to run (${WORKLOADS.join(', ')}, or all; the default leaves out ${NAMED_ONLY_WORKLOADS.join(' and ')}; ` +
    'crossserver needs PostgreSQL and Redis installed)',
  clientProcesses: 'client processes the simulated users are spread over',
  drainSeconds: 'after editing stops, how long receivers keep listening for edits still on their way',
  quietWaitSeconds: 'before each measured run, wait up to this long for other programs to leave the CPU alone',
  noiseRetries: 'repeat a run this many times at most when other programs took over 25% of a core during it',
  sessionDocs: 'session editing: documents',
  sessionEditors: 'session editing: editors per document (each with a presence)',
  sessionRates: 'session editing: edits per second per editor, one run each',
  warmupSeconds: 'editing before each measurement window starts (session, fan-out, both ingests)',
  sessionSeconds: 'session editing: measurement window',
  fanoutObservers: 'fan-out: observers of the one document',
  fanoutRate: 'fan-out: edits per second of the one writer',
  fanoutSeconds: 'fan-out: measurement window',
  ingestDocs: 'ingest: documents, each with one writer and one observer',
  ingestStartRate: 'ingest: first offered rate (updates/s, all writers together); doubled each step',
  ingestMaxRate: 'ingest: highest offered rate tried',
  ingestStepSeconds: 'ingest: measurement window of each step',
  ingestP99BoundMs: 'ingest: a step passes while p99 latency stays within this and 99% of updates arrive',
  ingestRefineSteps: 'ingest: after the first failed step, halve the gap to the last passed rate this many times',
  ingestrawDocs:
    'ingest, server-limited: documents, each with one writer and one observer (pre-built frames over plain ws)',
  ingestrawStartRate: 'ingest, server-limited: first offered rate (updates/s, all writers together); doubled each step',
  ingestrawMaxRate: 'ingest, server-limited: highest offered rate tried',
  ingestrawStepSeconds: 'ingest, server-limited: measurement window of each step',
  ingestrawP99BoundMs:
    'ingest, server-limited: a step passes while p99 latency stays within this and 99% of updates arrive',
  ingestrawRefineSteps:
    'ingest, server-limited: after the first failed step, halve the gap to the last passed rate this many times',
  memoryConnections: 'memory: idle connections opened to one document',
  memoryDocs: 'memory: documents loaded, one connection each',
  memoryDocEdits: 'memory: keystrokes whose content fills each loaded document (sent as one update)',
  memorySettleSeconds: 'memory: wait before each RSS reading',
  coldloadUpdates: 'cold load: updates (one typed character each) in the stored document',
  crashMinReceived: 'crash: edits each client must have received from the other before the kill window opens',
  crashEditSeconds: 'crash: further editing before the kill -9 (plus a random 0-50% more)',
  crossserverDocs: 'cross-server (Lever on PostgreSQL and Redis): documents',
  crossserverEditors: 'cross-server: editors per document, split half and half between the two servers',
  crossserverRate: 'cross-server: edits per second per editor',
  crossserverSeconds: 'cross-server: measurement window of each setup (one server, two servers)',
}

export const DEFAULT_CONFIG: BenchConfig = {
  reps: 3,
  servers: [...DEFAULT_SERVER_KINDS],
  workloads: [...DEFAULT_WORKLOADS],
  clientProcesses: 2,
  drainSeconds: 1,
  quietWaitSeconds: 30,
  noiseRetries: 2,
  sessionDocs: 20,
  sessionEditors: 10,
  sessionRates: [1, 5],
  warmupSeconds: 0.5,
  sessionSeconds: 3,
  fanoutObservers: 500,
  fanoutRate: 10,
  fanoutSeconds: 3,
  ingestDocs: 4,
  ingestStartRate: 1000,
  ingestMaxRate: 16_000,
  ingestStepSeconds: 1.5,
  ingestP99BoundMs: 100,
  ingestRefineSteps: 3,
  ingestrawDocs: 16,
  ingestrawStartRate: 2000,
  ingestrawMaxRate: 64_000,
  ingestrawStepSeconds: 2,
  ingestrawP99BoundMs: 100,
  ingestrawRefineSteps: 3,
  memoryConnections: 300,
  // Enough documents that they outweigh the server's step-wise growth (heap, SQLite page cache):
  // with 50, one step of a few MiB read as 170 KiB per document.
  memoryDocs: 200,
  memoryDocEdits: 1000,
  memorySettleSeconds: 1,
  coldloadUpdates: 100_000,
  crashMinReceived: 300,
  crashEditSeconds: 2,
  // Session editing's sizes at its lower rate: two servers, PostgreSQL, Redis and the client
  // processes share the machine, and at 5 edits/s the clients alone nearly fill two cores.
  crossserverDocs: 20,
  crossserverEditors: 10,
  crossserverRate: 1,
  crossserverSeconds: 3,
}

/** Tiny sizes: every workload against every server in well under a minute (CI's smoke run). */
export const SMOKE_CONFIG: BenchConfig = {
  ...DEFAULT_CONFIG,
  reps: 1,
  clientProcesses: 2,
  drainSeconds: 0.3,
  // CI runs other test projects at the same time: measure through the noise, never wait for quiet.
  quietWaitSeconds: 0,
  noiseRetries: 0,
  sessionDocs: 2,
  sessionEditors: 3,
  sessionRates: [5],
  warmupSeconds: 0.2,
  sessionSeconds: 0.6,
  fanoutObservers: 6,
  fanoutRate: 20,
  fanoutSeconds: 0.6,
  ingestDocs: 1,
  ingestStartRate: 100,
  ingestMaxRate: 100,
  ingestStepSeconds: 0.5,
  ingestrawDocs: 2,
  ingestrawStartRate: 200,
  ingestrawMaxRate: 200,
  ingestrawStepSeconds: 0.5,
  // CI runs other test projects at the same time: the one tiny step checks delivery, not latency.
  ingestrawP99BoundMs: 1000,
  ingestrawRefineSteps: 0,
  ingestRefineSteps: 0,
  memoryConnections: 6,
  memoryDocs: 2,
  memoryDocEdits: 50,
  memorySettleSeconds: 0.2,
  // Past Lever's shipped compaction threshold (500 rows), so loading the log still merges it.
  coldloadUpdates: 600,
  crashMinReceived: 30,
  crashEditSeconds: 0.2,
  crossserverDocs: 2,
  crossserverEditors: 4,
  crossserverRate: 5,
  crossserverSeconds: 0.6,
}

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

/** The flag of a setting, e.g. `--session-docs`. */
export const flagOf = (key: Key): string => `--${kebab(key)}`

export interface ParsedCommandLine {
  config: BenchConfig
  help: boolean
  /** Where BENCHMARKS.md is written (the repository root unless `--out` says otherwise). */
  out: string | null
  /** Re-render the report from the last run's JSON instead of measuring. */
  reportOnly: boolean
}

/** Reads the command line: `--smoke` starts from the tiny sizes, any setting's flag overrides. */
export function parseCommandLine(argv: string[]): ParsedCommandLine {
  const keys = Object.keys(DEFAULT_CONFIG) as Key[]
  const options = Object.fromEntries(keys.map((key) => [kebab(key), { type: 'string' as const }]))
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      ...options,
      smoke: { type: 'boolean' },
      'report-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      out: { type: 'string' },
    },
    strict: true,
  })
  const base = values.smoke ? SMOKE_CONFIG : DEFAULT_CONFIG
  const config: BenchConfig = { ...base }
  const raw = values as Record<string, string | boolean | undefined>
  for (const key of keys) {
    const value = raw[kebab(key)]
    if (typeof value === 'string') setFromString(config, key, value)
  }
  return {
    config,
    help: raw.help === true,
    out: typeof raw.out === 'string' ? raw.out : null,
    reportOnly: raw['report-only'] === true,
  }
}

function setFromString(config: BenchConfig, key: Key, value: string): void {
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  const target = config as unknown as Record<Key, unknown>
  if (key === 'servers') {
    for (const s of list) if (!(SERVER_KINDS as readonly string[]).includes(s)) throw new Error(`unknown server ${s}`)
    target[key] = list
  } else if (key === 'workloads') {
    if (list.length === 1 && list[0] === 'all') {
      target[key] = [...WORKLOADS]
      return
    }
    for (const w of list) if (!(WORKLOADS as readonly string[]).includes(w)) throw new Error(`unknown workload ${w}`)
    target[key] = list
  } else if (key === 'sessionRates') {
    target[key] = list.map((s) => positiveNumber(key, s))
  } else if (
    key === 'quietWaitSeconds' ||
    key === 'noiseRetries' ||
    key === 'ingestrawRefineSteps' ||
    key === 'ingestRefineSteps'
  ) {
    target[key] = nonNegativeNumber(key, value)
  } else if (key === 'crossserverEditors') {
    const n = positiveNumber(key, value)
    if (!Number.isInteger(n) || n < 2)
      throw new Error(`${flagOf(key)} needs a whole number ≥ 2 (one per server at least), not "${value}"`)
    target[key] = n
  } else {
    target[key] = positiveNumber(key, value)
  }
}

function nonNegativeNumber(key: Key, value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flagOf(key)} needs a number ≥ 0, not "${value}"`)
  return n
}

function positiveNumber(key: Key, value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flagOf(key)} needs a positive number, not "${value}"`)
  return n
}

/** The settings as `--flag value` pairs, for printing and for the reproduce command. */
export function describeSettings(config: BenchConfig): Array<{ flag: string; value: string; help: string }> {
  return (Object.keys(DEFAULT_CONFIG) as Key[]).map((key) => {
    const value = config[key]
    return { flag: flagOf(key), value: Array.isArray(value) ? value.join(',') : String(value), help: SETTING_HELP[key] }
  })
}
