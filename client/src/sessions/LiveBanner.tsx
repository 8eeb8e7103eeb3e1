import type { CohortSession } from '@lever/shared'
import { useEffect, useState } from 'react'
import { Link, useLocation } from 'react-router'
import { useIdentity } from '../app/identity.ts'
import { listSessions } from './api.ts'

const POLL_MS = 20_000

/**
 * The sessions that are live now: checked every ~20 s, whenever the tab comes back into view, and
 * on every page change (`page`), so starting or ending a session shows up as one moves on.
 */
function useLiveSessions(enabled: boolean, page: string): CohortSession[] {
  const [live, setLive] = useState<CohortSession[]>([])
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page is a reason to check again
  useEffect(() => {
    if (!enabled) {
      setLive([])
      return
    }
    let controller = new AbortController()
    const check = () => {
      controller.abort()
      controller = new AbortController()
      listSessions(controller.signal).then(
        (sessions) => {
          const next = sessions.filter((s) => s.status === 'live')
          setLive((prev) => (JSON.stringify(prev) === JSON.stringify(next) ? prev : next))
        },
        () => {},
      )
    }
    const onVisible = () => {
      if (document.visibilityState === 'visible') check()
    }
    check()
    const id = window.setInterval(check, POLL_MS)
    window.addEventListener('focus', check)
    document.addEventListener('visibilitychange', onVisible)
    return () => {
      controller.abort()
      window.clearInterval(id)
      window.removeEventListener('focus', check)
      document.removeEventListener('visibilitychange', onVisible)
    }
  }, [enabled, page])
  return live
}

/** "Live now" under the top bar while a session is live, with the way into its room. */
export function LiveBanner() {
  const identity = useIdentity()
  const location = useLocation()
  const live = useLiveSessions(identity !== null, location.pathname)
  // In a session room or a breakout room, the page itself says the session is live.
  const inRoom = location.pathname.startsWith('/drafts/')
  const shown = inRoom ? [] : live.filter((s) => !location.pathname.startsWith(`/sessions/${s.id}/live`))
  if (!identity || shown.length === 0) return null
  const facilitator = identity.user.role === 'facilitator'
  return (
    <section className="live-banner" aria-label="Live sessions" data-testid="live-banner">
      {shown.map((s) => (
        <p key={s.id} className="live-banner__item">
          <span className="live-dot" aria-hidden="true" />
          <span>
            <strong>Live now:</strong> {s.title}
          </span>
          <Link className="button button--small button--primary" to={`/sessions/${encodeURIComponent(s.id)}/live`}>
            {facilitator ? 'Open the room' : 'Join'}
            <span className="visually-hidden"> {s.title}</span>
          </Link>
        </p>
      ))}
    </section>
  )
}
