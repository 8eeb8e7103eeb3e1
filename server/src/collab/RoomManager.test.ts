import { describe, expect, it } from 'vitest'
import { quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { RoomManager } from './RoomManager.ts'
import { accessModePolicy } from './updatePolicy.ts'

describe('RoomManager.withRoom', () => {
  it('keeps the room loaded until asynchronous work is done, and resolves once its change is durable', async () => {
    const store = new MemoryDocStore()
    const rooms = new RoomManager({
      store,
      logger: quietLogger(),
      compaction: { maxRows: 1000, maxBytes: 1 << 30 },
      updatePolicy: accessModePolicy,
      unloadGraceMs: 0,
    })
    let release: () => void = () => {}
    const slow = new Promise<void>((resolve) => {
      release = resolve
    })
    const done = rooms.withRoom('plan:a', async (room) => {
      await slow // a version being stored first, say
      room.transactServer((doc) => doc.getText('t').insert(0, 'after the wait'))
      return 'written'
    })
    // Several turns of the event loop pass, past the (zero) grace period: the room stays.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(rooms.peek('plan:a')).toBeDefined()
    release()
    expect(await done).toBe('written')
    const stored = await store.load('plan:a')
    expect(stored.rows).toBeGreaterThan(0)
    await rooms.closeAll(1001, 'test over')
  })
})
