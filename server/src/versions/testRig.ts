import { AccessMode } from '@lever/shared'
import { DocumentTypes } from '../collab/documentTypes.ts'
import { RoomManager } from '../collab/RoomManager.ts'
import { accessModePolicy } from '../collab/updatePolicy.ts'
import type { WorkBudgets } from '../collab/WorkBudgets.ts'
import { openDatabase } from '../db/openDatabase.ts'
import { sqliteQueries } from '../db/queries.ts'
import { sqliteImmediateRunner } from '../db/queryScripts.ts'
import { JurisdictionService } from '../domain/jurisdictions.ts'
import { type PlanRecord, PlanService } from '../domain/plans.ts'
import { type Logger, quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { defaultRetention, type RetentionPolicy } from './retention.ts'
import { VersionRecorder, type VersionTiming } from './VersionRecorder.ts'
import { VersionStore } from './VersionStore.ts'

/**
 * Real rooms, a real (in-memory) SQLite database with the plan tables, and the version recorder
 * registered as a hook, for unit tests of version history.
 */
export async function versionRig(
  options: {
    timing?: Partial<VersionTiming>
    now?: () => number
    retention?: RetentionPolicy
    /** A data folder (default: an in-memory database); a second rig on it is like a second server. */
    dataDir?: string
    /** The document store (shared by two rigs: like servers sharing PostgreSQL). */
    docStore?: MemoryDocStore
    /** A plan already in the database (default: a new one). */
    planId?: string
    /**
     * How long a room with nobody in it stays loaded (default 5 ms). Unloading a changed plan takes
     * an automatic version: a test about other versions keeps its room loaded for longer.
     */
    unloadGraceMs?: number
    /** Stored bytes of versions the plan may hold (default: the server's default). */
    maxBytesPerPlan?: number
    /** Where the recorder and rooms log (default: nowhere). */
    logger?: Logger
    /** Each person's share of the server's time, as the rooms charge it (default: unlimited). */
    workBudgets?: WorkBudgets
  } = {},
) {
  const db = openDatabase({ dataDir: options.dataDir ?? ':memory:' })
  const docStore = options.docStore ?? new MemoryDocStore()
  const queries = sqliteQueries(db)
  const plans = new PlanService(queries, docStore)
  let plan: PlanRecord
  if (options.planId) plan = (await plans.get(options.planId)) as PlanRecord
  else {
    await new JurisdictionService(queries).seed()
    plan = await plans.create({ jurisdictionId: 'boulder-co', title: 'Rig plan' })
  }
  const store = new VersionStore(queries, {
    locked: sqliteImmediateRunner(db),
    maxBytesPerPlan: options.maxBytesPerPlan,
  })
  const logger = options.logger ?? quietLogger()
  const recorder = new VersionRecorder({
    store,
    logger,
    timing: { idleMs: 60 * 60 * 1000, maxIntervalMs: 30 * 60 * 1000, ...options.timing },
    retention: options.retention ?? defaultRetention,
    now: options.now,
  })
  const documents = new DocumentTypes((hook, error) => {
    throw new Error(`hook ${hook} failed: ${String(error)}`)
  })
    .register({ kind: 'plan', exists: () => true, access: () => AccessMode.ReadWrite })
    .addHook(recorder.hook)
  const rooms = new RoomManager({
    store: docStore,
    logger,
    compaction: { maxRows: 10_000, maxBytes: 1e9 },
    updatePolicy: accessModePolicy,
    unloadGraceMs: options.unloadGraceMs ?? 5,
    workBudgets: options.workBudgets,
    onLoaded: (room) => documents.onLoad(room),
    onDurableChange: (room, change) => documents.onChange(room, change),
    onUnloaded: (docName) => documents.onUnload(docName),
  })
  return {
    db,
    queries,
    plan,
    store,
    recorder,
    rooms,
    async close() {
      recorder.close()
      await rooms.closeAll(1001, 'test over')
      await queries.destroy()
      db.close()
    },
  }
}

/** Polls `check` (every 5 ms) until it holds, failing with `message` after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  message: string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
