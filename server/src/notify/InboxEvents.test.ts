import { describe, expect, it } from 'vitest'
import { openDatabase } from '../db/openDatabase.ts'
import { sqliteQueries } from '../db/queries.ts'
import { PlanService } from '../domain/plans.ts'
import { ThreadIndex } from '../domain/threadIndex.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { InboxEvents, type LiveEvent } from './InboxEvents.ts'

describe('InboxEvents: kinds of change', () => {
  const db = openDatabase({ dataDir: ':memory:' })

  it('tells every open page of a burst of changes of one kind once, and of each kind', async () => {
    const events = new InboxEvents(
      new ThreadIndex(sqliteQueries(db)),
      new PlanService(sqliteQueries(db), new MemoryDocStore()),
    )
    const user = { id: 'u1', role: 'member', jurisdictionId: 'boulder-co' } as never
    const heard: LiveEvent[] = []
    const other: LiveEvent[] = []
    events.subscribe(
      user,
      (e) => heard.push(e),
      () => {},
    )
    events.subscribe(
      { ...(user as object), id: 'u2' } as never,
      (e) => other.push(e),
      () => {},
    )
    events.changed('sessions')
    events.changed('sessions')
    events.changed('sessions')
    events.changed('plans')
    await expect.poll(() => heard.length).toBe(2)
    expect(heard).toEqual([
      { name: 'changed', topic: 'sessions' },
      { name: 'changed', topic: 'plans' },
    ])
    expect(other).toEqual(heard)
    events.changed('sessions')
    await expect.poll(() => heard.length).toBe(3)
  })
})
