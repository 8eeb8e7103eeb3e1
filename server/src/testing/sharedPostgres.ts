import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import type { TestProject } from 'vitest/node'
import { migratePostgres } from '../storage/postgresSchema.ts'
import { databaseUrl, startTestPostgres, testPostgresUrl } from './services.ts'

/**
 * One PostgreSQL cluster for a whole test run (a vitest `globalSetup` of each project whose tests
 * need one), instead of one per test file: test files ask it for databases of their own with
 * `testDatabase()` (testDatabases.ts). Tests that stop or kill their server start their own with
 * `startTestPostgres()`.
 */

/** What the workers are given: the cluster's URL and the file that says when it is ready. */
export interface SharedPostgres {
  url: string
  /** Written once the cluster and its template are ready: `{}`, or `{ "error": "…" }`. */
  readyFile: string
}

declare module 'vitest' {
  export interface ProvidedContext {
    sharedPostgres: SharedPostgres
  }
}

/** A database migrated to the newest schema, copied (`CREATE DATABASE … TEMPLATE`) for each test. */
export const TEMPLATE_DATABASE = 'lever_template'

/** Creates the template database and runs the real migrations on it; nothing connects to it after. */
async function createTemplate(serverUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`)
  } finally {
    await admin.end()
  }
  const pool = new pg.Pool({ connectionString: databaseUrl(serverUrl, TEMPLATE_DATABASE), max: 1 })
  try {
    await migratePostgres(pool)
  } finally {
    await pool.end()
  }
  // A connection left open to a template makes every copy of it fail: allow none.
  const again = new pg.Client({ connectionString: serverUrl })
  await again.connect()
  try {
    await again.query(`ALTER DATABASE ${TEMPLATE_DATABASE} WITH ALLOW_CONNECTIONS false`)
  } finally {
    await again.end()
  }
}

/**
 * The globalSetup: starts the cluster in the background (the run goes on with other setup and
 * with test files that need no PostgreSQL meanwhile), provides where it will be, and stops it
 * after the run.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-pg-shared-'))
  const status = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-pg-status-'))
  const readyFile = path.join(status, 'ready.json')
  const url = testPostgresUrl(root)
  const started = startTestPostgres({ root, maxConnections: 400, quickCopies: true }).then(
    async (postgres) => {
      try {
        await createTemplate(url)
        fs.writeFileSync(readyFile, '{}')
      } catch (error) {
        fs.writeFileSync(readyFile, JSON.stringify({ error: `creating the template database failed: ${error}` }))
      }
      return postgres
    },
    (error: unknown) => {
      fs.writeFileSync(readyFile, JSON.stringify({ error: String(error) }))
      return null
    },
  )
  project.provide('sharedPostgres', { url, readyFile })
  return async () => {
    await (await started)?.stop()
    fs.rmSync(status, { recursive: true, force: true })
  }
}
