import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../db/migrations.ts'
import { SqliteDocStore } from '../storage/SqliteDocStore.ts'
import { ClientRegistry } from './ClientRegistry.ts'

function registry() {
  const db = new Database(':memory:')
  migrate(db)
  return { db, clients: new ClientRegistry(db) }
}

const storedOwner = (db: Database.Database, docName: string, clientId: number) =>
  (
    db.prepare('SELECT user_id FROM doc_clients WHERE doc_name = ? AND client_id = ?').get(docName, clientId) as
      | { user_id: string | null }
      | undefined
  )?.user_id

describe('ClientRegistry', () => {
  it('records a client id for its person on first sight and knows it afterwards', () => {
    const { clients } = registry()
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('known')
    expect(clients.ownerOf('plan:a', 7)).toBe('u1')
    expect(clients.ownerOf('plan:a', 8)).toBeUndefined()
  })

  it('refuses a client id that another person already uses in the same document', () => {
    const { clients } = registry()
    clients.claim('plan:a', 7, 'u1')
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    expect(clients.claim('plan:a', 7, null)).toBe('taken')
    expect(clients.ownerOf('plan:a', 7)).toBe('u1')
  })

  it('refuses another person a claim not yet written, even after its document was forgotten', () => {
    const { db, clients } = registry()
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    clients.forget('plan:a')
    expect(storedOwner(db, 'plan:a', 7)).toBeUndefined()
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    expect([...clients.clientsOf('plan:a')]).toEqual([[7, 'u1']])
  })

  it('keeps documents apart and survives a fresh registry on the same database', () => {
    const { db, clients } = registry()
    clients.claim('plan:a', 7, 'u1')
    expect(clients.claim('plan:b', 7, 'u2')).toBe('new')
    clients.flush()
    const again = new ClientRegistry(db)
    expect(again.claim('plan:a', 7, 'u2')).toBe('taken')
    expect([...again.clientsOf('plan:b')]).toEqual([[7, 'u2']])
  })

  it('writes its claims on its own a tick later when no store carries them', async () => {
    const { db, clients } = registry()
    clients.claim('plan:a', 7, 'u1')
    clients.claim('plan:a', 8, null)
    await new Promise((resolve) => setImmediate(resolve))
    expect(storedOwner(db, 'plan:a', 7)).toBe('u1')
    expect(storedOwner(db, 'plan:a', 8)).toBeNull()
  })
})

describe('ClientRegistry riding along with the document store', () => {
  function withStore() {
    const db = new Database(':memory:')
    migrate(db)
    const store = new SqliteDocStore(db)
    return { db, store, clients: new ClientRegistry(db, store) }
  }

  it('writes a claim in the same transaction as the update made in the same tick', async () => {
    const { db, store, clients } = withStore()
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    const stored = store.append('plan:a', new Uint8Array([1, 2, 3]))
    expect(storedOwner(db, 'plan:a', 7)).toBeUndefined()
    await stored
    expect(storedOwner(db, 'plan:a', 7)).toBe('u1')
    expect(store.stats.commits).toBe(1)
    // A restart: a fresh registry on the same database still refuses another person.
    expect(new ClientRegistry(db, store).claim('plan:a', 7, 'u2')).toBe('taken')
  })

  it('forgets a claim whose commit failed, so that it is made again with the resent update', async () => {
    const { db, store, clients } = withStore()
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    clients.claim('plan:a', 7, 'u1')
    await expect(store.append('plan:a', new Uint8Array([1]))).rejects.toThrow('disk full')
    expect(storedOwner(db, 'plan:a', 7)).toBeUndefined()
    expect(clients.ownerOf('plan:a', 7)).toBeUndefined()
    db.exec('DROP TRIGGER refuse')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    await store.append('plan:a', new Uint8Array([1]))
    expect(storedOwner(db, 'plan:a', 7)).toBe('u1')
  })

  it('writes a claim made without an update with the next commit, and at close', async () => {
    const { db, store, clients } = withStore()
    clients.claim('plan:a', 9, null)
    await store.close()
    expect(storedOwner(db, 'plan:a', 9)).toBeNull()
    // After the store closed, claims are written on their own.
    clients.claim('plan:a', 10, 'u1')
    await new Promise((resolve) => setImmediate(resolve))
    expect(storedOwner(db, 'plan:a', 10)).toBe('u1')
  })
})
