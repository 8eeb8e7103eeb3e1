import { useEffect, useSyncExternalStore } from 'react'
import { fetchInbox, markThreadRead } from '../api/comments.ts'
import { useLiveEvents } from '../api/liveEvents.ts'
import { queryClient } from '../api/queryClient.ts'

/**
 * How often the unread count is refreshed anyway. The server tells open pages when the inbox
 * changes (a server-sent event stream), so this is only a safety net for a stream that dropped.
 */
const POLL_MS = 5 * 60_000

let unread: number | null = null
let inflight: Promise<void> | null = null
const listeners = new Set<() => void>()

function set(next: number | null): void {
  if (next === unread) return
  unread = next
  for (const listener of listeners) listener()
}

/** Asks the server how many inbox threads are unread (one request at a time). */
export function refreshUnread(): Promise<void> {
  inflight ??= fetchInbox('unread')
    .then(
      (inbox) => set(inbox.unread),
      () => {
        // Keep the last count; the next refresh tries again.
      },
    )
    .finally(() => {
      inflight = null
    })
  return inflight
}

/** Marks a thread read and refreshes the count; failures are harmless (it stays unread). */
export async function markRead(planId: string, threadId: string): Promise<void> {
  try {
    await markThreadRead(planId, threadId)
  } catch {
    return
  }
  await refreshUnread()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function onInboxEvent(): void {
  void refreshUnread()
  void queryClient.invalidateQueries({ queryKey: ['inbox'] })
  void queryClient.invalidateQueries({ queryKey: ['home'] })
}

/** The number of unread inbox threads (null until known), kept fresh while mounted. */
export function useUnreadCount(enabled: boolean): number | null {
  useEffect(() => {
    if (!enabled) {
      set(null)
      return
    }
    void refreshUnread()
    const timer = window.setInterval(() => void refreshUnread(), POLL_MS)
    const onFocus = () => void refreshUnread()
    window.addEventListener('focus', onFocus)
    return () => {
      window.clearInterval(timer)
      window.removeEventListener('focus', onFocus)
    }
  }, [enabled])
  useLiveEvents(enabled, onInboxEvent)
  return useSyncExternalStore(subscribe, () => unread)
}
