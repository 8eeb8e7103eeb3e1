import { describe, expect, it } from 'vitest'
import { SqliteDocStore } from '../storage/SqliteDocStore.ts'
import { describeDialects } from '../testing/dialects.ts'
import { openDatabase } from './openDatabase.ts'
import type { Db } from './queries.ts'
import { sqliteQueries } from './queries.ts'
import { first, groupCommitRunner, type QueryScript, rows, run, transactionRunner } from './queryScripts.ts'

/** Marks a document upgraded unless it already is; gives what it found and how many rows it added. */
function markUpgraded(db: Db, name: string) {
  return function* (): QueryScript<{ before: number; added: number }> {
    const before = yield* rows(db.selectFrom('document_upgrades').select('name').where('name', '=', name))
    const added = yield* run(
      db
        .insertInto('document_upgrades')
        .values({ name })
        .onConflict((oc) => oc.column('name').doNothing()),
    )
    return { before: before.length, added }
  }
}

describeDialects('query scripts in a transaction', (fresh) => {
  it('run each yielded query and give the script its rows and changes', async () => {
    const { db } = await fresh()
    const write = transactionRunner(db)
    expect(await write(markUpgraded(db, 'plan:a'))).toEqual({ before: 0, added: 1 })
    expect(await write(markUpgraded(db, 'plan:a'))).toEqual({ before: 1, added: 0 })
    const found = await write(function* () {
      return yield* first(db.selectFrom('document_upgrades').select('name').where('name', '=', 'plan:a'))
    })
    expect(found).toEqual({ name: 'plan:a' })
  })

  it('store none of a script’s rows when it fails part way', async () => {
    const { db } = await fresh()
    const write = transactionRunner(db)
    await expect(
      write(function* () {
        yield* run(db.insertInto('document_upgrades').values({ name: 'plan:half' }))
        throw new Error('the derived rows could not be computed')
      }),
    ).rejects.toThrow('could not be computed')
    expect(await db.selectFrom('document_upgrades').selectAll().execute()).toEqual([])
  })
})

describe('query scripts in the group commit (SQLite)', () => {
  it('are stored in the same commit as the updates appended in the same tick', async () => {
    const sqlite = openDatabase({ dataDir: ':memory:' })
    const db = sqliteQueries(sqlite)
    const store = new SqliteDocStore(sqlite)
    const write = groupCommitRunner(sqlite, store)
    const appended = store.append('plan:a', new Uint8Array([1]))
    const written = write(markUpgraded(db, 'plan:a'))
    expect(sqlite.prepare('SELECT count(*) AS n FROM document_upgrades').get()).toEqual({ n: 0 })
    expect(await written).toEqual({ before: 0, added: 1 })
    await appended
    expect(store.stats.commits).toBe(1)
    expect(sqlite.prepare('SELECT name FROM document_upgrades').all()).toEqual([{ name: 'plan:a' }])
    await store.close()
  })

  it('roll back only their own rows when they fail, never the updates beside them', async () => {
    const sqlite = openDatabase({ dataDir: ':memory:' })
    const db = sqliteQueries(sqlite)
    const store = new SqliteDocStore(sqlite)
    const write = groupCommitRunner(sqlite, store)
    const appended = store.append('plan:a', new Uint8Array([1]))
    const good = write(markUpgraded(db, 'plan:kept'))
    const bad = write(function* () {
      yield* run(db.insertInto('document_upgrades').values({ name: 'plan:half' }))
      throw new Error('the derived rows could not be computed')
    })
    await expect(bad).rejects.toThrow('could not be computed')
    await good
    expect(await appended).toBeGreaterThan(0)
    expect(sqlite.prepare('SELECT name FROM document_upgrades').all()).toEqual([{ name: 'plan:kept' }])
    await store.close()
  })

  it('never let the document log commit inside a transaction of the query layer (which could roll it back)', async () => {
    const sqlite = openDatabase({ dataDir: ':memory:' })
    const db = sqliteQueries(sqlite)
    const store = new SqliteDocStore(sqlite)
    const appended = store.append('plan:a', new Uint8Array([1]))
    const reads: Array<Promise<unknown>> = []
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('document_upgrades').values({ name: 'plan:x' }).execute()
        // Another part of the server reads the document meanwhile: its pending append commits first.
        reads.push(store.load('plan:a'), store.list(), store.flush())
        await tx.selectFrom('document_upgrades').selectAll().execute()
        throw new Error('this transaction is rolled back')
      }),
    ).rejects.toThrow('rolled back')
    await Promise.all(reads)
    expect(await appended).toBeGreaterThan(0)
    expect((await store.load('plan:a')).rows).toBe(1)
    expect(sqlite.prepare('SELECT count(*) AS n FROM doc_updates').get()).toEqual({ n: 1 })
    await store.close()
  })

  it('run at once in a transaction of their own without a document store', async () => {
    const sqlite = openDatabase({ dataDir: ':memory:' })
    const db = sqliteQueries(sqlite)
    expect(await groupCommitRunner(sqlite, null)(markUpgraded(db, 'plan:b'))).toEqual({ before: 0, added: 1 })
  })
})
