import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { postgresBinDir } from '@lever/server/testing'
import { type TestDatabase, testDatabase } from '@lever/server/testing/databases'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, snapshotOf, synced } from '../support/clients.ts'
import { createPlan, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('DATABASE_URL: documents in PostgreSQL', () => {
  const databases: TestDatabase[] = []
  /** An empty database of the run's PostgreSQL: the server migrates it as on a new deployment. */
  async function emptyDatabase(): Promise<TestDatabase> {
    const database = await testDatabase({ migrated: false })
    databases.push(database)
    return database
  }
  afterEach(async () => {
    for (const database of databases.splice(0)) await database.drop()
  })

  it("stores every plan's edits in PostgreSQL, not in the SQLite file, and loads them after a restart", async () => {
    const dataDir = tempDir()
    const postgres = await emptyDatabase()
    let server = await startServer({ dataDir, databaseUrl: postgres.url })
    let docName: string
    try {
      const token = await signIn(server)
      const plan = await createPlan(server, { token })
      docName = plan.docName
      const writer = connectClient(wsUrl(server), docName, { params: { token } })
      await synced(writer)
      writer.doc.getText('text').insert(0, 'kept in PostgreSQL')
      await waitFor(
        async () => {
          const stored = new Y.Doc()
          for (const u of (await server.store.load(docName)).updates) Y.applyUpdate(stored, u)
          return stored.getText('text').toString() === 'kept in PostgreSQL'
        },
        { message: 'the edit to be stored' },
      )
      writer.destroy()
      // No SQLite database at all: every table is in PostgreSQL.
      expect(server.db).toBeNull()
      expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('lever.db'))).toEqual([])
    } finally {
      await server.close()
    }

    server = await startServer({ dataDir, databaseUrl: postgres.url })
    try {
      const token = await signIn(server)
      const reader = connectClient(wsUrl(server), docName, { params: { token } })
      await synced(reader)
      expect(reader.doc.getText('text').toString()).toBe('kept in PostgreSQL')
      reader.destroy()
    } finally {
      await server.close()
    }

    // The same data folder without DATABASE_URL reads SQLite's log, which never had the edit.
    server = await startServer({ dataDir })
    try {
      const stored = new Y.Doc()
      for (const u of (await server.store.load(docName)).updates) Y.applyUpdate(stored, u)
      expect(stored.getText('text').toString()).toBe('')
    } finally {
      await server.close()
    }
  })

  it('restores the documents from a pg_dump into a new database, as the README says, and keeps storing after it', async () => {
    const dir = tempDir()
    const postgres = await emptyDatabase()
    const server = await startServer({ dataDir: dir, databaseUrl: postgres.url })
    const plans: Array<{ docName: string; content: unknown }> = []
    const dump = path.join(tempDir(), 'lever-documents.dump')
    try {
      const token = await signIn(server)
      for (const title of ['Dumped plan one', 'Dumped plan two']) {
        const { docName } = await createPlan(server, { token, title })
        const writer = connectClient(wsUrl(server), docName, { params: { token } })
        await synced(writer)
        for (let i = 0; i < 40; i++) writer.doc.getText('text').insert(i, String.fromCharCode(97 + (i % 26)))
        writer.doc.getMap('map').set('title', title)
        await waitFor(
          async () => {
            const stored = new Y.Doc()
            for (const u of (await server.store.load(docName)).updates) Y.applyUpdate(stored, u)
            return stored.getText('text').length === 40 && stored.getMap('map').get('title') === title
          },
          { message: `${title} to be stored` },
        )
        plans.push({ docName, content: snapshotOf(writer.doc) })
        writer.destroy()
      }
      // The README's commands, against the running server (pg_dump takes a consistent snapshot).
      const bin = postgresBinDir()
      await promisify(execFile)(path.join(bin, 'pg_dump'), [
        '--format=custom',
        `--file=${dump}`,
        `--dbname=${postgres.url}`,
      ])
    } finally {
      await server.close()
    }

    const socketDir = decodeURIComponent(new URL(postgres.url).hostname)
    const bin = postgresBinDir()
    const restoredName = `${new URL(postgres.url).pathname.slice(1)}_restored`
    await promisify(execFile)(path.join(bin, 'createdb'), [`--host=${socketDir}`, '--username=lever', restoredName])
    await promisify(execFile)(path.join(bin, 'pg_restore'), [
      '--no-owner',
      `--host=${socketDir}`,
      '--username=lever',
      `--dbname=${restoredName}`,
      dump,
    ])
    const restoredUrl = postgres.url.replace(/\/[^/]+$/, `/${restoredName}`)
    expect(restoredUrl).not.toBe(postgres.url)

    const restored = await startServer({ dataDir: dir, databaseUrl: restoredUrl })
    try {
      const token = await signIn(restored)
      for (const plan of plans) {
        const reader = connectClient(wsUrl(restored), plan.docName, { params: { token } })
        await synced(reader)
        expect(snapshotOf(reader.doc)).toEqual(plan.content)
        // New edits go on from where the dump left off (sequences restored too).
        reader.doc.getMap('map').set('after', 'restore')
        await waitFor(
          async () => {
            const stored = new Y.Doc()
            for (const u of (await restored.store.load(plan.docName)).updates) Y.applyUpdate(stored, u)
            return stored.getMap('map').get('after') === 'restore'
          },
          { message: 'an edit after the restore to be stored' },
        )
        reader.destroy()
      }
    } finally {
      await restored.close()
    }
  })
})
