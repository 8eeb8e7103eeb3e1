import fs from 'node:fs'
import path from 'node:path'
import type { Database } from 'better-sqlite3'

/** Files below this size get the full `integrity_check`; larger ones the faster `quick_check`. */
const FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024

/** A reason not to start that an operator must act on; its message says what and how. */
export class StartupError extends Error {
  override readonly name = 'StartupError'
}

/** How to put a backup in place, for the messages below. */
function restoreAdvice(file: string): string {
  const dir = path.dirname(file)
  const base = path.basename(file)
  return (
    `To restore from a backup: stop Lever and run \`pnpm restore <backup file>\` (backups are kept in ` +
    `${path.join(dir, 'backups')} unless BACKUP_DIR says otherwise); or move ${base}, ${base}-wal and ` +
    `${base}-shm out of ${dir}, copy your latest backup of ${base} to ${file}, and start Lever again.`
  )
}

/**
 * Before opening: whether `file` starts a fresh installation. A missing or empty database is new
 * only when its folder holds nothing else; otherwise files were lost or half copied, and starting
 * an empty Lever over them would hide that, so this refuses.
 */
export function isFreshInstall(file: string): boolean {
  const dir = path.dirname(file)
  const base = path.basename(file)
  let size: number | null = null
  try {
    size = fs.statSync(file).size
  } catch {
    size = null
  }
  if (size !== null && size > 0) return false
  const others = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name !== base) : []
  if (others.length > 0) {
    const shown = others.slice(0, 5).join(', ') + (others.length > 5 ? ', …' : '')
    throw new StartupError(
      `The database ${file} is ${size === null ? 'missing' : 'empty'}, but ${dir} holds other files (${shown}), ` +
        'so this is not a new installation: the database was lost or only partly copied. ' +
        `${restoreAdvice(file)} For a new installation, set DATA_DIR to an empty folder.`,
    )
  }
  return true
}

/**
 * Checks an existing database before anything is served: `integrity_check` on files up to
 * 64 MiB, `quick_check` on larger ones. A damaged file stops the server with a message that
 * names it and says how to restore a backup, instead of failing document by document later.
 */
export function assertIntact(db: Database, file: string): void {
  const size = fs.statSync(file).size
  const check = size <= FULL_CHECK_MAX_BYTES ? 'integrity_check' : 'quick_check'
  let problems: string[]
  try {
    const rows = db.pragma(`${check}(10)`) as Array<Record<string, string>>
    problems = rows.map((row) => Object.values(row)[0] ?? '').filter((line) => line !== 'ok')
  } catch (error) {
    problems = [error instanceof Error ? error.message : String(error)]
  }
  if (problems.length > 0) throw damaged(file, `${check} found: ${problems.slice(0, 3).join('; ')}`)
}

/** The error for a database that cannot be read or is damaged. */
export function damaged(file: string, detail: string): StartupError {
  return new StartupError(
    `The database ${file} is damaged (${detail}). Lever will not start on it, so that nothing more is lost. ${restoreAdvice(file)}`,
  )
}
