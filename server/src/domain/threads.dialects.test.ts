import { DocKind, ThreadsModel, threadDocName } from '@lever/shared'
import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { DocumentTypes } from '../collab/documentTypes.ts'
import { openDatabase } from '../db/openDatabase.ts'
import { type Db, sqliteQueries } from '../db/queries.ts'
import { groupCommitRunner, transactionRunner } from '../db/queryScripts.ts'
import { quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { SqliteDocStore } from '../storage/SqliteDocStore.ts'
import { describeDialects } from '../testing/dialects.ts'
import { testRooms } from '../testing/rooms.ts'
import { planDocumentType } from './planDocuments.ts'
import { PlanService } from './plans.ts'
import { PlanThreads } from './threadDocuments.ts'
import { type IndexedThread, ThreadIndex } from './threadIndex.ts'

const NOW = '2026-12-01T10:00:00.000Z'

/** A jurisdiction, three people and two plans, as rows the index's tables refer to. */
async function seed(db: Db): Promise<void> {
  await db
    .insertInto('jurisdictions')
    .values({ id: 'j1', name: 'Boulder', kind: 'city', state: 'CO', agency: 'Office' })
    .execute()
  await db
    .insertInto('users')
    .values(
      ['ana', 'ben', 'cy'].map((id) => ({
        id,
        email: `${id}@example.gov`,
        name: id.toUpperCase(),
        role: 'member',
        jurisdiction_id: 'j1',
        created_at: NOW,
        updated_at: NOW,
      })),
    )
    .execute()
  await db
    .insertInto('plans')
    .values(
      ['p1', 'p2'].map((id) => ({
        id,
        jurisdiction_id: 'j1',
        title: `Plan ${id}`,
        doc_name: `plan:${id}`,
        created_at: NOW,
        updated_at: NOW,
      })),
    )
    .execute()
}

function thread(planId: string, threadId: string, over: Partial<IndexedThread> = {}): IndexedThread {
  return {
    planId,
    threadId,
    visibility: 'team',
    status: 'open',
    authorId: 'ana',
    authorName: 'Ana',
    anchorLabel: 'Theory of change',
    quote: '',
    orphaned: false,
    commentCount: 1,
    createdAt: NOW,
    lastCommentAt: NOW,
    lastCommentBy: 'ana',
    lastCommentByName: 'Ana',
    excerpt: 'A first word',
    mentions: [],
    ...over,
  }
}

const all = (...ids: string[]) => new Set(ids)

describeDialects('ThreadIndex', (fresh) => {
  it('replaces a plan’s rows and mentions (many, in several statements), leaving other plans alone', async () => {
    const { db } = await fresh()
    await seed(db)
    const index = new ThreadIndex(db)
    const told: string[] = []
    index.onUpdate((planId) => told.push(planId))
    await index.update('p2', [thread('p2', 'other', { mentions: ['ben'] })])
    const many = Array.from({ length: 130 }, (_, i) =>
      thread('p1', `t${String(i).padStart(3, '0')}`, { mentions: ['ben', 'cy', 'ben'], orphaned: i % 2 === 0 }),
    )
    await index.update('p1', many)
    expect(told).toEqual(['p2', 'p1'])
    const count = async (table: 'thread_index' | 'thread_mentions', planId: string) =>
      (await db.selectFrom(table).select('plan_id').where('plan_id', '=', planId).execute()).length
    expect(await count('thread_index', 'p1')).toBe(130)
    expect(await count('thread_mentions', 'p1')).toBe(260)

    await index.update('p1', [thread('p1', 'only', { authorId: 'cy' })])
    expect(await count('thread_index', 'p1')).toBe(1)
    expect(await count('thread_mentions', 'p1')).toBe(0)
    expect(await count('thread_mentions', 'p2')).toBe(1)
    expect(await index.hasThreads('p1')).toBe(true)
    expect(await index.authorOf('p1', 'only')).toBe('cy')
    expect(await index.authorOf('p1', 't000')).toBeNull()
    expect(await index.authorsOf('p2')).toEqual(new Map([['other', 'ana']]))

    await index.update('p1', [])
    expect(await index.hasThreads('p1')).toBe(false)
    expect(await index.hasThreads('p2')).toBe(true)
  })

  it('keeps a plan’s rows as they were when an update fails part way (all or nothing)', async () => {
    const { db } = await fresh()
    await seed(db)
    const index = new ThreadIndex(db)
    await index.update('p1', [thread('p1', 'kept', { mentions: ['ben'] })])
    // The same thread twice breaks the key after the old rows were deleted and the first inserted.
    const twice = [thread('p1', 'a'), thread('p1', 'a')]
    await expect(index.update('p1', twice)).rejects.toThrow()
    expect(await index.authorsOf('p1')).toEqual(new Map([['kept', 'ana']]))
    expect(await db.selectFrom('thread_mentions').select('user_id').execute()).toEqual([{ user_id: 'ben' }])
  })

  it('lists a person’s inbox: mentions anywhere they may see, open threads on plans they answer for, newest first', async () => {
    const { db } = await fresh()
    await seed(db)
    const index = new ThreadIndex(db)
    await index.update('p1', [
      thread('p1', 'mention', { mentions: ['ben'], status: 'resolved', lastCommentAt: '2026-12-01T12:00:00.000Z' }),
      thread('p1', 'open', { lastCommentAt: '2026-12-01T11:00:00.000Z', orphaned: true, quote: 'the words' }),
      thread('p1', 'resolved', { status: 'resolved' }),
    ])
    await index.update('p2', [
      thread('p2', 'team-only', { mentions: ['ben'], visibility: 'team' }),
      thread('p2', 'for-all', { mentions: ['ben'], visibility: 'all', lastCommentBy: 'ben' }),
    ])
    const items = await index.inbox('ben', all('p1'), all('p1', 'p2'), all('p1'))
    expect(items.map((i) => [i.planId, i.threadId])).toEqual([
      ['p1', 'mention'],
      ['p1', 'open'],
      ['p2', 'for-all'],
    ])
    const [mention, open, forAll] = items
    expect(mention).toMatchObject({ mentionsMe: true, status: 'resolved', unread: true, planTitle: 'Plan p1' })
    expect(mention).toMatchObject({ jurisdictionId: 'j1', visibility: 'team', orphaned: false, commentCount: 1 })
    expect(open).toMatchObject({ mentionsMe: false, orphaned: true, quote: 'the words', unread: true })
    // Their own last word is never unread.
    expect(forAll).toMatchObject({ mentionsMe: true, visibility: 'all', unread: false })
    // Not responsible for p1: only the mention; p1 not visible at all: nothing of it.
    expect((await index.inbox('ben', all(), all('p1'), all('p1'))).map((i) => i.threadId)).toEqual(['mention'])
    expect(await index.inbox('ben', all('p1'), all(), all())).toEqual([])
  })

  it('marks threads read until a newer comment, and keeps the later of two marks whatever their order', async () => {
    const { db } = await fresh()
    await seed(db)
    const index = new ThreadIndex(db)
    await index.update('p1', [thread('p1', 't', { lastCommentAt: '2026-12-01T11:00:00.000Z' })])
    const unread = async () => (await index.inbox('ben', all('p1'), all('p1'), all('p1')))[0]?.unread
    expect(await unread()).toBe(true)
    await index.markRead('ben', 'p1', 't', new Date('2026-12-01T12:00:00.000Z'))
    expect(await unread()).toBe(false)
    // A mark that arrives late (an older request) does not make the thread unread again.
    await index.markRead('ben', 'p1', 't', new Date('2026-12-01T10:30:00.000Z'))
    expect(await unread()).toBe(false)
    await index.update('p1', [thread('p1', 't', { lastCommentAt: '2026-12-01T13:00:00.000Z' })])
    expect(await unread()).toBe(true)
    await Promise.all([
      index.markRead('ben', 'p1', 't', new Date('2026-12-01T14:00:00.000Z')),
      index.markRead('ben', 'p1', 't', new Date('2026-12-01T13:30:00.000Z')),
    ])
    const reads = await db.selectFrom('thread_reads').select(['user_id', 'read_at']).execute()
    expect(reads).toEqual([{ user_id: 'ben', read_at: '2026-12-01T14:00:00.000Z' }])
  })

  it('runs its update script through a transaction runner given explicitly', async () => {
    const { db } = await fresh()
    await seed(db)
    const index = new ThreadIndex(db)
    await index.update('p1', [thread('p1', 't', { mentions: ['cy'] })], transactionRunner(db))
    expect(await index.inbox('cy', all(), all('p1'), all('p1'))).toHaveLength(1)
  })
})

describeDialects('PlanThreads', (fresh) => {
  it('indexes a plan’s threads from its stored documents, and marks stored plans upgraded once', async () => {
    const { db } = await fresh()
    await seed(db)
    {
      const store = new MemoryDocStore()
      const plans = new PlanService(db, store)
      const plan = await plans.create({ jurisdictionId: 'j1', title: 'Housing' })
      const doc = new Y.Doc()
      new ThreadsModel(doc)
        .create({
          anchor: { kind: 'initiative', initiativeId: 'i1' },
          author: { id: 'ana', name: 'Ana' },
          body: 'Who owns this?',
          mentions: ['ben'],
        })
        .reply({ id: 'ben', name: 'Ben' }, 'I do')
      await store.append(threadDocName(plan.id, 'all'), Y.encodeStateAsUpdate(doc))
      doc.destroy()
      const index = new ThreadIndex(db)
      const threads = new PlanThreads({
        queries: db,
        plans,
        store,
        index,
        logger: quietLogger(),
        write: transactionRunner(db),
      })
      // A plan whose thread documents did not change since it was indexed (none) is left alone.
      await threads.reindex(plan.id)
      expect(await index.hasThreads(plan.id)).toBe(false)
      threads.indexHook.afterChange?.(null as never, plan.id, DocKind.PlanThreadsAll, null as never)
      await threads.indexHook.flush()
      const [item] = await index.inbox('ben', all(), all(plan.id), all())
      expect(item).toMatchObject({
        visibility: 'all',
        mentionsMe: true,
        commentCount: 2,
        lastCommentBy: 'ben',
        excerpt: 'I do',
      })

      expect(await threads.upgradeStoredPlans()).toBe(0)
      expect(await db.selectFrom('document_upgrades').select('name').execute()).toEqual([
        { name: 'plan-threads-moved' },
      ])
      expect(await threads.upgradeStoredPlans()).toBe(0)
    }
  })
})

describeDialects('PlanThreads.authorOf', (fresh) => {
  it('knows who started the threads of a loaded plan from the index, read once as the plan loads', async () => {
    const { db } = await fresh()
    await seed(db)
    const store = new MemoryDocStore()
    const plans = new PlanService(db, store)
    const index = new ThreadIndex(db)
    const threads = new PlanThreads({ queries: db, plans, store, index, logger: quietLogger() })
    // Plans as the server declares them: the plan kind (which reads the authors while the plan
    // loads) and the thread index's hook.
    const documents = new DocumentTypes()
      .register(planDocumentType(plans, threads, quietLogger(), () => {}, transactionRunner(db)))
      .addHook(threads.indexHook)
    const rooms = testRooms(store, documents, { onDurableChange: undefined })
    threads.attach(rooms)
    const authorReads = vi.spyOn(index, 'authorsOf')
    try {
      // Cy's thread, stored and indexed earlier (by this server before a restart, or by another).
      const stored = new Y.Doc()
      const byCy = new ThreadsModel(stored).create({
        anchor: { kind: 'initiative', initiativeId: 'i1' },
        author: { id: 'cy', name: 'CY' },
        body: 'Who funds this?',
      }).id
      await store.append(threadDocName('p1', 'team'), Y.encodeStateAsUpdate(stored))
      stored.destroy()
      await index.update('p1', [thread('p1', byCy, { authorId: 'cy' })])
      expect(threads.authorOf('p1', byCy)).toBeNull() // the plan is not loaded here
      // As soon as the plan is loaded (before any client is answered), with no thread document in memory.
      const whileLoaded = await rooms.withRoom('plan:p1', () => ({
        author: threads.authorOf('p1', byCy),
        nobody: threads.authorOf('p1', 'nobody'),
        threadDocLoaded: rooms.peek(threadDocName('p1', 'team')) !== undefined,
      }))
      expect(whileLoaded).toEqual({ author: 'cy', nobody: null, threadDocLoaded: false })
      await threads.indexHook.flush()
      expect(threads.authorOf('p1', byCy)).toBe('cy')
      // One read of the authors per load of the plan.
      expect(authorReads).toHaveBeenCalledTimes(1)
      expect(authorReads).toHaveBeenCalledWith('p1')
      await rooms.closeAll(1001, 'test over')
      expect(threads.authorOf('p1', byCy)).toBeNull()
    } finally {
      authorReads.mockRestore()
      await rooms.closeAll(1001, 'test over')
    }
  })
})

describe('ThreadIndex in the group commit (SQLite)', () => {
  it('stores a plan’s rows in the same commit as the updates appended beside them', async () => {
    const sqlite = openDatabase({ dataDir: ':memory:' })
    const db = sqliteQueries(sqlite)
    await seed(db)
    const store = new SqliteDocStore(sqlite)
    const index = new ThreadIndex(db)
    const appended = store.append('plan-threads-team:p1', new Uint8Array([1]))
    const updated = index.update('p1', [thread('p1', 't', { mentions: ['ben'] })], groupCommitRunner(sqlite, store))
    await Promise.all([appended, updated])
    expect(store.stats.commits).toBe(1)
    expect(await index.authorsOf('p1')).toEqual(new Map([['t', 'ana']]))
    expect(sqlite.prepare('SELECT user_id FROM thread_mentions').all()).toEqual([{ user_id: 'ben' }])
    // A failing script rolls back only its own rows.
    await expect(
      index.update('p1', [thread('p1', 'a'), thread('p1', 'a')], groupCommitRunner(sqlite, store)),
    ).rejects.toThrow()
    expect(await index.authorsOf('p1')).toEqual(new Map([['t', 'ana']]))
    await db.destroy()
    sqlite.close()
  })
})
