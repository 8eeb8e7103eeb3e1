import { expect, it } from 'vitest'
import { describeDialects } from '../testing/dialects.ts'
import { openDatabase } from './openDatabase.ts'
import { sqliteQueries } from './queries.ts'

/** Tables only one engine has: SQLite's full-text index and bookkeeping, the document log. */
const ENGINE_OWN = /^(sqlite_|search_fts|doc_updates$|lever_schema$)/

/**
 * Columns by table. Primary keys compare by name alone: SQLite reports a text primary key nullable
 * (its old quirk, though Lever never stores null there) and an integer one as generated (a rowid).
 */
async function columnsOf(db: ReturnType<typeof sqliteQueries>, primaryKeys: Set<string>) {
  const tables = await db.introspection.getTables()
  return Object.fromEntries(
    tables
      .filter((t) => !t.isView && !ENGINE_OWN.test(t.name))
      .map((t) => [
        t.name,
        Object.fromEntries(
          t.columns
            .filter((c) => c.name !== 'words') // PostgreSQL's search words (SQLite has FTS5)
            .map((c) => [
              c.name,
              primaryKeys.has(`${t.name}.${c.name}`)
                ? 'primary key'
                : { nullable: c.isNullable, hasDefault: c.hasDefaultValue || c.isAutoIncrementing },
            ]),
        ),
      ])
      .sort(([a], [b]) => String(a).localeCompare(String(b))),
  )
}

describeDialects(
  'the schema',
  (fresh) => {
    it('has the same tables and columns (names, nullability, defaults) as SQLite', async () => {
      const { db } = await fresh()
      const sqlite = openDatabase({ dataDir: ':memory:' })
      const reference = sqliteQueries(sqlite)
      try {
        const primaryKeys = new Set<string>()
        for (const { name } of sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{
          name: string
        }>) {
          for (const c of sqlite.pragma(`table_info(${name})`) as Array<{ name: string; pk: number }>) {
            if (c.pk > 0) primaryKeys.add(`${name}.${c.name}`)
          }
        }
        const expected = await columnsOf(reference, primaryKeys)
        expect(Object.keys(expected).length).toBeGreaterThan(30)
        expect(await columnsOf(db, primaryKeys)).toEqual(expected)
      } finally {
        await reference.destroy()
      }
    })

    it('starts with the same rows SQLite’s migrations insert', async () => {
      const { db } = await fresh()
      const allowances = await db
        .selectFrom('coaching_allowances')
        .select(['phase', 'allowance_minutes'])
        .orderBy('phase')
        .execute()
      expect(allowances).toEqual([
        { phase: 'phase1', allowance_minutes: 240 },
        { phase: 'phase2', allowance_minutes: 240 },
      ])
      expect(await db.selectFrom('coaching_settings').selectAll().execute()).toEqual([
        { id: 1, current_phase: 'phase1' },
      ])
    })
  },
  // The template every other PostgreSQL test copies is made by these same migrations: here they
  // run from an empty database, as on a new deployment.
  { migrateFromEmpty: true },
)
