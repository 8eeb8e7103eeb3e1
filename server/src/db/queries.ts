import type { Database } from 'better-sqlite3'
import { Kysely, PostgresAdapter, PostgresDialect, SqliteDialect, type Transaction } from 'kysely'
import pg from 'pg'
import { migratePostgres } from '../storage/postgresSchema.ts'
import type { Tables } from './tables.ts'

/**
 * The one typed query layer for every table but the document log: services write each query once
 * with Kysely, and it runs on SQLite (embedded, the default) or PostgreSQL (`DATABASE_URL`).
 *
 * Rules that keep the two alike:
 * - Flags are integers 0/1 and times ISO text or epoch milliseconds in both (see `tables.ts`), so
 *   rows read the same; PostgreSQL's bigint and numeric come back as numbers (`numberTypes`).
 * - Compare with `=` and `lower(…)`, never `LIKE` for equality: SQLite's `LIKE` ignores ASCII case
 *   and PostgreSQL's does not.
 * - A transaction (`db.transaction().execute(…)`) awaits only its own queries, never other work
 *   (a document append, a file, the network). On SQLite the queries run on the connection the
 *   document store also writes with, one at a time behind Kysely's lock, each synchronously: a
 *   transaction that awaits only its own queries finishes within one turn of the event loop, before
 *   the store's next group commit (which runs from `setImmediate`).
 */
export type Db = Kysely<Tables>
export type Tx = Transaction<Tables>
/** A query runner that may be a transaction: services' helpers take either. */
export type Queries = Kysely<Tables>

/** Which engine a query layer speaks to (for the few queries that must differ, such as search). */
export type Dialect = 'sqlite' | 'postgres'

/** The engine `db` (or a transaction of it) speaks to. */
export function dialectOf(db: Kysely<Tables>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

/** The query layer over an open SQLite database (migrated by `db/migrations.ts`). */
export function sqliteQueries(database: Database): Db {
  return new Kysely<Tables>({ dialect: new SqliteDialect({ database }) })
}

/**
 * Parses PostgreSQL's bigint (20) and numeric (1700) into numbers, as SQLite returns them: every
 * bigint here is an epoch time in milliseconds, a count or a Yjs client id (all below 2^53).
 */
const numberTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (value: string) => Number(value)
    // biome-ignore lint/suspicious/noExplicitAny: pg's own parser table, typed loosely by @types/pg
    return (pg.types.getTypeParser as any)(oid, format)
  },
}

export interface PostgresQueries {
  db: Db
  pool: pg.Pool
  close(): Promise<void>
}

/** The query layer over PostgreSQL at `url`, after bringing its schema to the newest version. */
export async function postgresQueries(
  url: string,
  options: { max?: number; onPoolError?: (error: Error) => void } = {},
): Promise<PostgresQueries> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types: numberTypes })
  pool.on('error', (error) => options.onPoolError?.(error))
  try {
    await migratePostgres(pool)
  } catch (error) {
    await pool.end()
    throw error
  }
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) })
  return { db, pool, close: () => db.destroy() }
}
