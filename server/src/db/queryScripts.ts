import type { Database, Statement } from 'better-sqlite3'
import type { Compilable, CompiledQuery } from 'kysely'
import type { CommitRider } from '../storage/SqliteDocStore.ts'
import type { Db } from './queries.ts'

/**
 * Writes derived from documents (plan metadata, the thread index, search rows, versions, figures)
 * written once with the query layer and run atomically on either engine.
 *
 * A script is a generator that yields the queries it wants run (built with the service's `Db`, not
 * executed) and receives each one's result: `const found = yield* rows(db.selectFrom(…)…)`,
 * `yield* run(db.insertInto(…)…)`. Written this way, the same script runs:
 * - on SQLite, synchronously inside a savepoint of the document store's next group commit, so the
 *   rows share the fsync of the updates being stored instead of paying their own (with
 *   `synchronous=FULL` every commit is an fsync on the event loop);
 * - on PostgreSQL (or SQLite without a document store), in a transaction of its own.
 * Either way the script's queries are atomic: all of them are stored, or none.
 */
export type QueryScript<T> = Generator<Compilable<unknown>, T, QueryResult>

/** What a yielded query gives back to the script. */
export interface QueryResult {
  rows: unknown[]
  /** Rows inserted, updated or deleted (0 for a select). */
  changes: number
}

/** Runs the query and gives its rows to the script. */
export function* rows<R>(query: Compilable<R>): Generator<Compilable<unknown>, R[], QueryResult> {
  const result = yield query as Compilable<unknown>
  return result.rows as R[]
}

/** Runs the query and gives the script the first row, or undefined. */
export function* first<R>(query: Compilable<R>): Generator<Compilable<unknown>, R | undefined, QueryResult> {
  const result = yield query as Compilable<unknown>
  return result.rows[0] as R | undefined
}

/** Runs the query and gives the script the number of rows it changed. */
export function* run(query: Compilable<unknown>): Generator<Compilable<unknown>, number, QueryResult> {
  const result = yield query
  return result.changes
}

/**
 * Runs `work` once no transaction is open on `sqlite`, in a later turn of the event loop if one is.
 * The query layer's transactions (Kysely's, on the same connection) stay open across the microtasks
 * between their queries: a raw transaction started meanwhile by other code would nest inside one as
 * a savepoint, and be rolled back with it.
 */
export function outsideTransactions(sqlite: Database, work: () => void): void {
  if (sqlite.inTransaction) setImmediate(() => outsideTransactions(sqlite, work))
  else work()
}

/** Resolves once no transaction is open on `sqlite` (see `outsideTransactions`). */
export function noTransactionOpen(sqlite: Database): Promise<void> {
  return new Promise((resolve) => outsideTransactions(sqlite, resolve))
}

/** Runs scripts: resolves with the script's result once its rows are stored (rejects having stored none). */
export type ScriptRunner = <T>(script: () => QueryScript<T>) => Promise<T>

/** Runs each script in a transaction of its own, through the query layer (PostgreSQL, or SQLite alone). */
export function transactionRunner(db: Db): ScriptRunner {
  return (script) =>
    db.transaction().execute(async (tx) => {
      const steps = script()
      let step = steps.next()
      while (!step.done) {
        const result = await tx.executeQuery(step.value.compile())
        step = steps.next({ rows: result.rows, changes: Number(result.numAffectedRows ?? 0n) })
      }
      return step.value
    })
}

/**
 * Drives scripts synchronously on one SQLite connection: each query compiled by the query layer
 * runs as a prepared statement of `sqlite` (prepared once per distinct SQL), inside a transaction
 * of better-sqlite3 (a savepoint when one is already open). `mode` picks the transaction's
 * `BEGIN`: deferred, or immediate (takes SQLite's write lock first).
 */
function sqliteDriver(sqlite: Database): <T>(script: () => QueryScript<T>, mode?: 'deferred' | 'immediate') => T {
  const statements = new Map<string, Statement>()
  const execute = (query: CompiledQuery): QueryResult => {
    let statement = statements.get(query.sql)
    if (!statement) {
      statement = sqlite.prepare(query.sql)
      statements.set(query.sql, statement)
    }
    const parameters = query.parameters as unknown[]
    if (statement.reader) return { rows: statement.all(...parameters), changes: 0 }
    return { rows: [], changes: statement.run(...parameters).changes }
  }
  return (script, mode = 'deferred') => {
    const transaction = sqlite.transaction(() => {
      const steps = script()
      let step = steps.next()
      while (!step.done) step = steps.next(execute(step.value.compile()))
      return step.value
    })
    return mode === 'immediate' ? transaction.immediate() : transaction()
  }
}

/**
 * Runs scripts on SQLite synchronously, each in a savepoint of the document store's next group
 * commit (or, without a store or once it has closed, in a transaction of its own at once). A
 * failing script rolls back only its own rows, never the updates beside it.
 */
export function groupCommitRunner(sqlite: Database, commits: CommitRider | null): ScriptRunner {
  const drive = sqliteDriver(sqlite)
  return <T>(script: () => QueryScript<T>) =>
    new Promise<T>((resolve, reject) => {
      const now = () =>
        outsideTransactions(sqlite, () => {
          try {
            resolve(drive(script))
          } catch (error) {
            reject(error)
          }
        })
      if (!commits) return now()
      let outcome: { value: T } | { error: unknown } | null = null
      try {
        commits.withNextCommit(
          () => {
            try {
              outcome = { value: drive(script) }
            } catch (error) {
              outcome = { error: error ?? new Error('a derived write failed') }
            }
          },
          (error) => {
            const settled = outcome as { value: T } | { error: unknown } | null
            if (error !== undefined) reject(error)
            else if (!settled) reject(new Error('the group commit ended without running the write'))
            else if ('error' in settled) reject(settled.error)
            else resolve(settled.value)
          },
        )
      } catch {
        now() // the store has closed (shutting down): write on our own
      }
    })
}

/**
 * Runs scripts on SQLite in `BEGIN IMMEDIATE` transactions, synchronously on the connection, each
 * from an immediate of its own. SQLite's write lock is taken first, so writers on other
 * connections or processes wait (`busy_timeout`) and then read what the one before committed.
 * Synchronously, because two connections to one file in one process must not take turns on the
 * event loop while one holds the lock (the other would wait on it with the thread blocked); from
 * an immediate and outside the query layer's transactions (see `outsideTransactions`), so it never
 * nests in one of them.
 */
export function sqliteImmediateRunner(sqlite: Database): ScriptRunner {
  const drive = sqliteDriver(sqlite)
  return <T>(script: () => QueryScript<T>) =>
    new Promise<T>((resolve, reject) => {
      setImmediate(() =>
        outsideTransactions(sqlite, () => {
          try {
            resolve(drive(script, 'immediate'))
          } catch (error) {
            reject(error)
          }
        }),
      )
    })
}
