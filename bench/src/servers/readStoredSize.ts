import fs from 'node:fs'
import { createRequire } from 'node:module'
import type { StoredSize } from './types.ts'

/** The little of better-sqlite3 the benchmark uses (the package ships no types of its own). */
interface SqliteDatabase {
  prepare(sql: string): { get(...params: unknown[]): unknown }
  close(): void
}
type SqliteConstructor = new (file: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteDatabase

const require = createRequire(import.meta.url)

/**
 * Runs one aggregate query (`SELECT … AS rows, … AS bytes`) against a stopped server's database,
 * read-only. A missing database means nothing is stored.
 */
export function readStoredSize(file: string, sql: string, docName: string): StoredSize {
  if (!fs.existsSync(file)) return { rows: 0, bytes: 0 }
  const Database = require('better-sqlite3') as SqliteConstructor
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const row = db.prepare(sql).get(docName) as { rows: number | null; bytes: number | null } | undefined
    return { rows: row?.rows ?? 0, bytes: row?.bytes ?? 0 }
  } finally {
    db.close()
  }
}
