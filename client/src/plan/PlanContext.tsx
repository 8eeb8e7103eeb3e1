import { createContext, useContext, useSyncExternalStore } from 'react'
import type { PlanSession, SessionStatus } from '../collab/PlanSession.ts'
import { type Peer, usePeers } from '../collab/presence.ts'

export const PlanSessionContext = createContext<PlanSession | null>(null)

export function usePlanSession(): PlanSession {
  const session = useContext(PlanSessionContext)
  if (!session) throw new Error('usePlanSession() outside a plan page')
  return session
}

/** A number that changes (at most once a frame) whenever the plan document changes. */
export function useDocVersion(): number {
  const session = usePlanSession()
  return useSyncExternalStore(session.subscribeVersion, session.getVersion)
}

export function useSessionStatus(): SessionStatus {
  const session = usePlanSession()
  return useSyncExternalStore(session.subscribeStatus, session.getStatus)
}

export function usePlanPeers(): Peer[] {
  return usePeers(usePlanSession().provider.awareness)
}
