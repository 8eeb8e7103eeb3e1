import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BENCH_ROOT } from '../paths.ts'
import { readStoredSize } from './readStoredSize.ts'
import { jsonLineUrl, spawnNodeProcess } from './spawnProcess.ts'
import type { ServerDriver, ServerKind, ServerUnderTest, StartOptions } from './types.ts'

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), 'hocuspocusMain.ts')
const DATABASE_FILE = 'hocuspocus.sqlite'

function hocuspocusDriver(kind: ServerKind, withSqlite: boolean): ServerDriver {
  return {
    kind,
    persistent: withSqlite,
    storesUpdateLog: false,
    start: (options) => startHocuspocus(kind, withSqlite, options),
    storedSize: withSqlite
      ? (dataDir, docName) =>
          readStoredSize(
            path.join(dataDir, DATABASE_FILE),
            'SELECT COUNT(*) AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM documents WHERE name = ?',
            docName,
          )
      : undefined,
  }
}

/** `@hocuspocus/server` with its defaults, documents in memory. */
export const hocuspocusMemoryDriver = hocuspocusDriver('hocuspocus', false)
/** `@hocuspocus/server` with `@hocuspocus/extension-sqlite` (its default debounce of stores). */
export const hocuspocusSqliteDriver = hocuspocusDriver('hocuspocus-sqlite', true)

async function startHocuspocus(kind: ServerKind, withSqlite: boolean, options: StartOptions): Promise<ServerUnderTest> {
  const proc = await spawnNodeProcess({
    label: kind,
    args: ['--import', 'tsx', MAIN],
    cwd: BENCH_ROOT,
    env: withSqlite ? { HOCUSPOCUS_DATABASE: path.join(options.dataDir, DATABASE_FILE) } : {},
    readyWhen: (line) => jsonLineUrl(line, 'listening'),
  })
  let created = 0
  return {
    kind,
    pid: proc.pid,
    recentOutput: proc.recentOutput,
    target: { protocol: 'hocuspocus', url: proc.url, params: {}, seedPlans: true, presenceName: null },
    async createDocs(count) {
      return Array.from({ length: count }, () => `bench-${process.pid}-${Date.now().toString(36)}-${++created}`)
    },
    async stop() {
      await proc.stop()
    },
    async kill() {
      await proc.kill()
    },
    collectGarbage: () => proc.collectGarbage(),
  }
}
