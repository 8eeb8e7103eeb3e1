import { useEffect, useState } from 'react'

/**
 * The server's clock as seen from this browser. Timers are shared as an end time (`endsAt`), so a
 * browser whose clock is off would count down wrongly; the HTTP Date header tells how far off it
 * is. The header has one-second resolution, so offsets under ~1.5 s are treated as none.
 */
let offsetMs = 0
let measuring: Promise<void> | null = null
let measuredAt = 0
/** The first measurement has finished (or failed): countdowns may be shown. */
let ready = false

const REMEASURE_MS = 5 * 60_000

/** Measures the offset (at most every few minutes); failures leave the last offset in place. */
export function syncServerClock(): Promise<void> {
  if (measuring && Date.now() - measuredAt < REMEASURE_MS) return measuring
  measuredAt = Date.now()
  measuring = (async () => {
    try {
      const sent = Date.now()
      const res = await fetch('/api/auth/session', { credentials: 'same-origin', cache: 'no-store' })
      const received = Date.now()
      const header = res.headers.get('date')
      const server = header ? Date.parse(header) : Number.NaN
      if (Number.isNaN(server)) return
      // The header is truncated to the second: its middle is the best guess.
      const offset = server + 500 - (sent + received) / 2
      offsetMs = Math.abs(offset) > 1500 ? offset : 0
    } catch {
      // Offline: keep the last offset.
    } finally {
      ready = true
    }
  })()
  return measuring
}

/** Now, on the server's clock. */
export function serverNow(): Date {
  return new Date(Date.now() + offsetMs)
}

/** Milliseconds left until `endsAt` on the server's clock (0 when past). */
export function remainingMs(endsAt: string, now = serverNow()): number {
  const end = Date.parse(endsAt)
  return Number.isNaN(end) ? 0 : Math.max(0, end - now.getTime())
}

/**
 * The server's now, re-rendered every `intervalMs` while `active`; `ready` once this browser's
 * offset is known (until then a countdown would be off by the skew).
 */
export function useServerNow(active: boolean, intervalMs = 500): { now: Date; ready: boolean } {
  const [now, setNow] = useState(serverNow)
  const [isReady, setReady] = useState(ready)
  useEffect(() => {
    let live = true
    syncServerClock().then(() => {
      if (!live) return
      setReady(true)
      setNow(serverNow())
    })
    return () => {
      live = false
    }
  }, [])
  useEffect(() => {
    if (!active) return
    setNow(serverNow())
    const id = window.setInterval(() => setNow(serverNow()), intervalMs)
    return () => window.clearInterval(id)
  }, [active, intervalMs])
  return { now, ready: isReady }
}

/** "12:05" or "1:02:05" for a number of milliseconds, rounded up to the second. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m)
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`
}

/** "12 minutes 5 seconds" for screen readers. */
export function spokenDuration(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const m = Math.floor(total / 60)
  const s = total % 60
  const parts = []
  if (m > 0) parts.push(`${m} ${m === 1 ? 'minute' : 'minutes'}`)
  if (s > 0 || m === 0) parts.push(`${s} ${s === 1 ? 'second' : 'seconds'}`)
  return parts.join(' ')
}
