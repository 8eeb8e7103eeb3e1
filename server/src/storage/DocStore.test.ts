import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Database } from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { openDatabase } from '../db/openDatabase.ts'
import { describeDocStoreContract } from './docStoreContract.ts'
import { MemoryDocStore } from './MemoryDocStore.ts'
import { SqliteDocStore } from './SqliteDocStore.ts'

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

describe('SqliteDocStore on a file (commits synced off the event loop)', () => {
  it('keeps the connection at FULL with automatic checkpoints for every other write, and its commits in order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-store-'))
    try {
      let db = openDatabase({ dataDir: dir })
      const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true })
      let store = new SqliteDocStore(db)
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
      db = openDatabase({ dataDir: dir })
      store = new SqliteDocStore(db)
      const loaded = new Y.Doc()
      for (const u of (await store.load('plan:a')).updates) Y.applyUpdate(loaded, u)
      expect(loaded.getArray('a').toJSON()).toEqual(Array.from({ length: 50 }, (_, i) => i))
      await store.close()
      db.close()
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('checkpoints the log itself once it has grown by a few megabytes of updates', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-store-'))
    try {
      const db = openDatabase({ dataDir: dir })
      const store = new SqliteDocStore(db)
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
