import type { Pool } from 'pg'

/**
 * The PostgreSQL schema, versioned like SQLite's (`db/migrations.ts`) but on its own numbering:
 * each entry runs once, in order, in its own transaction, and `lever_schema` records it.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      -- One log of Yjs updates per document. seq numbers the rows of one document in commit order
      -- (appends take the document's advisory lock), so "every row after n" is a complete catch-up.
      CREATE TABLE doc_updates (
        doc_name text NOT NULL,
        seq bigint NOT NULL,
        data bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (doc_name, seq)
      );
    `,
  },
]

/** Advisory lock keys (first half of the two-int key): one per purpose, so they never collide. */
export const LOCK_MIGRATIONS = 7301
export const LOCK_DOCUMENT = 7302

/**
 * Brings the database to the newest schema. Several servers may start at once: a session-level
 * advisory lock lets one migrate while the others wait. A database newer than this code is refused.
 */
export async function migratePostgres(pool: Pool): Promise<number> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1, 0)', [LOCK_MIGRATIONS])
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS lever_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      )
      const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM lever_schema')
      const current = rows[0]?.v ?? 0
      const newest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0
      if (current > newest) {
        throw new Error(`the database schema (version ${current}) is newer than this Lever (${newest}): upgrade Lever`)
      }
      for (const m of POSTGRES_MIGRATIONS) {
        if (m.version <= current) continue
        await client.query('BEGIN')
        try {
          await client.query(m.sql)
          await client.query('INSERT INTO lever_schema (version) VALUES ($1)', [m.version])
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK')
          throw error
        }
      }
      return newest
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, 0)', [LOCK_MIGRATIONS])
    }
  } finally {
    client.release()
  }
}
