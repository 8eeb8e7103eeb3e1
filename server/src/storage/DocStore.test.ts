import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Database } from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/openDatabase.ts'
import { type TestDatabase, testDatabase } from '../testing/testDatabases.ts'
import { describeDocStoreContract } from './docStoreContract.ts'
import { MemoryDocStore } from './MemoryDocStore.ts'
import { PostgresDocStore } from './PostgresDocStore.ts'
import { parseLogLayout, SqliteDocStore } from './SqliteDocStore.ts'

describeDocStoreContract('MemoryDocStore', async () => {
  const store = new MemoryDocStore()
  return { store, dispose: () => store.close() }
})

describeDocStoreContract('SqliteDocStore', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-store-'))
  let db: Database = openDatabase({ dataDir: dir })
  let store = new SqliteDocStore(db)
  return {
    get store() {
      return store
    },
    async reopen() {
      await store.close()
      db.close()
      db = openDatabase({ dataDir: dir })
      store = new SqliteDocStore(db)
      return store
    },
    async dispose() {
      await store.close()
      if (db.open) db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
})

/** Opens the data folder afresh and reads `plan:a`'s array as stored (what a restart would find). */
async function arrayAfterReopen(dir: string): Promise<unknown[]> {
  const db = openDatabase({ dataDir: dir })
  const store = new SqliteDocStore(db)
  try {
    const loaded = new Y.Doc()
    for (const u of (await store.load('plan:a')).updates) Y.applyUpdate(loaded, u)
    return loaded.getArray('a').toJSON()
  } finally {
    await store.close()
    db.close()
  }
}

describe('SqliteDocStore on a file (commits synced off the event loop)', () => {
  it('keeps the connection at FULL with automatic checkpoints for every other write, and its commits in order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-store-'))
    try {
      const db = openDatabase({ dataDir: dir })
      const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true })
      const store = new SqliteDocStore(db, { syncOnLoopBelowMs: 0 })
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      const seqs: Promise<number>[] = []
      for (let i = 0; i < 50; i++) {
        doc.getArray('a').push([i])
        seqs.push(store.append('plan:a', updates[i] as Uint8Array))
        if (i % 10 === 9) await new Promise((r) => setImmediate(r))
      }
      const settledOrder: number[] = []
      await Promise.all(seqs.map((p, i) => p.then(() => settledOrder.push(i))))
      expect(settledOrder).toEqual([...settledOrder].sort((a, b) => a - b))
      expect(db.pragma('synchronous', { simple: true })).toBe(2)
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(autocheckpoint)
      await store.close()
      db.close()
      expect(await arrayAfterReopen(dir)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    { disk: 'slow', below: 0, onLoop: false },
    { disk: 'fast', below: Number.POSITIVE_INFINITY, onLoop: true },
  ])(
    'syncs on the thread pool for a $disk disk, on the event loop for a fast one, durable and in order either way',
    async ({ below, onLoop }) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-store-'))
      try {
        const db = openDatabase({ dataDir: dir })
        const store = new SqliteDocStore(db, { syncOnLoopBelowMs: below })
        const doc = new Y.Doc()
        const updates: Uint8Array[] = []
        doc.on('update', (u: Uint8Array) => updates.push(u))
        const settledOrder: number[] = []
        for (let i = 0; i < 30; i++) {
          doc.getArray('a').push([i])
          // One commit per append, each waited for: the estimate of the disk's speed has syncs to learn from.
          await store.append('plan:a', updates[i] as Uint8Array).then(() => settledOrder.push(i))
        }
        expect(settledOrder).toEqual(Array.from({ length: 30 }, (_, i) => i))
        expect(store.stats.commits).toBe(30)
        if (onLoop) expect(store.stats.syncedOnLoop).toBeGreaterThan(0)
        else expect(store.stats.syncedOnLoop).toBe(0)
        expect(db.pragma('synchronous', { simple: true })).toBe(2)
        await store.close()
        db.close()
        expect(await arrayAfterReopen(dir)).toEqual(Array.from({ length: 30 }, (_, i) => i))
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    },
  )

  it('checkpoints the log itself once it has grown by a few megabytes of updates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-store-'))
    try {
      const db = openDatabase({ dataDir: dir })
      const store = new SqliteDocStore(db, { syncOnLoopBelowMs: 0 })
      const big = new Uint8Array(256 * 1024).fill(7)
      for (let i = 0; i < 24; i++) await store.append('plan:a', big)
      // A passive checkpoint now finds (almost) nothing left to copy.
      const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>
      expect((result?.log ?? 0) - (result?.checkpointed ?? 0)).toBe(0)
      expect(fs.statSync(path.join(dir, 'lever.db')).size).toBeGreaterThan(4 * 1024 * 1024)
      await store.close()
      db.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('SqliteDocStore group commit', () => {
  it('writes the appends of one tick in a single transaction', async () => {
    const db = openDatabase({ dataDir: ':memory:' })
    const store = new SqliteDocStore(db)
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    for (let i = 0; i < 100; i++) doc.getArray('a').push([i])
    await Promise.all(updates.map((u, i) => store.append(`plan:${i % 4}`, u)))
    expect(store.stats.commits).toBe(1)
    expect(store.stats.appends).toBe(100)
    await store.append('plan:0', updates[0] as Uint8Array)
    expect(store.stats.commits).toBe(2)
    db.close()
  })

  it('reads another document without committing the pending appends out of turn, and its own with them', async () => {
    const db = openDatabase({ dataDir: ':memory:' })
    const store = new SqliteDocStore(db)
    const doc = new Y.Doc()
    const updates: Uint8Array[] = []
    doc.on('update', (u: Uint8Array) => updates.push(u))
    doc.getArray('a').push([1])
    doc.getArray('a').push([2])
    const [first, second] = updates as [Uint8Array, Uint8Array]
    await store.append('plan:other', first)
    const commitsBefore = store.stats.commits
    const pending = store.append('plan:typing', first)
    // A read of a document with nothing pending leaves the tick's group as it is.
    expect((await store.load('plan:other')).rows).toBe(1)
    expect(await store.updatesAfter('plan:other', 0)).toHaveLength(1)
    expect(store.stats.commits).toBe(commitsBefore)
    // A read of the document being written sees its appends (committed for it).
    const more = store.append('plan:typing', second)
    expect((await store.load('plan:typing')).rows).toBe(2)
    expect(store.stats.commits).toBe(commitsBefore + 1)
    await Promise.all([pending, more])
    db.close()
  })

  it('rejects every append of a batch whose transaction fails, and stores none of them', async () => {
    const db = openDatabase({ dataDir: ':memory:' })
    const store = new SqliteDocStore(db)
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON doc_updates WHEN NEW.doc_name = 'plan:bad'
             BEGIN SELECT RAISE(ABORT, 'refused'); END`)
    const good = store.append('plan:good', new Uint8Array([0, 0]))
    const bad = store.append('plan:bad', new Uint8Array([0, 0]))
    await expect(good).rejects.toThrow(/refused/)
    await expect(bad).rejects.toThrow(/refused/)
    expect((await store.load('plan:good')).rows).toBe(0)
    db.close()
  })
})

describe('SqliteDocStore reading a long log', () => {
  it('reads the log as one joined value, every row byte for byte and in order, whatever the bytes', async () => {
    const db = openDatabase({ dataDir: ':memory:' })
    const store = new SqliteDocStore(db)
    // Seeded bytes of every value, NULs and invalid UTF-8 among them, and empty rows.
    let seed = 7
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0
      return seed >>> 16
    }
    const rows = Array.from({ length: 2000 }, (_, i) =>
      Uint8Array.from({ length: i % 97 === 0 ? 0 : 1 + (next() % 40) }, () => next() % 256),
    )
    const insert = db.prepare('INSERT INTO doc_updates (doc_name, data, created_at) VALUES (?, ?, 0)')
    db.transaction(() => {
      rows.forEach((row, i) => {
        insert.run('plan:long', row)
        if (i % 3 === 0) insert.run('plan:between', new Uint8Array([i % 256]))
      })
    })()
    const loaded = await store.load('plan:long')
    expect(loaded.rows).toBe(rows.length)
    expect(loaded.bytes).toBe(rows.reduce((sum, row) => sum + row.byteLength, 0))
    expect(loaded.lastSeq).toBe(
      (db.prepare("SELECT max(seq) AS s FROM doc_updates WHERE doc_name = 'plan:long'").get() as { s: number }).s,
    )
    expect(loaded.updates.map((u) => Buffer.from(u).toString('hex'))).toEqual(
      rows.map((r) => Buffer.from(r).toString('hex')),
    )
    // One allocation for the whole log, not a buffer per row.
    expect(new Set(loaded.updates.map((u) => u.buffer)).size).toBe(1)
    expect(await store.load('plan:none')).toEqual({ updates: [], lastSeq: 0, rows: 0, bytes: 0 })
    db.close()
  })

  it('accepts a layout only with every row, in increasing sequence order, and well formed', () => {
    expect(parseLogLayout('3.2,5.0,9.4', 3)).toEqual({ lengths: Uint32Array.from([2, 0, 4]), bytes: 6, lastSeq: 9 })
    expect(parseLogLayout('5.2,3.1', 2)).toBeNull()
    expect(parseLogLayout('3.2,3.1', 2)).toBeNull()
    expect(parseLogLayout('3.2,5.1', 3)).toBeNull()
    expect(parseLogLayout('3.2,5.1', 1)).toBeNull()
    for (const bad of ['', '3', '3.', '.2', '3.2,', '3.2.1', '3.-2', 'x.2', '3.2;5.1', '99999999999999999999.1']) {
      expect(parseLogLayout(bad, 1), bad).toBeNull()
    }
  })
})

describe("PostgresDocStore (the run's real PostgreSQL)", () => {
  const databases: TestDatabase[] = []
  afterAll(async () => {
    for (const database of databases.splice(0)) await database.drop()
  }, 60_000)

  /** A fresh, empty database for each test, so they never see each other's rows. */
  async function freshDatabase(): Promise<string> {
    const database = await testDatabase({ migrated: false })
    databases.push(database)
    return database.url
  }

  describeDocStoreContract('PostgresDocStore', async () => {
    const url = await freshDatabase()
    let store = await PostgresDocStore.open(url)
    return {
      get store() {
        return store
      },
      async reopen() {
        await store.close()
        store = await PostgresDocStore.open(url)
        return store
      },
      async dispose() {
        await store.close()
      },
    }
  })

  it('writes the appends of one tick in a single transaction', async () => {
    const store = await PostgresDocStore.open(await freshDatabase())
    try {
      const doc = new Y.Doc()
      const updates: Uint8Array[] = []
      doc.on('update', (u: Uint8Array) => updates.push(u))
      for (let i = 0; i < 100; i++) doc.getArray('a').push([i])
      const seqs = await Promise.all(updates.map((u, i) => store.append(`plan:${i % 4}`, u)))
      expect(store.stats).toEqual({ appends: 100, commits: 1 })
      // Each document numbers its own rows, in the order they were appended.
      expect(seqs.filter((_, i) => i % 4 === 1)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
    } finally {
      await store.close()
    }
  })

  it('loses no row when two servers append to and compact the same document at once', async () => {
    const url = await freshDatabase()
    const one = await PostgresDocStore.open(url)
    const two = await PostgresDocStore.open(url)
    try {
      // Each server holds a copy with only its own writes, as before fan-out has delivered them.
      const docOne = new Y.Doc()
      const docTwo = new Y.Doc()
      let lastOne = 0
      for (let round = 0; round < 10; round++) {
        const writes: Array<Promise<number>> = []
        for (let i = 0; i < 5; i++) {
          writes.push(one.append('plan:shared', textUpdateOf(docOne, 'one', `${round}.${i}|`)))
          writes.push(two.append('plan:shared', textUpdateOf(docTwo, 'two', `${round}.${i}|`)))
        }
        const seqs = await Promise.all(writes)
        lastOne = Math.max(...seqs)
        // Both compact with copies that each lack the other's rows.
        await Promise.all([
          one.compact('plan:shared', Y.encodeStateAsUpdate(docOne), lastOne),
          two.compact('plan:shared', Y.encodeStateAsUpdate(docTwo), lastOne),
        ])
      }
      const stored = await one.load('plan:shared')
      const all = new Y.Doc()
      for (const u of stored.updates) Y.applyUpdate(all, u)
      expect(all.getText('one').toString()).toBe(docOne.getText('one').toString())
      expect(all.getText('two').toString()).toBe(docTwo.getText('two').toString())
      expect(all.getText('one').toString().split('|').length).toBe(51)
      expect(stored.rows).toBe(1)
    } finally {
      await one.close()
      await two.close()
    }
  })
})

function textUpdateOf(doc: Y.Doc, field: string, text: string): Uint8Array {
  const before = Y.encodeStateVector(doc)
  doc.getText(field).insert(doc.getText(field).length, text)
  return Y.encodeStateAsUpdate(doc, before)
}
