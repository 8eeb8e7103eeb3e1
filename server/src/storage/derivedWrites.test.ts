import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../db/migrations.ts'
import { derivedWriter } from './derivedWrites.ts'
import { SqliteDocStore } from './SqliteDocStore.ts'

function setup() {
  const db = new Database(':memory:')
  migrate(db)
  db.exec('CREATE TABLE derived (k TEXT PRIMARY KEY, v TEXT)')
  const store = new SqliteDocStore(db)
  return { db, store, write: derivedWriter(db, store) }
}

const rows = (db: Database.Database) => db.prepare('SELECT k, v FROM derived ORDER BY k').all()

describe('derived writes', () => {
  it('are stored in the same commit as the updates appended in the same tick', async () => {
    const { db, store, write } = setup()
    const appended = store.append('plan:a', new Uint8Array([1]))
    const written = write(() => db.prepare('INSERT INTO derived VALUES (?, ?)').run('a', 'one'))
    expect(rows(db)).toEqual([])
    await Promise.all([appended, written])
    expect(rows(db)).toEqual([{ k: 'a', v: 'one' }])
    expect(store.stats.commits).toBe(1)
  })

  it('roll back only their own rows when they fail, never the updates beside them', async () => {
    const { db, store, write } = setup()
    const appended = store.append('plan:a', new Uint8Array([1]))
    const good = write(() => db.prepare('INSERT INTO derived VALUES (?, ?)').run('good', 'kept'))
    const bad = write(() => {
      db.prepare('INSERT INTO derived VALUES (?, ?)').run('bad', 'half')
      throw new Error('derived rows could not be computed')
    })
    await expect(bad).rejects.toThrow('derived rows could not be computed')
    await good
    expect(await appended).toBeGreaterThan(0)
    expect(rows(db)).toEqual([{ k: 'good', v: 'kept' }])
    expect((await store.load('plan:a')).rows).toBe(1)
  })

  it('write on their own, at once, without a store to ride along with or once it has closed', async () => {
    const { db, store } = setup()
    await derivedWriter(db, null)(() => db.prepare('INSERT INTO derived VALUES (?, ?)').run('a', 'alone'))
    await store.close()
    await derivedWriter(db, store)(() => db.prepare('INSERT INTO derived VALUES (?, ?)').run('b', 'after close'))
    expect(rows(db)).toEqual([
      { k: 'a', v: 'alone' },
      { k: 'b', v: 'after close' },
    ])
  })
})
