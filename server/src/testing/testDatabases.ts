import fs from 'node:fs'
import pg from 'pg'
import { inject } from 'vitest'
import { databaseUrl, startPair, startTestRedis, type TestRedis } from './services.ts'
import { TEMPLATE_DATABASE } from './sharedPostgres.ts'

/** A database of its own in the run's shared PostgreSQL; `drop()` removes it. */
export interface TestDatabase {
  url: string
  drop(): Promise<void>
}

let created = 0

/** The shared cluster's URL once it is ready (its globalSetup starts it in the background). */
async function sharedCluster(): Promise<string> {
  const shared = inject('sharedPostgres')
  if (!shared) {
    throw new Error(
      "no shared PostgreSQL: this project's globalSetup must list server/src/testing/sharedPostgres.ts (see vitest.config.ts)",
    )
  }
  const deadline = Date.now() + 120_000
  while (!fs.existsSync(shared.readyFile)) {
    if (Date.now() > deadline) throw new Error('the shared PostgreSQL was not ready within two minutes')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  // Written in one call, but read it until it parses in case it is caught half written.
  for (;;) {
    try {
      const { error } = JSON.parse(fs.readFileSync(shared.readyFile, 'utf8')) as { error?: string }
      if (error) throw new Error(`the shared PostgreSQL did not start: ${error}`)
      return shared.url
    } catch (error) {
      if (!(error instanceof SyntaxError) || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }
}

async function asAdmin(serverUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl })
  await admin.connect()
  try {
    await admin.query(sql)
  } finally {
    await admin.end()
  }
}

async function createDatabase(serverUrl: string, migrated: boolean): Promise<string> {
  const name = `lever_test_${process.pid}_${++created}`
  await asAdmin(
    serverUrl,
    `CREATE DATABASE ${name}${migrated ? ` TEMPLATE ${TEMPLATE_DATABASE} STRATEGY FILE_COPY` : ''}`,
  )
  return name
}

/** The next migrated copy, made while the test that took the last one runs. */
let spare: Promise<string> | null = null

/**
 * A new database in the run's shared PostgreSQL: a copy of the migrated template (`migrated`), or
 * empty, for what must run the migrations itself. Names are unique across the run's parallel
 * workers (process id and a counter). `drop()` does not wait for the database to go: nothing
 * uses it any more, and the cluster goes at the end of the run anyway.
 */
export async function testDatabase({ migrated }: { migrated: boolean }): Promise<TestDatabase> {
  const serverUrl = await sharedCluster()
  let name: string
  if (migrated) {
    const taken = spare
    spare = null
    name = (await taken?.catch(() => null)) ?? (await createDatabase(serverUrl, true))
    const next = createDatabase(serverUrl, true)
    next.catch(() => {}) // a failed spare is made again when it is needed
    spare = next
  } else {
    name = await createDatabase(serverUrl, false)
  }
  let dropped = false
  return {
    url: databaseUrl(serverUrl, name),
    async drop() {
      if (dropped) return
      dropped = true
      asAdmin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {})
    },
  }
}

/** What several servers share: a database of the run's PostgreSQL and a Redis of their own. */
export interface TestServices {
  /** An empty database: the first server to start runs the real migrations on it. */
  databaseUrl: string
  redis: TestRedis
  stop(): Promise<void>
}

/** A new empty database and a new Redis at once (see `startPair`). */
export async function testServices(): Promise<TestServices> {
  const pair = await startPair(
    { start: () => testDatabase({ migrated: false }), stop: (database) => database.drop() },
    { start: startTestRedis, stop: (redis) => redis.stop() },
  )
  return { databaseUrl: pair.a.url, redis: pair.b, stop: pair.stop }
}
