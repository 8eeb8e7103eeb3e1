import type { ThreadModel, ThreadSnapshot } from '@lever/shared'
import type * as Y from 'yjs'

/**
 * Reads of the plan's threads, kept while no thread document changed. The comments sidebar
 * lists every thread once a frame in which anything changed; on a large plan that is a hundred
 * threads read again (their comments, reactions and anchor) for each keystroke in the prose,
 * which changes none of them.
 */
export class ThreadSnapshots {
  private seen = -1
  private cache = new WeakMap<Y.Map<unknown>, ThreadSnapshot>()

  /** `changes` counts changes to the thread documents (`PlanSession.threadChanges`). */
  constructor(private readonly changes: () => number) {}

  of = (thread: ThreadModel): ThreadSnapshot => {
    const changes = this.changes()
    if (changes !== this.seen) {
      this.cache = new WeakMap()
      this.seen = changes
    }
    let snapshot = this.cache.get(thread.map)
    if (!snapshot) {
      snapshot = thread.snapshot()
      this.cache.set(thread.map, snapshot)
    }
    return snapshot
  }
}
