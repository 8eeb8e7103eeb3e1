import type { Database } from 'better-sqlite3'
import { afterEach, describe } from 'vitest'
import { openDatabase } from '../db/openDatabase.ts'
import { type Db, type Dialect, postgresQueries, sqliteQueries } from '../db/queries.ts'
import { testDatabase } from './testDatabases.ts'

/** A fresh, migrated, empty database of one dialect, closed after the test. */
export interface TestDatabase {
  dialect: Dialect
  db: Db
  /** The SQLite connection under `db` (null on PostgreSQL), for what must run on it directly. */
  sqlite: Database | null
}

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres']

/**
 * A new database in the run's shared PostgreSQL, at the newest schema: a copy of the migrated
 * template, or (`fromEmpty`) an empty one the real migrations run on here. Dropped after the test.
 */
async function freshPostgres(fromEmpty: boolean): Promise<{ db: Db; close(): Promise<void> }> {
  const database = await testDatabase({ migrated: !fromEmpty })
  try {
    // Opening migrates as a server does: from empty, or finds the copy up to date.
    const opened = await postgresQueries(database.url, { max: 4 })
    return {
      db: opened.db,
      async close() {
        await opened.close()
        await database.drop()
      },
    }
  } catch (error) {
    await database.drop()
    throw error
  }
}

/**
 * Runs `body` once per dialect (SQLite, then PostgreSQL), each in its own `describe`, so a service
 * written once on the query layer is proven on both. `fresh()` gives an empty migrated database for
 * one test; it is closed after that test. PostgreSQL's are copies of a template the real migrations
 * made once per run; with `migrateFromEmpty` every one runs the migrations itself instead.
 *
 *   describeDialects('PlanService', (fresh) => {
 *     it('lists plans', async () => { const { db } = await fresh(); … })
 *   })
 */
export function describeDialects(
  name: string,
  body: (fresh: () => Promise<TestDatabase>, dialect: Dialect) => void,
  { migrateFromEmpty = false }: { migrateFromEmpty?: boolean } = {},
) {
  for (const dialect of DIALECTS) {
    describe(`${name} (${dialect})`, () => {
      const opened: Array<() => Promise<void>> = []
      afterEach(async () => {
        for (const close of opened.splice(0)) await close()
      })
      const fresh = async (): Promise<TestDatabase> => {
        if (dialect === 'sqlite') {
          const sqlite = openDatabase({ dataDir: ':memory:' })
          const db = sqliteQueries(sqlite)
          opened.push(async () => {
            await db.destroy()
            sqlite.close()
          })
          return { dialect, db, sqlite }
        }
        const { db, close } = await freshPostgres(migrateFromEmpty)
        opened.push(close)
        return { dialect, db, sqlite: null }
      }
      body(fresh, dialect)
    })
  }
}
