import type { Database } from 'better-sqlite3'
import pg from 'pg'
import { afterAll, afterEach, describe } from 'vitest'
import { openDatabase } from '../db/openDatabase.ts'
import { type Db, type Dialect, postgresQueries, sqliteQueries } from '../db/queries.ts'
import { startTestPostgres, type TestPostgres } from './services.ts'

/** A fresh, migrated, empty database of one dialect, closed after the test. */
export interface TestDatabase {
  dialect: Dialect
  db: Db
  /** The SQLite connection under `db` (null on PostgreSQL), for what must run on it directly. */
  sqlite: Database | null
}

export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres']

let cluster: Promise<TestPostgres> | null = null
let databases = 0

/** One PostgreSQL per test file, started on first use and stopped after the file's tests. */
function postgresCluster(): Promise<TestPostgres> {
  cluster ??= startTestPostgres()
  return cluster
}

async function stopCluster(): Promise<void> {
  const started = cluster
  cluster = null
  await (await started?.catch(() => null))?.stop()
}

/** A new database in the file's PostgreSQL cluster, migrated to the newest schema. */
async function freshPostgres(): Promise<{ db: Db; close(): Promise<void> }> {
  const server = await postgresCluster()
  const name = `lever_test_${process.pid}_${++databases}`
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = server.url.replace(/\/postgres$/, `/${name}`)
  const opened = await postgresQueries(url, { max: 4 })
  return { db: opened.db, close: opened.close }
}

/**
 * Runs `body` once per dialect (SQLite, then PostgreSQL), each in its own `describe`, so a service
 * written once on the query layer is proven on both. `fresh()` gives an empty migrated database for
 * one test; it is closed after that test.
 *
 *   describeDialects('PlanService', (fresh) => {
 *     it('lists plans', async () => { const { db } = await fresh(); … })
 *   })
 */
export function describeDialects(name: string, body: (fresh: () => Promise<TestDatabase>, dialect: Dialect) => void) {
  for (const dialect of DIALECTS) {
    describe(`${name} (${dialect})`, () => {
      const opened: Array<() => Promise<void>> = []
      if (dialect === 'postgres') afterAll(stopCluster)
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
        const { db, close } = await freshPostgres()
        opened.push(close)
        return { dialect, db, sqlite: null }
      }
      body(fresh, dialect)
    })
  }
}
