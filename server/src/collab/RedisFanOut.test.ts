import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { startTestRedis, type TestRedis } from '../testing/services.ts'
import type { DurableChange } from './changeOrigin.ts'
import { RedisFanOut } from './RedisFanOut.ts'
import { Room } from './Room.ts'
import { accessModePolicy } from './updatePolicy.ts'

/** A server of the test: a fan-out on the shared Redis, and its rooms on the shared store. */
function server(redis: TestRedis, store: MemoryDocStore) {
  const fanOut = new RedisFanOut({
    url: redis.url,
    rooms: { peek: () => undefined },
    store,
    logger: quietLogger(),
    gapWaitMs: 50,
  })
  const changes: DurableChange[] = []
  const open = async (docName: string) => {
    const room = new Room({
      docName,
      store,
      logger: quietLogger(),
      compaction: { maxRows: 1000, maxBytes: 1 << 30 },
      updatePolicy: accessModePolicy,
      onEmpty: () => {},
      onClosed: () => {},
      onLoaded: (r) => fanOut.hook.onLoad?.(r, docName, 'plan'),
      onDurableChange: (r, change) => {
        changes.push(change)
        fanOut.hook.afterChange?.(r, docName, 'plan', change)
      },
    })
    await room.loaded
    return room
  }
  return { fanOut, changes, open }
}

async function until(check: () => boolean, message: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${message}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('RedisFanOut (a real Redis the test starts)', () => {
  let redis: TestRedis
  const store = new MemoryDocStore()
  let one: ReturnType<typeof server>
  let two: ReturnType<typeof server>

  beforeAll(async () => {
    redis = await startTestRedis()
    one = server(redis, store)
    two = server(redis, store)
    await Promise.all([one.fanOut.ready(), two.fanOut.ready()])
  }, 60_000)
  afterAll(async () => {
    await one?.fanOut.close()
    await two?.fanOut.close()
    await redis?.stop()
  })

  it("applies another server's change as a peer's: not stored again, not sent back", async () => {
    const [a, b] = await Promise.all([one.open('plan:peer'), two.open('plan:peer')])
    await Promise.all([one.fanOut.subscribed('plan:peer'), two.fanOut.subscribed('plan:peer')])
    a.transactServer((doc) => doc.getText('t').insert(0, 'hello'), { userId: 'u-1' })
    await until(() => b.doc.getText('t').toString() === 'hello', 'the change on the other server')
    await until(() => two.changes.some((c) => c.origin.kind === 'peer'), 'the peer change to reach the hooks')
    const peer = two.changes.find((c) => c.origin.kind === 'peer')
    expect(peer?.author).toBe('u-1')
    expect(peer?.origin).toEqual({ kind: 'peer', instanceId: one.fanOut.instanceId })
    await a.whenDurable()
    await b.whenDurable()
    expect((await store.load('plan:peer')).rows).toBe(1)
    expect(one.changes.filter((c) => c.origin.kind === 'peer')).toEqual([])
  })

  it('reads a row it never got a message for from the store, once a later one shows the gap', async () => {
    const [a, b] = await Promise.all([one.open('plan:gap'), two.open('plan:gap')])
    await Promise.all([one.fanOut.subscribed('plan:gap'), two.fanOut.subscribed('plan:gap')])
    // A row stored without a message (as if Redis had dropped it)…
    const elsewhere = new Y.Doc()
    elsewhere.getText('lost').insert(0, 'stored, never published')
    await store.append('plan:gap', Y.encodeStateAsUpdate(elsewhere))
    // …then a change that is published: its sequence number tells both servers one is missing.
    a.transactServer((doc) => doc.getText('t').insert(0, 'after the gap'))
    for (const room of [a, b]) {
      await until(() => room.doc.getText('lost').toString() === 'stored, never published', 'the caught-up row')
    }
    await until(() => b.doc.getText('t').toString() === 'after the gap', 'the published change')
  })
})
