import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Database } from 'better-sqlite3'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { openDatabase } from './openDatabase.ts'

/**
 * `tables.ts` is written by hand beside the migrations: these tests hold it to the schema the
 * migrations really make (SQLite's; `schemaParity.test.ts` holds PostgreSQL's to SQLite's), so a
 * migration that adds, drops or changes a column without its type fails here, not in a query.
 */

/** Tables the query layer never sees: the document log, SQLite's full-text index and bookkeeping. */
const NOT_QUERIED = /^(sqlite_|search_fts|doc_updates$)/

interface DeclaredColumn {
  /** The column's type as written, without `Generated<…>`. */
  type: string
  generated: boolean
  nullable: boolean
}

/** The interfaces of `tables.ts`: table name to its columns, read from the source. */
function declaredTables(): Map<string, Map<string, DeclaredColumn>> {
  const file = fileURLToPath(new URL('./tables.ts', import.meta.url))
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const interfaces = new Map<string, ts.InterfaceDeclaration>()
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node)
  })
  const root = interfaces.get('Tables')
  if (!root) throw new Error('tables.ts has no Tables interface')
  const tables = new Map<string, Map<string, DeclaredColumn>>()
  for (const member of root.members) {
    if (!ts.isPropertySignature(member) || !member.type) continue
    const tableName = member.name.getText(source)
    const shape = interfaces.get(member.type.getText(source))
    if (!shape) throw new Error(`tables.ts: ${tableName} names an interface it does not declare`)
    const columns = new Map<string, DeclaredColumn>()
    for (const column of shape.members) {
      if (!ts.isPropertySignature(column) || !column.type) continue
      let type = column.type.getText(source).replace(/\s+/g, ' ')
      const generated = /^Generated<(.*)>$/.exec(type)
      if (generated) type = generated[1] as string
      const parts = type.split('|').map((p) => p.trim())
      columns.set(column.name.getText(source), {
        type: parts.filter((p) => p !== 'null').join(' | '),
        generated: generated !== null,
        nullable: parts.includes('null'),
      })
    }
    tables.set(tableName, columns)
  }
  return tables
}

interface SqliteColumn {
  name: string
  type: string
  notnull: number
  dflt_value: string | null
  pk: number
}

/** The migrated schema: table name to its columns as SQLite reports them. */
function migratedTables(change?: (sqlite: Database) => void): Map<string, SqliteColumn[]> {
  const sqlite = openDatabase({ dataDir: ':memory:' })
  try {
    change?.(sqlite)
    const names = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string
    }>
    return new Map(
      names
        .filter(({ name }) => !NOT_QUERIED.test(name))
        .map(({ name }) => [name, sqlite.pragma(`table_info(${name})`) as SqliteColumn[]]),
    )
  } finally {
    sqlite.close()
  }
}

/** What TypeScript type a column of this declared SQLite type reads as through the query layer. */
function typeFor(sqliteType: string): string {
  const upper = sqliteType.toUpperCase()
  if (upper.includes('INT') || upper === 'REAL' || upper === 'NUMERIC') return 'number'
  if (upper === 'TEXT') return 'string'
  if (upper === 'BLOB') return 'Buffer | Uint8Array'
  throw new Error(`no TypeScript type is known for the SQLite type ${sqliteType}`)
}

/** Every difference between the declared columns and the migrated ones, one line each. */
function mismatches(
  declared: Map<string, Map<string, DeclaredColumn>>,
  migrated: Map<string, SqliteColumn[]>,
): string[] {
  const found: string[] = []
  for (const table of declared.keys()) if (!migrated.has(table)) found.push(`${table}: declared, not migrated`)
  for (const [table, columns] of migrated) {
    const declaredColumns = declared.get(table)
    if (!declaredColumns) {
      found.push(`${table}: migrated, not declared`)
      continue
    }
    for (const column of columns) {
      const where = `${table}.${column.name}`
      const column_ = declaredColumns.get(column.name)
      if (!column_) {
        found.push(`${where}: missing`)
        continue
      }
      // A rowid alias (the one INTEGER PRIMARY KEY) is given by SQLite when left out, so it may be
      // Generated; a single-row table's id (always 1) is declared plainly.
      const rowid =
        column.pk === 1 && column.type.toUpperCase() === 'INTEGER' && columns.filter((c) => c.pk).length === 1
      // SQLite reports a text primary key nullable (an old quirk); Lever never stores null there.
      const nullable = column.notnull === 0 && column.pk === 0
      const types = typeFor(column.type).split(' | ')
      if (!types.includes(column_.type)) found.push(`${where}: declared ${column_.type}, stored as ${column.type}`)
      if (column_.nullable !== nullable) found.push(`${where}: declared ${column_.nullable ? '' : 'not '}nullable`)
      if (column.dflt_value !== null && !column_.generated) found.push(`${where}: has a default, so Generated<…>`)
      if (column.dflt_value === null && !rowid && column_.generated)
        found.push(`${where}: no default, so not Generated`)
    }
    for (const name of declaredColumns.keys()) {
      if (!columns.some((c) => c.name === name)) found.push(`${table}.${name}: declared, not in the table`)
    }
  }
  return found
}

describe('tables.ts', () => {
  it('declares exactly the tables and columns the migrations create, with their types, nullability and defaults', () => {
    expect(mismatches(declaredTables(), migratedTables())).toEqual([])
  })

  it('reports a migration that changed a table without tables.ts', () => {
    const changed = migratedTables((sqlite) => {
      sqlite.exec(`
        ALTER TABLE plans ADD COLUMN archived_at TEXT;
        ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
        ALTER TABLE sign_in_throttle DROP COLUMN ${String(
          (sqlite.pragma('table_info(sign_in_throttle)') as SqliteColumn[]).find((c) => c.pk === 0)?.name,
        )};
        CREATE TABLE plan_tags (plan_id TEXT NOT NULL, tag TEXT NOT NULL);
      `)
    })
    const found = mismatches(declaredTables(), changed)
    expect(found).toContain('plans.archived_at: missing')
    expect(found).toContain('users.locale: missing')
    expect(
      found.some((line) => line.startsWith('sign_in_throttle.') && line.endsWith('declared, not in the table')),
    ).toBe(true)
    expect(found).toContain('plan_tags: migrated, not declared')
  })
})
