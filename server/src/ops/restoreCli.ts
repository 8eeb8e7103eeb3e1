import path from 'node:path'
import { configFromEnv } from '../config.ts'
import { restoreDatabase } from './backup.ts'

/** `pnpm restore <backup file>`: restores a backup into the (stopped) server's data folder. */
function main(): void {
  const file = process.argv[2]
  if (!file) {
    process.stderr.write('Usage: pnpm restore <backup file>   (stop the server first)\n')
    process.exit(2)
  }
  const config = configFromEnv()
  const source = path.resolve(process.env.INIT_CWD ?? process.cwd(), file)
  const { kept, uploads } = restoreDatabase(
    source,
    config.dataDir,
    new Date(),
    config.library.uploadDir ?? path.join(config.dataDir, 'uploads'),
  )
  process.stdout.write(
    `Restored ${source} into ${config.dataDir} (${uploads} uploaded file(s)).${kept ? ` The database it replaced is kept as ${kept}.` : ''}\n`,
  )
}

try {
  main()
} catch (error) {
  process.stderr.write(`Restore failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
}
