import { useRef, useSyncExternalStore } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import type { PresenceFocus } from './DocSession.ts'

export interface Peer {
  clientId: number
  name: string
  color: string
  focus: PresenceFocus
  isSelf: boolean
}

function isFocus(value: unknown): value is Exclude<PresenceFocus, null> {
  const f = value as { kind?: unknown; id?: unknown } | null
  return (f?.kind === 'section' || f?.kind === 'initiative') && typeof f.id === 'string'
}

function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = []
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: { name?: unknown; color?: unknown } }).user
    if (!user || typeof user.name !== 'string') continue
    peers.push({
      clientId,
      name: user.name,
      color: typeof user.color === 'string' ? user.color : '#475569',
      focus: isFocus((state as { focus?: unknown }).focus) ? (state as { focus: PresenceFocus }).focus : null,
      isSelf: clientId === awareness.clientID,
    })
  }
  // You first, then the others by name.
  return peers.sort((a, b) => (a.isSelf !== b.isSelf ? (a.isSelf ? -1 : 1) : a.name.localeCompare(b.name)))
}

interface PeerStore {
  peers: Peer[]
  subscribe(listener: () => void): () => void
}

const stores = new WeakMap<Awareness, PeerStore>()

function storeFor(awareness: Awareness): PeerStore {
  const existing = stores.get(awareness)
  if (existing) return existing
  const listeners = new Set<() => void>()
  let key = ''
  const store: PeerStore = {
    peers: [],
    subscribe(listener) {
      listeners.add(listener)
      if (listeners.size === 1) {
        awareness.on('change', onChange)
        onChange()
      }
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) awareness.off('change', onChange)
      }
    },
  }
  function onChange() {
    const next = readPeers(awareness)
    const nextKey = JSON.stringify(next)
    if (nextKey === key) return
    key = nextKey
    store.peers = next
    for (const listener of listeners) listener()
  }
  store.peers = readPeers(awareness)
  key = JSON.stringify(store.peers)
  stores.set(awareness, store)
  return store
}

/** Everyone in the plan right now (you included, first), from the provider's awareness. */
export function usePeers(awareness: Awareness): Peer[] {
  const store = storeFor(awareness)
  return useSyncExternalStore(store.subscribe, () => store.peers)
}

/** The other people whose focus is on `focus`. */
export function peersAt(peers: Peer[], kind: 'section' | 'initiative', id: string): Peer[] {
  return peers.filter((p) => !p.isSelf && p.focus?.kind === kind && p.focus.id === id)
}

function samePeers(a: readonly Peer[], b: readonly Peer[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i]
      return q !== undefined && p.clientId === q.clientId && p.name === q.name && p.color === q.color
    })
  )
}

/**
 * The other people whose focus is on one section or initiative, re-rendering only when they
 * change: someone joining or moving elsewhere in the plan re-renders none of the other parts.
 */
export function usePeersAt(awareness: Awareness, kind: 'section' | 'initiative', id: string): Peer[] {
  const store = storeFor(awareness)
  const last = useRef<{ source: Peer[]; kind: string; id: string; peers: Peer[] } | null>(null)
  const read = () => {
    const cached = last.current
    if (cached && cached.source === store.peers && cached.kind === kind && cached.id === id) return cached.peers
    const next = peersAt(store.peers, kind, id)
    const peers =
      cached && cached.kind === kind && cached.id === id && samePeers(cached.peers, next) ? cached.peers : next
    last.current = { source: store.peers, kind, id, peers }
    return peers
  }
  return useSyncExternalStore(store.subscribe, read)
}
