import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { migrate } from './migrations.ts'

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

export function openDatabase({ dataDir, synchronous = 'FULL' }: OpenDatabaseOptions): Database {
  let file = ':memory:'
  if (dataDir !== ':memory:') {
    fs.mkdirSync(dataDir, { recursive: true })
    file = path.join(dataDir, DATABASE_FILE)
  }
  const db = new BetterSqlite3(file)
  db.pragma('journal_mode = WAL')
  db.pragma(`synchronous = ${synchronous}`)
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  migrate(db)
  return db
}
