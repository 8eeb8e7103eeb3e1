import type { Jurisdiction, User } from '@lever/shared'
import { useEffect, useMemo, useState } from 'react'
import { listJurisdictions } from '../api/lever.ts'
import { listUsers } from '../api/users.ts'
import type { DocSession } from '../collab/DocSession.ts'
import { getAttendance } from './api.ts'
import type { Participant } from './groupPlanning.ts'

export interface RoomPeople {
  /** Every active team member of the cohort. */
  members: Participant[]
  /** Team members who joined this session (attendance) or are in the room now. */
  joined: Participant[]
  /** Ids of the people whose page is open on the session right now. */
  here: ReadonlySet<string>
  nameOf(userId: string): string
  jurisdictionName(id: string | null): string
  error: string | null
}

const REFRESH_MS = 15_000

/** Ids of the people in the session room now, from the session document's awareness. */
function useHere(session: DocSession | null): ReadonlySet<string> {
  const [here, setHere] = useState<ReadonlySet<string>>(new Set())
  useEffect(() => {
    if (!session) return
    const awareness = session.provider.awareness
    const read = () => {
      const ids = new Set<string>()
      for (const state of awareness.getStates().values()) {
        // `user.id` is stamped by the server with the signed-in person's id.
        const id = (state as { user?: { id?: unknown } }).user?.id
        if (typeof id === 'string') ids.add(id)
      }
      setHere((prev) => (prev.size === ids.size && [...ids].every((id) => prev.has(id)) ? prev : ids))
    }
    read()
    awareness.on('change', read)
    return () => awareness.off('change', read)
  }, [session])
  return here
}

/**
 * Who the facilitator can place in groups: the cohort's people (`/api/users`), who joined the
 * session (its attendance, refreshed while it is live and when someone enters the room), and
 * who is in the room right now.
 */
export function useRoomPeople(sessionId: string, session: DocSession | null, live: boolean): RoomPeople {
  const [users, setUsers] = useState<User[]>([])
  const [jurisdictions, setJurisdictions] = useState<Jurisdiction[]>([])
  const [attended, setAttended] = useState<ReadonlySet<string>>(new Set())
  const [error, setError] = useState<string | null>(null)
  const here = useHere(session)

  useEffect(() => {
    const controller = new AbortController()
    Promise.all([listUsers(controller.signal), listJurisdictions(controller.signal)]).then(
      ([u, j]) => {
        setUsers(u)
        setJurisdictions(j)
      },
      (e: Error) => {
        if (!controller.signal.aborted) setError(e.message)
      },
    )
    return () => controller.abort()
  }, [])

  const hereKey = [...here].sort().join(',')
  // biome-ignore lint/correctness/useExhaustiveDependencies: someone entering the room (hereKey) is a reason to look again
  useEffect(() => {
    const controller = new AbortController()
    const load = () =>
      getAttendance(sessionId, controller.signal).then(
        (attendance) => setAttended(new Set(attendance.map((a) => a.id))),
        () => {},
      )
    void load()
    if (!live) return () => controller.abort()
    const id = window.setInterval(load, REFRESH_MS)
    return () => {
      controller.abort()
      window.clearInterval(id)
    }
  }, [sessionId, live, hereKey])

  return useMemo(() => {
    const members = users
      .filter((u) => u.active && u.role === 'member')
      .map((u) => ({ id: u.id, name: u.name, jurisdictionId: u.jurisdictionId }))
      .sort((a, b) => a.name.localeCompare(b.name))
    const byId = new Map(users.map((u) => [u.id, u]))
    const names = new Map(jurisdictions.map((j) => [j.id, j.name]))
    return {
      members,
      joined: members.filter((m) => attended.has(m.id) || here.has(m.id)),
      here,
      nameOf: (id) => byId.get(id)?.name ?? 'Someone no longer in the cohort',
      jurisdictionName: (id) => (id ? (names.get(id) ?? id) : 'No team'),
      error,
    }
  }, [users, jurisdictions, attended, here, error])
}
