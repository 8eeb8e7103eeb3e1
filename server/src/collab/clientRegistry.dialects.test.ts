import { sql } from 'kysely'
import { expect, it } from 'vitest'
import type { Db, Dialect } from '../db/queries.ts'
import { describeDialects } from '../testing/dialects.ts'
import { ClientRegistry } from './ClientRegistry.ts'

/** Makes the database itself refuse every new client id row (a trigger), until `allow`. */
async function refuseClaims(db: Db, dialect: Dialect): Promise<{ allow(): Promise<void> }> {
  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER refuse_claims BEFORE INSERT ON doc_clients BEGIN SELECT RAISE(ABORT, 'claims refused'); END`.execute(
      db,
    )
    return { allow: async () => void (await sql`DROP TRIGGER refuse_claims`.execute(db)) }
  }
  await sql`CREATE FUNCTION refuse_claims() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'claims refused'; END $$`.execute(
    db,
  )
  await sql`CREATE TRIGGER refuse_claims BEFORE INSERT ON doc_clients FOR EACH ROW EXECUTE FUNCTION refuse_claims()`.execute(
    db,
  )
  return { allow: async () => void (await sql`DROP TRIGGER refuse_claims ON doc_clients`.execute(db)) }
}

async function storedClaims(db: Db): Promise<Array<[string, number, string | null]>> {
  const rows = await db.selectFrom('doc_clients').select(['doc_name', 'client_id', 'user_id']).execute()
  return rows.map((r): [string, number, string | null] => [r.doc_name, Number(r.client_id), r.user_id]).sort()
}

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

  it('keeps a claim whose write failed, still refuses its id to others, and writes it with the next write', async () => {
    const { db, dialect } = await fresh()
    const refused = await refuseClaims(db, dialect)
    const failures: boolean[] = []
    const clients = new ClientRegistry(db, undefined, {
      retryMs: 10 * 60_000,
      onWriteFailed: (_error, _claims, retrying) => failures.push(retrying),
    })
    await clients.load('plan:a')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    await clients.flush()
    expect(failures).toEqual([true])
    expect(await storedClaims(db)).toEqual([])
    expect(clients.pending).toBe(1)
    // The client's next update finds its id known (no second claim); nobody else may take it.
    expect(clients.claim('plan:a', 7, 'u1')).toBe('known')
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    expect([...(await clients.clientsOf('plan:a'))]).toEqual([[7, 'u1']])
    await refused.allow()
    // The next write (here, another client's first claim) takes the failed claim along.
    expect(clients.claim('plan:a', 8, 'u2')).toBe('new')
    await clients.flush()
    expect(await storedClaims(db)).toEqual([
      ['plan:a', 7, 'u1'],
      ['plan:a', 8, 'u2'],
    ])
    expect(clients.pending).toBe(0)
    expect(failures).toEqual([true])
  })

  it('writes a failed claim again on its own after a while, with no other claim to carry it', async () => {
    const { db, dialect } = await fresh()
    const refused = await refuseClaims(db, dialect)
    let failed = 0
    const clients = new ClientRegistry(db, undefined, { retryMs: 20, onWriteFailed: () => failed++ })
    await clients.load('plan:a')
    clients.claim('plan:a', 7, 'u1')
    await expect.poll(() => failed, { timeout: 15_000 }).toBeGreaterThan(0)
    await refused.allow()
    await expect.poll(() => storedClaims(db), { timeout: 15_000 }).toEqual([['plan:a', 7, 'u1']])
    expect(clients.pending).toBe(0)
  })

  it('gives a claim up after its last attempt: forgotten, to be made again with its id’s next update', async () => {
    const { db, dialect } = await fresh()
    await refuseClaims(db, dialect)
    const failures: boolean[] = []
    const clients = new ClientRegistry(db, undefined, {
      retryMs: 10 * 60_000,
      maxAttempts: 2,
      onWriteFailed: (_error, _claims, retrying) => failures.push(retrying),
    })
    await clients.load('plan:a')
    clients.claim('plan:a', 7, 'u1')
    await clients.flush()
    await clients.flush()
    expect(failures).toEqual([true, false])
    expect(clients.pending).toBe(0)
    expect(clients.ownerOf('plan:a', 7)).toBeUndefined()
    await clients.flush()
    expect(failures).toEqual([true, false])
  })

  it('refuses another person a claim written only after its document was forgotten and read again', async () => {
    const { db, dialect } = await fresh()
    const refused = await refuseClaims(db, dialect)
    const clients = new ClientRegistry(db, undefined, { retryMs: 10 * 60_000 })
    await clients.load('plan:a')
    expect(clients.claim('plan:a', 7, 'u1')).toBe('new')
    await clients.flush()
    expect(clients.pending).toBe(1)
    // The document's room unloads and loads again while the claim waits to be written again.
    clients.forget('plan:a')
    await clients.load('plan:a')
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
    await refused.allow()
    // The next write (another client's first claim) carries the failed claim along.
    expect(clients.claim('plan:a', 8, 'u3')).toBe('new')
    await clients.flush()
    expect(clients.pending).toBe(0)
    expect(await storedClaims(db)).toEqual([
      ['plan:a', 7, 'u1'],
      ['plan:a', 8, 'u3'],
    ])
    // Stored now, and still known to be u1's: nobody else may write with it.
    expect(clients.ownerOf('plan:a', 7)).toBe('u1')
    expect(clients.claim('plan:a', 7, 'u2')).toBe('taken')
  })

  it('refuses to answer for a document whose claims were not read', async () => {
    const { db } = await fresh()
    const clients = new ClientRegistry(db)
    expect(() => clients.ownerOf('plan:z', 1)).toThrow('not loaded')
  })
})
