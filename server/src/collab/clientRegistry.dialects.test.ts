import { expect, it } from 'vitest'
import { describeDialects } from '../testing/dialects.ts'
import { ClientRegistry } from './ClientRegistry.ts'

describeDialects('ClientRegistry', (fresh) => {
  it('records a client id for its person on first sight, stores it, and knows it after a restart', async () => {
    const { db } = await fresh()
    const clients = new ClientRegistry(db)
    await clients.load('plan:a')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('known')
    expect(clients.ownerOf('plan:a', 7)).toBe('u1')
    expect(clients.ownerOf('plan:a', 8)).toBeUndefined()
    // The server's own id (no person), and a large id (Yjs ids are unsigned 32-bit).
    expect(clients.claim('plan:a', 4_000_000_000, null)).toBe('new')
    await clients.flush()
    const rows = await db.selectFrom('doc_clients').select(['doc_name', 'client_id', 'user_id']).execute()
    expect(rows.map((r) => [r.doc_name, Number(r.client_id), r.user_id]).sort()).toEqual([
      ['plan:a', 4_000_000_000, null],
      ['plan:a', 7, 'u1'],
    ])
    const again = new ClientRegistry(db)
    await again.load('plan:a')
    expect(again.ownerOf('plan:a', 7)).toBe('u1')
    expect(again.ownerOf('plan:a', 4_000_000_000)).toBeNull()
    expect([...(await again.clientsOf('plan:a'))].sort()).toEqual([
      [4_000_000_000, null],
      [7, 'u1'],
    ])
  })

  it('refuses a claimed client id to another person and to the server, before and after it is stored', async () => {
    const { db } = await fresh()
    const clients = new ClientRegistry(db)
    await clients.load('plan:a')
    clients.claim('plan:a', 7, 'u1')
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    expect(clients.claim('plan:a', 7, null)).toBe('taken')
    await clients.flush()
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    // After a restart, from the stored row.
    const again = new ClientRegistry(db)
    await again.load('plan:a')
    expect(again.claim('plan:a', 7, 'u2')).toBe('taken')
    expect(again.ownerOf('plan:a', 7)).toBe('u1')
  })

  it('refuses another person a claim not yet written, even after its document was forgotten and read again', async () => {
    const { db } = await fresh()
    const clients = new ClientRegistry(db)
    await clients.load('plan:a')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    clients.forget('plan:a')
    await clients.load('plan:a')
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    expect([...(await clients.clientsOf('plan:a'))]).toEqual([[7, 'u1']])
    await clients.flush()
    expect([...(await clients.clientsOf('plan:a'))]).toEqual([[7, 'u1']])
  })

  it('keeps documents apart', async () => {
    const { db } = await fresh()
    const clients = new ClientRegistry(db)
    await Promise.all([clients.load('plan:a'), clients.load('plan:b')])
    clients.claim('plan:a', 7, 'u1')
    expect(clients.claim('plan:b', 7, 'u2')).toBe('new')
    await clients.flush()
    expect([...(await clients.clientsOf('plan:b'))]).toEqual([[7, 'u2']])
  })

  it('when another server stored a claim for the id first, its row stands and this server follows it', async () => {
    const { db } = await fresh()
    const here = new ClientRegistry(db)
    const there = new ClientRegistry(db)
    await Promise.all([here.load('plan:a'), there.load('plan:a')])
    expect(there.claim('plan:a', 7, 'u2')).toBe('new')
    await there.flush()
    // This server read the document's claims before the other stored its own.
    expect(here.claim('plan:a', 7, 'u1')).toBe('new')
    await here.flush()
    const row = await db.selectFrom('doc_clients').select('user_id').where('client_id', '=', 7).executeTakeFirst()
    expect(row?.user_id).toBe('u2')
    expect(here.ownerOf('plan:a', 7)).toBe('u2')
    expect(here.claim('plan:a', 7, 'u1')).toBe('taken')
  })

  it('refuses to answer for a document whose claims were not read', async () => {
    const { db } = await fresh()
    const clients = new ClientRegistry(db)
    expect(() => clients.ownerOf('plan:z', 1)).toThrow('not loaded')
  })
})
