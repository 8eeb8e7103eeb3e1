import { waitUntil } from '../clock.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import { DRIVERS } from '../servers/drivers.ts'
import { isLever, type ServerKind, type ServerUnderTest } from '../servers/types.ts'
import { type Summary, summarize } from '../stats.ts'
import { makeDataDir, removeDir, type WorkloadContext } from './context.ts'

/** Lever with compaction out of the way, so the stored log keeps every update. */
const NO_COMPACTION = { COMPACT_MAX_ROWS: '1000000000', COMPACT_MAX_BYTES: '1000000000000' }
const KiB = 1024
/**
 * Servers that keep no update log end up with the same document however the updates arrive, so
 * they get them merged this many to a message (taking 100,000 messages one by one is what the
 * ingest workload measures, and would take Hocuspocus minutes here).
 */
const BATCH_WITHOUT_LOG = 1000
/** How long a Lever that has loaded (or changed) the long log gets to merge it into one row. */
const COMPACTED_AT_LOAD_WITHIN_MS = 15_000

/**
 * Cold load: one client types N updates (one character each) into a document. Then, with the server
 * restarted every time so nothing is cached, a new client's time to a complete sync: first while
 * Lever's log still holds the N updates, then after compaction merged them into one row. Also the
 * sync time of a second client while the document is in memory, the only figure an in-memory peer
 * has, and the stored bytes relative to the document's merged size.
 */
export async function coldLoad(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  const values: Partial<Record<ServerKind, Record<string, Summary>>> = {}
  const notes: string[] = []
  for (const kind of config.servers) {
    context.progress(`cold load: ${kind}, building a document of ${config.coldloadUpdates} updates`)
    const { figures, note } = await coldLoadOf(context, kind)
    values[kind] = figures
    if (note) notes.push(note)
  }
  const n = config.coldloadUpdates.toLocaleString('en-US')
  const figures: FigureSpec[] = [
    { id: 'coldLogMs', label: `sync after restart, log of ${n} updates`, unit: 'ms', better: 'lower', decimals: 0 },
    { id: 'coldCompactedMs', label: 'sync after restart, compacted', unit: 'ms', better: 'lower', decimals: 0 },
    { id: 'warmMs', label: 'sync, document already in memory', unit: 'ms', better: 'lower', decimals: 0 },
    {
      id: 'coldLogAnswerMs',
      label: `server's answer after restart, log of ${n} updates`,
      unit: 'ms',
      better: 'lower',
      decimals: 0,
    },
    {
      id: 'coldCompactedAnswerMs',
      label: "server's answer after restart, compacted",
      unit: 'ms',
      better: 'lower',
      decimals: 0,
    },
    { id: 'warmAnswerMs', label: "server's answer, document in memory", unit: 'ms', better: 'lower', decimals: 1 },
    { id: 'storedLogRatio', label: 'stored bytes / merged size, log', unit: '×', better: 'lower', decimals: 1 },
    {
      id: 'storedCompactedRatio',
      label: 'stored bytes / merged size, compacted',
      unit: '×',
      better: 'lower',
      decimals: 2,
    },
    { id: 'mergedKiB', label: 'merged document size', unit: 'KiB', better: 'lower', decimals: 0 },
  ]
  return {
    workload: 'coldload',
    title: 'Cold load',
    description:
      `One client types ${n} updates into a plan document (one character per update, a backspace every 20th), ` +
      `sent one per message to Lever, whose log then holds ${n} rows, and ${BATCH_WITHOUT_LOG} per message to ` +
      'servers that keep no update log (the document is the same). ' +
      'A new client then times opening its connection to its first complete sync; "after restart" restarts the ' +
      'server before each repetition so the document comes from storage. "Server\'s answer" is the part of it ' +
      "from the client sending its sync request to the last byte of the server's answer arriving (before the " +
      "client applies it), as the client's socket sees them.",
    figures,
    values,
    notes: [
      'In-memory peers lose a document on restart, so they only have the in-memory figure. Hocuspocus stores one ' +
        'merged state per document (it has no update log), so its figures sit in the "compacted" rows.',
      ...notes,
    ],
  }
}

/** Starts, restarts and stops one server on one data directory, one process at a time. */
class ServerSeat {
  private current: ServerUnderTest | null = null

  constructor(
    private readonly kind: ServerKind,
    readonly dataDir: string,
  ) {}

  get server(): ServerUnderTest {
    if (!this.current) throw new Error(`${this.kind} is not running`)
    return this.current
  }

  async restart(env: Record<string, string>): Promise<ServerUnderTest> {
    await this.stop()
    this.current = await DRIVERS[this.kind].start({ dataDir: this.dataDir, env })
    return this.current
  }

  async stop(): Promise<void> {
    const server = this.current
    this.current = null
    await server?.stop()
  }
}

