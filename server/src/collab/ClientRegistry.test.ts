import { describe, expect, it } from 'vitest'
import { openDatabase } from '../db/openDatabase.ts'
import { sqliteQueries } from '../db/queries.ts'
import { groupCommitRunner } from '../db/queryScripts.ts'
import { SqliteDocStore } from '../storage/SqliteDocStore.ts'
import { ClientRegistry } from './ClientRegistry.ts'

type Sqlite = ReturnType<typeof openDatabase>

const storedOwner = (db: Sqlite, docName: string, clientId: number) =>
  (
    db.prepare('SELECT user_id FROM doc_clients WHERE doc_name = ? AND client_id = ?').get(docName, clientId) as
      | { user_id: string | null }
      | undefined
  )?.user_id

/** The registry as the server makes it on SQLite: claims ride the document store's group commit. */
describe('ClientRegistry riding along with the document store (SQLite)', () => {
  async function withStore() {
    const db = openDatabase({ dataDir: ':memory:' })
    const store = new SqliteDocStore(db)
    const queries = sqliteQueries(db)
    const clients = new ClientRegistry(queries, groupCommitRunner(db, store), { retryMs: 10 * 60_000 })
    await clients.load('plan:a')
    return { db, store, queries, clients }
  }

  it('writes a claim in the same transaction as the update made in the same tick', async () => {
    const { db, store, queries, clients } = await withStore()
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    const stored = store.append('plan:a', new Uint8Array([1, 2, 3]))
    expect(storedOwner(db, 'plan:a', 7)).toBeUndefined()
    await stored
    expect(storedOwner(db, 'plan:a', 7)).toBe('u1')
    expect(store.stats.commits).toBe(1)
    // A restart: a fresh registry on the same database still refuses another person.
    const again = new ClientRegistry(queries, groupCommitRunner(db, store))
    await again.load('plan:a')
    expect(again.claim('plan:a', 7, 'u2')).toBe('taken')
  })

  it('writes the claims of one tick in the commit of that tick, one commit for all', async () => {
    const { db, store, clients } = await withStore()
    await clients.load('plan:b')
    clients.claim('plan:a', 1, 'u1')
    clients.claim('plan:a', 2, 'u2')
    clients.claim('plan:b', 3, null)
    await Promise.all([store.append('plan:a', new Uint8Array([1])), store.append('plan:b', new Uint8Array([2]))])
    expect(store.stats.commits).toBe(1)
    expect([storedOwner(db, 'plan:a', 1), storedOwner(db, 'plan:a', 2), storedOwner(db, 'plan:b', 3)]).toEqual([
      'u1',
      'u2',
      null,
    ])
  })

  it('keeps a claim whose commit failed and writes it again; the resent update finds its id known', async () => {
    const { db, store, clients } = await withStore()
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    clients.claim('plan:a', 7, 'u1')
    await expect(store.append('plan:a', new Uint8Array([1]))).rejects.toThrow('disk full')
    expect(storedOwner(db, 'plan:a', 7)).toBeUndefined()
    // Still decided: nobody else may take the id meanwhile.
    expect(clients.ownerOf('plan:a', 7)).toBe('u1')
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    expect(clients.pending).toBe(1)
    db.exec('DROP TRIGGER refuse')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('known')
    await store.append('plan:a', new Uint8Array([1]))
    await clients.flush()
    expect(storedOwner(db, 'plan:a', 7)).toBe('u1')
    expect(clients.pending).toBe(0)
  })

  it('writes a claim made without an update with the next commit, and on its own once the store closed', async () => {
    const { db, store, clients } = await withStore()
    clients.claim('plan:a', 9, null)
    await store.close()
    expect(storedOwner(db, 'plan:a', 9)).toBeNull()
    clients.claim('plan:a', 10, 'u1')
    await clients.flush()
    expect(storedOwner(db, 'plan:a', 10)).toBe('u1')
  })
})
