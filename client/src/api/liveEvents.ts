import { useEffect } from 'react'
import { invalidateTopic } from './queryClient.ts'

type Listener = () => void

let source: EventSource | null = null
let users = 0
const inboxListeners = new Set<Listener>()

function open(): void {
  if (source || typeof EventSource === 'undefined') return
  // The browser reconnects the stream by itself after a network drop or a server restart.
  source = new EventSource('/api/notifications/events')
  source.addEventListener('inbox', () => {
    for (const l of inboxListeners) l()
  })
  source.addEventListener('changed', (e) => {
    try {
      const { topic } = JSON.parse((e as MessageEvent<string>).data) as { topic?: unknown }
      if (typeof topic === 'string') void invalidateTopic(topic)
    } catch {
      // A malformed event changes nothing.
    }
  })
}

/**
 * Keeps the page's one stream of server events open while mounted (signed in): kinds of change
 * refresh cached lists, and `onInbox` hears that the person's inbox may have changed.
 */
export function useLiveEvents(enabled: boolean, onInbox?: Listener): void {
  useEffect(() => {
    if (!enabled) return
    users += 1
    open()
    if (onInbox) inboxListeners.add(onInbox)
    return () => {
      if (onInbox) inboxListeners.delete(onInbox)
      users -= 1
      if (users === 0) {
        source?.close()
        source = null
      }
    }
  }, [enabled, onInbox])
}