async function coldLoadOf(
  context: WorkloadContext,
  kind: ServerKind,
): Promise<{ figures: Record<string, Summary>; note: string | null }> {
  const { config } = context
  const driver = DRIVERS[kind]
  const worker = context.pool.at(0)
  const seat = new ServerSeat(kind, makeDataDir(kind))
  const logEnv = isLever(kind) ? NO_COMPACTION : {}
  const runs = {
    coldLogMs: [] as number[],
    coldCompactedMs: [] as number[],
    warmMs: [] as number[],
    coldLogAnswerMs: [] as number[],
    coldCompactedAnswerMs: [] as number[],
    warmAnswerMs: [] as number[],
  }
  /** Where the server's answer time goes for each sync time. */
  const answerOf = new Map([
    [runs.coldLogMs, runs.coldLogAnswerMs],
    [runs.coldCompactedMs, runs.coldCompactedAnswerMs],
    [runs.warmMs, runs.warmAnswerMs],
  ])
  let note: string | null = null
  // A second client process keeps the document open while the in-memory figure is taken: servers
  // that keep documents only in memory drop them when the last client leaves.
  const holder = context.pool.at(1)
  const hold = (docName: string) =>
    holder.call('open', {
      target: seat.server.target,
      clients: [{ docName, role: 'observer', presence: false, seed: false }],
    })
  const release = () => holder.call('closeAll')
  try {
    const [docName] = await (await seat.restart(logEnv)).createDocs(1)
    if (!docName) throw new Error('no document created')
    await hold(docName)
    const built = await worker.call('build', {
      target: seat.server.target,
      docName,
      updates: config.coldloadUpdates,
      updatesPerMessage: driver.storesUpdateLog ? 1 : BATCH_WITHOUT_LOG,
    })
    // A new client must receive the whole document (its encoding may differ from the builder's a little).
    const minBytes = Math.floor(built.mergedBytes * 0.95)
    const timeSync = async (into: number[]) => {
      const result = await worker.call('timeSync', { target: seat.server.target, docName })
      if (result.docBytes < minBytes) {
        throw new Error(`${kind}: a new client received ${result.docBytes} bytes, expected at least ${minBytes}`)
      }
      into.push(result.ms)
      answerOf.get(into)?.push(result.answerMs)
    }
    /** Cold: the first client after a restart; warm: the next one, while another holds the document. */
    const coldThenWarm = async (env: Record<string, string>, cold: number[]) => {
      await seat.restart(env)
      await timeSync(cold)
      await hold(docName)
      await timeSync(runs.warmMs)
      await release()
    }
    const figures: Record<string, number> = { mergedKiB: built.mergedBytes / KiB }

    if (!driver.persistent || !driver.storedSize) {
      for (let rep = 0; rep < config.reps; rep++) await timeSync(runs.warmMs)
      await release()
    } else {
      await release()
      await seat.stop()
      const log = driver.storedSize(seat.dataDir, docName)
      if (log.rows > 1) {
        figures.storedLogRatio = log.bytes / built.mergedBytes
        for (let rep = 0; rep < config.reps; rep++) {
          context.progress(`cold load: ${kind}, ${log.rows} stored rows, repetition ${rep + 1}/${config.reps}`)
          await coldThenWarm(logEnv, runs.coldLogMs)
        }
        // Lever merges a log past its shipped threshold when it loads it; a server from before
        // that merged it at the next change, so it gets one if a load alone did not do it.
        const server = await seat.restart({})
        await timeSync([])
        const storedSize = driver.storedSize
        const mergedWithin = async (timeoutMs: number) =>
          waitUntil(() => storedSize(seat.dataDir, docName).rows === 1, 'the log to be merged into one row', {
            timeoutMs,
            intervalMs: 100,
          }).then(
            () => true,
            () => false,
          )
        if (!(await mergedWithin(COMPACTED_AT_LOAD_WITHIN_MS))) {
          await worker.call('build', { target: server.target, docName, updates: 1, updatesPerMessage: 1 })
          await mergedWithin(COMPACTED_AT_LOAD_WITHIN_MS)
        }
        await seat.stop()
      }
      const compacted = driver.storedSize(seat.dataDir, docName)
      if (compacted.rows > 2) note = `${kind}: compaction left ${compacted.rows} rows.`
      figures.storedCompactedRatio = compacted.bytes / built.mergedBytes
      for (let rep = 0; rep < config.reps; rep++) {
        context.progress(`cold load: ${kind}, ${compacted.rows} stored row(s), repetition ${rep + 1}/${config.reps}`)
        if (log.rows > 1) {
          await seat.restart({})
          await timeSync(runs.coldCompactedMs)
        } else {
          await coldThenWarm({}, runs.coldCompactedMs)
        }
      }
    }
    const summaries: Record<string, Summary> = {}
    for (const [id, value] of Object.entries(figures)) summaries[id] = summarize([value])
    for (const [id, values] of Object.entries(runs)) if (values.length > 0) summaries[id] = summarize(values)
    return { figures: summaries, note }
  } finally {
    await release()
    await seat.stop()
    removeDir(seat.dataDir)
  }
}
