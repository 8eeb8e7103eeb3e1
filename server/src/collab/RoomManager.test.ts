import { describe, expect, it } from 'vitest'
import { quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { RoomManager } from './RoomManager.ts'
import { accessModePolicy } from './updatePolicy.ts'

/** Rooms over `store` that unload as soon as nobody is connected. */
const managerOver = (store: MemoryDocStore) =>
  new RoomManager({
    store,
    logger: quietLogger(),
    compaction: { maxRows: 1000, maxBytes: 1 << 30 },
    updatePolicy: accessModePolicy,
    unloadGraceMs: 0,
  })

describe('RoomManager.withRoom', () => {
  it('keeps the room loaded until asynchronous work is done, and resolves once its change is durable', async () => {
    const store = new MemoryDocStore()
    const rooms = managerOver(store)
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

/** A store whose appends wait, between `hold()` and `release()`, as on a slow disk. */
class GatedStore extends MemoryDocStore {
  private gate: Promise<void> = Promise.resolve()
  private opening: () => void = () => {}
  hold() {
    this.gate = new Promise((resolve) => {
      this.opening = resolve
    })
  }
  release() {
    this.opening()
  }
  override async append(docName: string, update: Uint8Array): Promise<number> {
    await this.gate
    return super.append(docName, update)
  }
}

describe('RoomManager unloading', () => {
  it('loads a document again only once its previous room has finished its writes', async () => {
    const store = new GatedStore()
    const rooms = managerOver(store)
    const first = rooms.get('plan:a')
    await first.loaded
    store.hold()
    first.transactServer((doc) => doc.getText('t').insert(0, 'written before the unload'))
    // Nobody is connected: the room unloads while its write is still on its way to disk.
    ;(rooms as unknown as { scheduleUnload(room: unknown): void }).scheduleUnload(first)
    await new Promise<void>((resolve) => {
      const check = () => (rooms.peek('plan:a') === undefined ? resolve() : setImmediate(check))
      check()
    })
    // Someone opens the document again: the new room waits for the old one's write.
    const second = rooms.get('plan:a')
    expect(second).not.toBe(first)
    store.release()
    await second.loaded
    expect(second.doc.getText('t').toString()).toBe('written before the unload')
    await rooms.closeAll(1001, 'test over')
  })
})
