import { startTestPostgres, type TestPostgres } from '@lever/server/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced } from '../support/clients.ts'
import { createPlan, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('DATABASE_URL: documents in PostgreSQL', () => {
  let postgres: TestPostgres
  const dataDir = tempDir()
  beforeAll(async () => {
    postgres = await startTestPostgres()
  }, 120_000)
  afterAll(async () => {
    await postgres?.stop()
  })

  it("stores every plan's edits in PostgreSQL, not in the SQLite file, and loads them after a restart", async () => {
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
      const sqliteRows = server.db.prepare('SELECT count(*) AS n FROM doc_updates WHERE doc_name = ?').get(docName) as {
        n: number
      }
      expect(sqliteRows.n).toBe(0)
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
})
