import { createContext, useContext } from 'react'
import type { SessionStatus } from '../collab/DocSession.ts'
import type { PlanSession } from '../collab/PlanSession.ts'
import { type Peer, usePeers } from '../collab/presence.ts'
import { useDocStatus, useDocVersion } from '../collab/sessionHooks.ts'

export const PlanSessionContext = createContext<PlanSession | null>(null)

export function usePlanSession(): PlanSession {
  const session = useContext(PlanSessionContext)
  if (!session) throw new Error('usePlanSession() outside a plan page')
  return session
}

/** A number that changes (at most once a frame) whenever the plan document changes. */
export function usePlanVersion(): number {
  return useDocVersion(usePlanSession())
}

export function usePlanStatus(): SessionStatus {
  return useDocStatus(usePlanSession())
}

export function usePlanPeers(): Peer[] {
  return usePeers(usePlanSession().provider.awareness)
}
