import { CloseCode, PlanValidationError } from '@lever/shared'
import { useEffect, useState, useSyncExternalStore } from 'react'
import type { Identity } from '../app/identity.ts'
import { DocSession, type DocSessionOptions } from '../collab/DocSession.ts'
import type { SessionStatus } from '../collab/PlanSession.ts'

/** What to tell a person when the server closed a session or draft connection for good. */
export function closeMessage(code: number): string {
  switch (code) {
    case CloseCode.DocumentNotFound:
      return 'This session room does not exist any more, or the link is wrong.'
    case CloseCode.Forbidden:
      return 'You do not have access to this room.'
    case CloseCode.Unauthenticated:
      return 'Your sign-in has ended. Sign in again to continue.'
    case CloseCode.WriteNotAllowed:
      return 'You can read this room but not change it any more. Reload the page to see the latest version.'
    default:
      return 'The server stopped this connection because of a problem with this page. Reload the page to continue.'
  }
}

/**
 * Opens a live document for as long as the component is mounted (one per `docName` and `key`),
 * and keeps the person's name and colour up to date in it.
 */
export function useDocSession(
  docName: string | null,
  identity: Identity | null,
  options: Omit<DocSessionOptions, 'closeMessage'>,
  key = 0,
): DocSession | null {
  const [session, setSession] = useState<DocSession | null>(null)
  const ready = docName !== null && identity !== null
  // biome-ignore lint/correctness/useExhaustiveDependencies: a document opens once per name and key; options are read at open
  useEffect(() => {
    if (!ready || !docName || !identity) return
    const s = new DocSession(docName, identity, { ...options, closeMessage })
    setSession(s)
    return () => {
      s.destroy()
      setSession(null)
    }
  }, [docName, ready, key])
  useEffect(() => {
    if (session && identity) session.setUser(identity)
  }, [session, identity])
  return session
}

const noSubscribe = () => () => {}

/** A number that changes (at most once a frame) whenever the document changes. */
export function useDocVersion(session: DocSession | null): number {
  return useSyncExternalStore(session?.subscribeVersion ?? noSubscribe, session?.getVersion ?? (() => -1))
}

const LOADING: SessionStatus = {
  connection: 'connecting',
  synced: false,
  loaded: false,
  saved: false,
  unsavedChanges: false,
  closedMessage: null,
  closeCode: null,
}

export function useDocStatus(session: DocSession | null): SessionStatus {
  return useSyncExternalStore(session?.subscribeStatus ?? noSubscribe, session?.getStatus ?? (() => LOADING))
}

/** Applies a local change; a value the model rejects comes back as its message (nothing is written). */
export function tryDocEdit(session: DocSession, change: () => void): string | null {
  try {
    session.edit(change)
    return null
  } catch (error) {
    if (error instanceof PlanValidationError) return error.message.slice(error.message.indexOf(': ') + 2)
    throw error
  }
}
