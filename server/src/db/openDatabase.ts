import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { migrate } from './migrations.ts'
import { assertIntact, damaged, isFreshInstall, StartupError } from './startupChecks.ts'

/**
 * How hard SQLite works to make a commit durable.
 *
 * We ship `FULL`: in WAL mode every commit fsyncs the write-ahead log, so a committed transaction
 * survives a crash of the process *and* of the operating system or a power cut. `NORMAL` would
 * still survive `kill -9` of the process (the WAL is in the page cache) but could lose the last
 * commits on power loss. Group commit (one transaction per tick) keeps the cost of `FULL` low.
 */
export type SynchronousMode = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA'

export interface OpenDatabaseOptions {
  /** Directory holding `lever.db`; `:memory:` for a throwaway database. */
  dataDir: string
  synchronous?: SynchronousMode
}

export const DATABASE_FILE = 'lever.db'

/**
 * Opens (or creates) the database and brings its schema up to date. An existing file is checked
 * first (see `assertIntact`); a missing or empty one is a new installation only when its folder
 * holds nothing else (see `isFreshInstall`). Both refuse with a `StartupError` an operator can act on.
 */
export function openDatabase({ dataDir, synchronous = 'FULL' }: OpenDatabaseOptions): Database {
  let file = ':memory:'
  let fresh = true
  if (dataDir !== ':memory:') {
    file = path.join(dataDir, DATABASE_FILE)
    fresh = isFreshInstall(file)
    fs.mkdirSync(dataDir, { recursive: true })
  }
  let db: Database
  try {
    db = new BetterSqlite3(file)
    db.pragma('journal_mode = WAL')
  } catch (error) {
    throw damaged(file, error instanceof Error ? error.message : String(error))
  }
  try {
    if (!fresh) assertIntact(db, file)
    db.pragma(`synchronous = ${synchronous}`)
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db)
  } catch (error) {
    db.close()
    const fromSqlite = String((error as { code?: unknown }).code ?? '').startsWith('SQLITE_')
    if (error instanceof StartupError || fresh || !fromSqlite) throw error
    throw damaged(file, error instanceof Error ? error.message : String(error))
  }
  return db
}
