import fs from 'node:fs'
import path from 'node:path'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { migrations } from '../db/migrations.ts'
import { DATABASE_FILE } from '../db/openDatabase.ts'

/** The newest database schema this code knows. */
export function latestSchemaVersion(): number {
  return migrations.at(-1)?.version ?? 0
}

/** What a check of a database file found. */
export interface BackupCheck {
  file: string
  schemaVersion: number
  bytes: number
}

/** A backup file's name: `lever-<UTC time>.db`, so names sort by age. */
export function backupFileName(at = new Date()): string {
  return `lever-${at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.db`
}

/**
 * Opens a database file read-only and checks it: `integrity_check` must say ok, and its schema
 * must not be newer than this code. Throws with a message that names the file and the problem.
 */
export function checkDatabaseFile(file: string): BackupCheck {
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist`)
  let db: Database | null = null
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
    const result = db.pragma('integrity_check', { simple: true })
    if (result !== 'ok') throw new Error(`${file} is damaged (integrity_check: ${String(result)})`)
    const schemaVersion = db.pragma('user_version', { simple: true }) as number
    if (schemaVersion > latestSchemaVersion()) {
      throw new Error(
        `${file} has schema version ${schemaVersion}, newer than this Lever knows (${latestSchemaVersion()}): restore it with the Lever release that made it`,
      )
    }
    return { file, schemaVersion, bytes: fs.statSync(file).size }
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(file)) throw error
    throw new Error(`${file} is not a usable Lever database: ${(error as Error).message}`)
  } finally {
    db?.close()
  }
}

/**
 * Takes an online backup of a live database with SQLite's backup API (better-sqlite3's
 * `db.backup`): writers go on while it copies, and the copy is one consistent state. The copy is
 * written beside its final name and renamed once checked, so a half-written file never looks like
 * a backup. Keeps the newest `keep` backups in `dir` and deletes older ones.
 */
export async function backupDatabase(db: Database, dir: string, keep: number, at = new Date()): Promise<BackupCheck> {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, backupFileName(at))
  const partial = `${file}.partial`
  await db.backup(partial)
  const check = checkDatabaseFile(partial)
  fs.renameSync(partial, file)
  pruneBackups(dir, keep)
  return { ...check, file }
}

/** The backups in a folder, newest first. */
export function listBackups(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .filter((name) => /^lever-\d{8}T\d{6}Z\.db$/.test(name))
    .sort()
    .reverse()
    .map((name) => path.join(dir, name))
}

function pruneBackups(dir: string, keep: number): void {
  for (const old of listBackups(dir).slice(Math.max(1, keep))) fs.rmSync(old, { force: true })
}

/** The file a running server writes into its data folder, holding its process id. */
export const PID_FILE = 'lever.pid'

/** True when a Lever server process is running on this data folder. */
export function serverRunningOn(dataDir: string): boolean {
  const pidFile = path.join(dataDir, PID_FILE)
  if (!fs.existsSync(pidFile)) return false
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim())
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Restores a backup into a stopped server's data folder: checks the backup first (intact, not
 * newer than this code), refuses while a server runs on the folder, keeps the current database as
 * `lever.db.before-restore-<time>`, and replaces it (with its WAL files) by a copy of the backup.
 */
export function restoreDatabase(backupFile: string, dataDir: string, at = new Date()): { kept: string | null } {
  checkDatabaseFile(backupFile)
  if (serverRunningOn(dataDir)) {
    throw new Error(`A Lever server is running on ${dataDir}: stop it before restoring`)
  }
  fs.mkdirSync(dataDir, { recursive: true })
  const target = path.join(dataDir, DATABASE_FILE)
  const incoming = `${target}.restoring`
  fs.copyFileSync(backupFile, incoming)
  const fd = fs.openSync(incoming, 'r')
  fs.fsyncSync(fd)
  fs.closeSync(fd)
  let kept: string | null = null
  if (fs.existsSync(target)) {
    kept = `${target}.before-restore-${at
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`
    // Fold the current WAL into the file first, so what is kept is complete on its own.
    const current = new BetterSqlite3(target)
    current.pragma('wal_checkpoint(TRUNCATE)')
    current.close()
    fs.renameSync(target, kept)
  }
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target}${suffix}`, { force: true })
  fs.renameSync(incoming, target)
  return { kept }
}
