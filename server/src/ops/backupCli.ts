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
    )
    process.stdout.write(`Backup written: ${result.file} (${result.bytes} bytes, schema ${result.schemaVersion})\n`)
  } finally {
    db.close()
  }
}

main().catch((error) => {
  process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
