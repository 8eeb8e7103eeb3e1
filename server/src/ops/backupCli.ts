import path from 'node:path'
import { configFromEnv } from '../config.ts'
import { openDatabase } from '../db/openDatabase.ts'
import { backupDatabase } from './backup.ts'

/**
 * `pnpm backup`: an online backup of the data folder's database into `BACKUP_DIR` (default
 * `<DATA_DIR>/backups`), checked, keeping the newest `BACKUP_KEEP`. Safe while the server runs.
 */
async function main(): Promise<void> {
  const config = configFromEnv()
  const db = openDatabase({ dataDir: config.dataDir, synchronous: config.synchronous })
  try {
    const result = await backupDatabase(
      db,
      config.backup.dir ?? path.join(config.dataDir, 'backups'),
      config.backup.keep,
      new Date(),
      config.library.uploadDir ?? path.join(config.dataDir, 'uploads'),
    )
    process.stdout.write(
      `Backup written: ${result.file} (${result.bytes} bytes, schema ${result.schemaVersion}, ${result.uploads} uploaded file(s))\n`,
    )
    if (result.missingUploads.length > 0) {
      process.stderr.write(
        `Warning: ${result.missingUploads.length} uploaded file(s) the database refers to were missing from the data folder\n`,
      )
    }
  } finally {
    db.close()
  }
}

main().catch((error) => {
  process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
