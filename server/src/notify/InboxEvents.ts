import { planAccess, type User } from '@lever/shared'
import type { PlanService } from '../domain/plans.ts'
import type { ThreadIndex } from '../domain/threadIndex.ts'

/** Most live inbox streams one person may hold open (tabs); the oldest is closed past it. */
export const MAX_STREAMS_PER_PERSON = 8

type Listener = () => void

/**
 * Tells open pages that someone's inbox may have changed, so the unread badge refreshes at once
 * instead of on a timer: when a plan's threads are re-indexed (everyone who may see the plan) and
 * when the person marks a thread read (their other tabs). Streams live in this process: with
 * several servers each tells the pages connected to it, after its own index refresh.
 */
export class InboxEvents {
  private readonly streams = new Map<string, Array<{ user: User; notify: Listener; close: () => void }>>()

  constructor(
    threads: ThreadIndex,
    private readonly plans: PlanService,
  ) {
    threads.onUpdate((planId) => this.planChanged(planId))
  }

  /** Registers a page's stream; returns the function that removes it. */
  subscribe(user: User, notify: Listener, close: () => void): () => void {
    const list = this.streams.get(user.id) ?? []
    const entry = { user, notify, close }
    list.push(entry)
    this.streams.set(user.id, list)
    if (list.length > MAX_STREAMS_PER_PERSON) list[0]?.close()
    return () => {
      const current = this.streams.get(user.id)
      if (!current) return
      const rest = current.filter((e) => e !== entry)
      if (rest.length) this.streams.set(user.id, rest)
      else this.streams.delete(user.id)
    }
  }

  /** The person's own inbox changed (a thread marked read). */
  userChanged(userId: string): void {
    for (const e of this.streams.get(userId) ?? []) e.notify()
  }

  private planChanged(planId: string): void {
    const plan = this.plans.get(planId)
    if (!plan) return
    for (const list of this.streams.values()) {
      for (const e of list) if (planAccess(e.user, plan)) e.notify()
    }
  }

  get size(): number {
    let n = 0
    for (const list of this.streams.values()) n += list.length
    return n
  }
}
