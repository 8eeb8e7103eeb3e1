import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../db/migrations.ts'
import { ClientRegistry } from './ClientRegistry.ts'

function registry() {
  const db = new Database(':memory:')
  migrate(db)
  return { db, clients: new ClientRegistry(db) }
}

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

  it('keeps documents apart and survives a fresh registry on the same database', () => {
    const { db, clients } = registry()
    clients.claim('plan:a', 7, 'u1')
    expect(clients.claim('plan:b', 7, 'u2')).toBe('new')
    const again = new ClientRegistry(db)
    expect(again.claim('plan:a', 7, 'u2')).toBe('taken')
    expect([...again.clientsOf('plan:b')]).toEqual([[7, 'u2']])
  })
})
