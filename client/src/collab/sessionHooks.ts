import { PlanValidationError } from '@lever/shared'
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react'
import type { Identity } from '../app/identity.ts'
import { type DocSession, INITIAL_STATUS, type SessionStatus, type SharedType } from './DocSession.ts'

/**
 * Keeps a live document open while the component is mounted: `open` runs once per `key` (a new
 * key closes the session and opens another), and the person's name and colour are updated in
 * place, without reconnecting. `key` null opens nothing.
 */
export function useOpenSession<S extends DocSession>(key: string | null, open: () => S, identity: Identity): S | null {
  const [session, setSession] = useState<S | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: a document opens once per key; `open` is read then
  useEffect(() => {
    if (key === null) return
    const s = open()
    setSession(s)
    return () => {
      s.destroy()
      setSession(null)
    }
  }, [key])
  useEffect(() => {
    session?.setUser(identity)
  }, [session, identity])
  return session
}

const noSubscribe = () => () => {}

/** A number that changes (at most once a frame) whenever the document changes, or its access does. */
export function useDocVersion(session: DocSession | null): number {
  return useSyncExternalStore(session?.subscribeVersion ?? noSubscribe, session?.getVersion ?? (() => -1))
}

/**
 * A number that changes (at most once a frame) when something inside `type` changes (or what the
 * person may do does): a view of one part of the document re-renders for that part only.
 */
export function useDocPart(session: DocSession, type: SharedType | null): number {
  const subscribe = useCallback(
    (listener: () => void) => (type ? session.subscribePart(type, listener) : () => {}),
    [session, type],
  )
  return useSyncExternalStore(subscribe, () => (type ? session.getPartVersion(type) : -1))
}

/**
 * A value read from the document, re-read once a frame with changes; the component re-renders
 * only when it differs (`Object.is`), so `read` returns a string, number or boolean, or an object
 * that stays the same while what it says does.
 */
export function useDocValue<T>(session: DocSession, read: () => T): T {
  return useSyncExternalStore(session.subscribeVersion, read)
}

/** The connection and saved state of a document (still connecting while there is no session). */
export function useDocStatus(session: DocSession | null): SessionStatus {
  return useSyncExternalStore(session?.subscribeStatus ?? noSubscribe, session?.getStatus ?? (() => INITIAL_STATUS))
}

/** Asks before the tab closes while the server does not have every change yet. */
export function useLeaveGuard(session: DocSession | null): void {
  useEffect(() => {
    if (!session) return
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (session.getStatus().unsavedChanges) e.preventDefault()
    }
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [session])
}

/**
 * Applies a local change; a value the model rejects comes back as its message ("Due date: …",
 * or without the field's name with `withoutField`, where the field is plain from the context),
 * and nothing is written.
 */
export function tryEdit(session: DocSession, change: () => void, { withoutField = false } = {}): string | null {
  try {
    session.edit(change)
    return null
  } catch (error) {
    if (!(error instanceof PlanValidationError)) throw error
    return withoutField ? error.message.slice(error.message.indexOf(': ') + 2) : error.message
  }
}
