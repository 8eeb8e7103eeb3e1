import type { Database, Statement } from 'better-sqlite3'

/**
 * Prepares each SQL text once per database and reuses the statement: services call
 * `this.sql('SELECT ...')` on hot paths (every connection, every change) without re-parsing.
 */
export function preparedStatements(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>()
  return (sql) => {
    let statement = cache.get(sql)
    if (!statement) {
      statement = db.prepare(sql)
      cache.set(sql, statement)
    }
    return statement
  }
}
