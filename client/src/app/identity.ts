import type { User } from '@lever/shared'
import { useSyncExternalStore } from 'react'
import { fetchMe } from '../api/auth.ts'
import { setUnauthenticatedHandler } from '../api/http.ts'

/**
 * Who is using this browser: the signed-in person (`/api/me`). Presence (avatars, carets) and
 * permissions read it from here and nowhere else.
 */
export interface Identity {
  userId: string
  name: string
  /** The person's presence colour (readable with white text). */
  color: string
  user: User
}

/** Why nobody is signed in: never was (or signed out), or the session ended under them. */
export type SignedOutReason = 'ended' | null

export type AuthState =
  | { status: 'loading' }
  | { status: 'signedOut'; reason: SignedOutReason }
  | { status: 'signedIn'; identity: Identity }

function identityOf(user: User): Identity {
  return { userId: user.id, name: user.name, color: user.color, user }
}

let state: AuthState = { status: 'loading' }
let loading: Promise<void> | null = null
const listeners = new Set<() => void>()

function set(next: AuthState): void {
  state = next
  for (const listener of listeners) listener()
}

/** Who is signed in, as known now. */
export function currentAuth(): AuthState {
  return state
}

/** Asks the server who is signed in (once; again after `refreshAuth`). */
export function loadAuth(): Promise<void> {
  loading ??= fetchMe().then(
    (user) => set(user ? { status: 'signedIn', identity: identityOf(user) } : { status: 'signedOut', reason: null }),
    () => {
      // The server cannot be reached: show the sign-in page, which says so when used.
      set({ status: 'signedOut', reason: null })
      loading = null
    },
  )
  return loading
}

/** Asks the server again who is signed in (after a rename, say) and returns them. */
export async function refreshIdentity(): Promise<Identity | null> {
  const user = await fetchMe()
  loading = Promise.resolve()
  set(user ? { status: 'signedIn', identity: identityOf(user) } : { status: 'signedOut', reason: 'ended' })
  return user ? identityOf(user) : null
}

export function signedIn(user: User): void {
  loading = Promise.resolve()
  set({ status: 'signedIn', identity: identityOf(user) })
}

/** Nobody is signed in any more; `ended` when the session ended (expired, revoked, deactivated). */
export function signedOut(reason: SignedOutReason = null): void {
  loading = Promise.resolve()
  set({ status: 'signedOut', reason })
}

setUnauthenticatedHandler(() => signedOut('ended'))

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useAuth(): AuthState {
  return useSyncExternalStore(subscribe, () => state)
}

/** The signed-in person (null while loading or signed out). */
export function useIdentity(): Identity | null {
  const auth = useAuth()
  return auth.status === 'signedIn' ? auth.identity : null
}
