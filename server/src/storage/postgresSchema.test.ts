import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestPostgres, type TestPostgres } from '../testing/services.ts'
import { migratePostgres, POSTGRES_MIGRATIONS } from './postgresSchema.ts'

let server: TestPostgres

beforeAll(async () => {
  server = await startTestPostgres()
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

/** A new database owned by a role that is not a superuser, as the README sets Lever's up. */
async function ownedDatabase(name: string): Promise<pg.Pool> {
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  try {
    await admin.query(`CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`)
    await admin.query(`CREATE DATABASE ${name} OWNER ${name}`)
  } finally {
    await admin.end()
  }
  return new pg.Pool({
    connectionString: server.url
      .replace(/^postgres:\/\/lever@/, `postgres://${name}@`)
      .replace(/\/postgres$/, `/${name}`),
    max: 2,
  })
}

describe('PostgreSQL migration 3 (search words folded as SQLite folds them)', () => {
  it('runs as the database owner, not a superuser, and re-derives the words of rows stored before it', async () => {
    const pool = await ownedDatabase('lever_owner')
    try {
      // The schema as version 2 left it, with a row in it.
      await pool.query(
        'CREATE TABLE lever_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
      )
      for (const m of POSTGRES_MIGRATIONS.filter((m) => m.version <= 2)) {
        await pool.query(m.sql)
        await pool.query('INSERT INTO lever_schema (version) VALUES ($1)', [m.version])
      }
      await pool.query(
        `INSERT INTO search_rows (kind, ref, title, body) VALUES ('resource', 'r1', 'Zürich guide', 'See https://example.org/jobs')`,
      )
      const finds = async (word: string) =>
        (
          await pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM search_rows WHERE words @@ to_tsquery('simple', quote_literal($1))`,
            [word],
          )
        ).rows[0]?.n
      expect(await finds('zurich')).toBe(0)
      expect(await finds('example')).toBe(0)
      expect(await migratePostgres(pool)).toBe(POSTGRES_MIGRATIONS.at(-1)?.version)
      expect(await finds('zurich')).toBe(1)
      expect(await finds('example')).toBe(1)
      expect(await finds('jobs')).toBe(1)
      const { rows } = await pool.query<{ words: string }>('SELECT words::text FROM search_rows')
      expect(rows[0]?.words).toBe("'example':5B 'guide':2A 'https':4B 'jobs':7B 'org':6B 'see':3B 'zurich':1A")
      // The generated column is indexed again.
      const indexes = await pool.query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'search_rows' AND indexdef LIKE '%gin (words)%'",
      )
      expect(indexes.rows.map((r) => r.indexname)).toEqual(['search_rows_words'])
    } finally {
      await pool.end()
    }
  })

  it('when unaccent may not be created, start fails saying which migration, why, and what a superuser runs', async () => {
    // A role that may make tables in the database but not create extensions in it (not its owner,
    // no CREATE on the database): unaccent, trusted as it is, is refused to it.
    const admin = new pg.Client({ connectionString: server.url })
    await admin.connect()
    try {
      await admin.query('CREATE ROLE lever_tenant LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE')
      await admin.query('CREATE DATABASE lever_tenant')
    } finally {
      await admin.end()
    }
    const asSuperuser = new pg.Client({ connectionString: server.url.replace(/\/postgres$/, '/lever_tenant') })
    await asSuperuser.connect()
    const pool = new pg.Pool({
      connectionString: server.url
        .replace(/^postgres:\/\/lever@/, 'postgres://lever_tenant@')
        .replace(/\/postgres$/, '/lever_tenant'),
      max: 2,
    })
    try {
      await asSuperuser.query('GRANT CREATE ON SCHEMA public TO lever_tenant')
      const failure = await migratePostgres(pool).then(
        () => null,
        (error: unknown) => error,
      )
      expect(failure).toBeInstanceOf(Error)
      const message = (failure as Error).message
      expect(message).toContain('PostgreSQL migration 3')
      expect(message).toContain('permission denied to create extension "unaccent"')
      expect(message).toContain('CREATE EXTENSION unaccent;')
      // Nothing of migration 3 stayed; the ones before it did.
      const { rows } = await pool.query<{ v: number }>('SELECT max(version) AS v FROM lever_schema')
      expect(rows[0]?.v).toBe(2)
      // Done what the message says, the next start completes.
      await asSuperuser.query('CREATE EXTENSION unaccent')
      expect(await migratePostgres(pool)).toBe(POSTGRES_MIGRATIONS.at(-1)?.version)
    } finally {
      await pool.end()
      await asSuperuser.end()
    }
  })
})
