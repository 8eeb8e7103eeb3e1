import readline from 'node:readline'
import { openDatabase } from '../db/openDatabase.ts'
import { sqliteQueries } from '../db/queries.ts'
import { sqliteImmediateRunner } from '../db/queryScripts.ts'
import { VersionStore } from './VersionStore.ts'

/**
 * For tests, run as a process of its own (`node --import tsx`): one "server" storing automatic
 * versions of a plan in a shared data folder through its own database connection. Arguments: the
 * data folder, the plan, the author's id. Each line it reads is a plan state (base64) to store as
 * an automatic version at once; it answers `added` or `skipped`. A test sends the same line to two
 * such processes at the same moment, so both try to store the same content together.
 */
const [dataDir, planId, author] = process.argv.slice(2) as [string, string, string]
const db = openDatabase({ dataDir })
const queries = sqliteQueries(db)
const store = new VersionStore(queries, { locked: sqliteImmediateRunner(db) })
process.stdout.write('ready\n')
let stored = Promise.resolve()
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const state = new Uint8Array(Buffer.from(line, 'base64'))
  stored = stored.then(async () => {
    const { added } = await store.addOnce({ planId, kind: 'auto', doc: state, authors: [author] })
    process.stdout.write(`${added ? 'added' : 'skipped'}\n`)
  })
})
process.stdin.on('end', () => {
  void stored.finally(async () => {
    await queries.destroy()
    db.close()
  })
})
