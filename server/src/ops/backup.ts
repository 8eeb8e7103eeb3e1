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

/** A backup: the database file, and the uploaded files it refers to, copied beside it. */
export interface BackupResult extends BackupCheck {
  /** Uploaded files the backup refers to (all in the backup folder's `uploads/`, but `missing`). */
  uploads: number
  /** Keys of uploaded files the backup refers to that were gone from the data folder. */
  missingUploads: string[]
}

/** The folder beside the backups where the uploaded files they refer to are kept (once each). */
export const BACKUP_UPLOADS = 'uploads'

/** The keys of the uploaded files a database refers to (none before the library existed). */
export function uploadKeysOf(file: string): string[] {
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true })
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'library_resources'").get()
    if (!table) return []
    return (
      db.prepare('SELECT file_key FROM library_resources WHERE file_key IS NOT NULL').all() as Array<{
        file_key: string
      }>
    )
      .map((r) => r.file_key)
      .filter(isUploadKey)
  } finally {
    db.close()
  }
}

/** Upload keys are the server's own random names; anything else is never used as a path. */
function isUploadKey(key: string): boolean {
  return /^[A-Za-z0-9_-]{8,64}$/.test(key)
}

/** Copies a file durably (a temporary name, fsync, rename), unless the target exists already. */
function copyOnce(from: string, to: string): void {
  if (fs.existsSync(to)) return
  const partial = `${to}.partial`
  fs.copyFileSync(from, partial)
  const fd = fs.openSync(partial, 'r')
  fs.fsyncSync(fd)
  fs.closeSync(fd)
  fs.renameSync(partial, to)
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
 * a backup. The uploaded files it refers to (library resources, from `uploadDir`) are copied into
 * `dir/uploads/`, once each: they never change under their random names, so backups share them.
 * Keeps the newest `keep` backups in `dir`, deletes older ones and the uploads only they used.
 */
export async function backupDatabase(
  db: Database,
  dir: string,
  keep: number,
  at = new Date(),
  uploadDir: string | null = null,
): Promise<BackupResult> {
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, backupFileName(at))
  const partial = `${file}.partial`
  await db.backup(partial)
  const check = checkDatabaseFile(partial)
  // The files before the database: a backup that exists has its files (a file deleted from the
  // library since the snapshot is reported, not waited for).
  const keys = uploadKeysOf(partial)
  const missingUploads: string[] = []
  if (keys.length > 0) {
    const pool = path.join(dir, BACKUP_UPLOADS)
    fs.mkdirSync(pool, { recursive: true })
    for (const key of keys) {
      const source = uploadDir ? path.join(uploadDir, key) : null
      if (source && fs.existsSync(source)) copyOnce(source, path.join(pool, key))
      else if (!fs.existsSync(path.join(pool, key))) missingUploads.push(key)
    }
  }
  fs.renameSync(partial, file)
  pruneBackups(dir, keep)
  return { ...check, file, uploads: keys.length - missingUploads.length, missingUploads }
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
  const backups = listBackups(dir)
  const old = backups.slice(Math.max(1, keep))
  if (old.length === 0) return
  for (const file of old) fs.rmSync(file, { force: true })
  const pool = path.join(dir, BACKUP_UPLOADS)
  if (!fs.existsSync(pool)) return
  const used = new Set(backups.slice(0, Math.max(1, keep)).flatMap((file) => uploadKeysOf(file)))
  for (const name of fs.readdirSync(pool)) {
    if (!used.has(name)) fs.rmSync(path.join(pool, name), { force: true })
  }
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
 * newer than this code), refuses while a server runs on the folder, copies the uploaded files the
 * backup refers to from the backup folder's `uploads/` into `uploadDir` (default
 * `<dataDir>/uploads`; files already there are kept), keeps the current database as
 * `lever.db.before-restore-<time>`, and replaces it (with its WAL files) by a copy of the backup.
 * Refuses, changing nothing, when a file the backup refers to is in neither place.
 */
export function restoreDatabase(
  backupFile: string,
  dataDir: string,
  at = new Date(),
  uploadDir: string = path.join(dataDir, 'uploads'),
): { kept: string | null; uploads: number } {
  checkDatabaseFile(backupFile)
  if (serverRunningOn(dataDir)) {
    throw new Error(`A Lever server is running on ${dataDir}: stop it before restoring`)
  }
  const keys = uploadKeysOf(backupFile)
  const pool = path.join(path.dirname(backupFile), BACKUP_UPLOADS)
  const missing = keys.filter((k) => !fs.existsSync(path.join(pool, k)) && !fs.existsSync(path.join(uploadDir, k)))
  if (missing.length > 0) {
    throw new Error(
      `${backupFile} refers to ${missing.length} uploaded file(s) found neither in ${pool} nor in ${uploadDir} (first: ${missing[0]}): copy the backup folder's uploads/ along with the backup`,
    )
  }
  if (keys.length > 0) fs.mkdirSync(uploadDir, { recursive: true })
  for (const key of keys) {
    const from = path.join(pool, key)
    if (fs.existsSync(from)) copyOnce(from, path.join(uploadDir, key))
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
  return { kept, uploads: keys.length }
}
