import { planAccess, type User } from '@lever/shared'
import type { PlanService } from '../domain/plans.ts'
import type { ThreadIndex } from '../domain/threadIndex.ts'

/** Most live inbox streams one person may hold open (tabs); the oldest is closed past it. */
export const MAX_STREAMS_PER_PERSON = 8

/** What a page is told: its inbox may have changed, or something of a kind (`changed`, with the kind). */
export type LiveEvent = { name: 'inbox' } | { name: 'changed'; topic: string }

type Listener = (event: LiveEvent) => void

/** Changes of one kind within this long are told once (a burst of edits, one refresh). */
const CHANGE_COALESCE_MS = 250

/**
 * Tells open pages that someone's inbox may have changed, so the unread badge refreshes at once
 * instead of on a timer: when a plan's threads are re-indexed (everyone who may see the plan) and
 * when the person marks a thread read (their other tabs). Also tells every page when something of
 * a kind was changed through the API (`changed` with the kind: `sessions`, `plans`…, never what or
 * by whom), so lists refresh when they change; each page then asks again with its own rights.
 * Streams live in this process: with several servers each tells the pages connected to it.
 */
export class InboxEvents {
  private readonly streams = new Map<string, Array<{ user: User; notify: Listener; close: () => void }>>()

  private readonly pendingTopics = new Set<string>()
  private topicTimer: NodeJS.Timeout | null = null

  constructor(
    threads: ThreadIndex,
    private readonly plans: PlanService,
  ) {
    // A plan that cannot be read now (the database is busy or gone) tells no page: the next change will.
    threads.onUpdate((planId) => void this.planChanged(planId).catch(() => {}))
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
    for (const e of this.streams.get(userId) ?? []) e.notify({ name: 'inbox' })
  }

  /** Something of this kind changed: every open page is told, at most once per short interval. */
  changed(topic: string): void {
    this.pendingTopics.add(topic)
    this.topicTimer ??= setTimeout(() => {
      this.topicTimer = null
      const topics = [...this.pendingTopics]
      this.pendingTopics.clear()
      for (const list of this.streams.values())
        for (const e of list) for (const t of topics) e.notify({ name: 'changed', topic: t })
    }, CHANGE_COALESCE_MS)
    this.topicTimer.unref()
  }

  private async planChanged(planId: string): Promise<void> {
    const plan = await this.plans.get(planId).catch(() => null)
    if (!plan) return
    for (const list of this.streams.values()) {
      for (const e of list) if (planAccess(e.user, plan)) e.notify({ name: 'inbox' })
    }
  }

  get size(): number {
    let n = 0
    for (const list of this.streams.values()) n += list.length
    return n
  }
}
