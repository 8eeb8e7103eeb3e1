import { createContext, useContext } from 'react'
import type { SessionStatus, SharedType } from '../collab/DocSession.ts'
import type { PlanSession } from '../collab/PlanSession.ts'
import { type Peer, usePeers, usePeersAt } from '../collab/presence.ts'
import { useDocPart, useDocStatus, useDocValue, useDocVersion } from '../collab/sessionHooks.ts'

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

/** A number that changes when something inside `type` (an initiative's map, a section) changes. */
export function usePlanPart(type: SharedType | null): number {
  return useDocPart(usePlanSession(), type)
}

/** A value read from the plan, re-rendering only when it differs (see `useDocValue`). */
export function usePlanValue<T>(read: (session: PlanSession) => T): T {
  const session = usePlanSession()
  return useDocValue(session, () => read(session))
}

export function usePlanStatus(): SessionStatus {
  return useDocStatus(usePlanSession())
}

export function usePlanPeers(): Peer[] {
  return usePeers(usePlanSession().provider.awareness)
}

/** The other people working in one section or initiative of the plan (see `usePeersAt`). */
export function usePlanPeersAt(kind: 'section' | 'initiative', id: string): Peer[] {
  return usePeersAt(usePlanSession().provider.awareness, kind, id)
}
