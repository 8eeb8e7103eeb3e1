import type { Broadcast, TimerState } from '@lever/shared'
import { useEffect, useRef } from 'react'
import { announce } from '../ui/announce.ts'
import { formatCountdown, remainingMs, spokenDuration, useServerNow } from './clock.ts'
import { formatTime, minutesText } from './format.ts'

/** The facilitator's countdown as everyone sees it, on the server's clock. */
export function SessionTimer({ timer, compact = false }: { timer: TimerState | null; compact?: boolean }) {
  const { now, ready } = useServerNow(timer !== null)
  const left = timer ? remainingMs(timer.endsAt, now) : 0
  const running = timer !== null && left > 0
  // Say "one minute left" and "time is up" once each, only for a countdown seen running.
  const seen = useRef<{ endsAt: string; minute: boolean; up: boolean } | null>(null)
  useEffect(() => {
    if (!timer || !ready) {
      seen.current = null
      return
    }
    if (seen.current?.endsAt !== timer.endsAt) {
      seen.current = { endsAt: timer.endsAt, minute: left <= 60_000, up: left === 0 }
      return
    }
    const s = seen.current
    if (!s.minute && left <= 60_000 && left > 0) {
      s.minute = true
      announce(`One minute left${timer.label ? ` for ${timer.label}` : ''}.`)
    }
    if (!s.up && left === 0) {
      s.up = true
      announce(`Time is up${timer.label ? ` for ${timer.label}` : ''}.`)
    }
  }, [timer, left, ready])

  const fraction = timer && timer.durationSeconds > 0 ? left / (timer.durationSeconds * 1000) : 0
  return (
    <section
      className={`session-timer${running ? ' session-timer--running' : ''}${compact ? ' session-timer--compact' : ''}`}
      aria-labelledby="session-timer-heading"
      data-testid="session-timer"
    >
      <h2 id="session-timer-heading" className="session-timer__heading">
        {timer?.label ? `Timer: ${timer.label}` : 'Timer'}
      </h2>
      {timer === null ? (
        <p className="session-timer__idle">No timer running.</p>
      ) : !ready ? (
        <p className="session-timer__idle">Checking the time…</p>
      ) : (
        <>
          <p
            className="session-timer__time"
            role="timer"
            aria-label={running ? `${spokenDuration(left)} left` : 'Time is up'}
          >
            {running ? formatCountdown(left) : 'Time is up'}
          </p>
          <div className="session-timer__bar" aria-hidden="true">
            <span style={{ width: `${Math.round(fraction * 100)}%` }} />
          </div>
          <p className="session-timer__meta">
            {minutesText(Math.round(timer.durationSeconds / 60))}, until {formatTime(timer.endsAt)}
          </p>
        </>
      )}
    </section>
  )
}

/**
 * The facilitator's messages to every room, newest first. Messages that arrive while the page is
 * open are also read out (the page's polite live region); earlier ones are shown, not read.
 */
export function BroadcastList({ broadcasts, limit }: { broadcasts: Broadcast[]; limit?: number }) {
  const known = useRef<Set<string> | null>(null)
  useEffect(() => {
    if (known.current === null) {
      known.current = new Set(broadcasts.map((b) => b.id))
      return
    }
    const fresh = broadcasts.filter((b) => !known.current?.has(b.id))
    for (const b of fresh) known.current.add(b.id)
    const last = fresh.at(-1)
    if (last) announce(`Message from ${last.byName}: ${last.text}`)
  }, [broadcasts])

  const shown = [...broadcasts].reverse().slice(0, limit)
  return (
    <section className="broadcasts" aria-labelledby="broadcasts-heading" data-testid="broadcasts">
      <h2 id="broadcasts-heading" className="broadcasts__heading">
        Messages to all rooms
      </h2>
      {shown.length === 0 ? (
        <p className="broadcasts__empty">No messages yet.</p>
      ) : (
        <ol className="broadcasts__list">
          {shown.map((b, i) => (
            <li key={b.id} className={i === 0 ? 'broadcast broadcast--latest' : 'broadcast'}>
              <p className="broadcast__text">{b.text}</p>
              <p className="broadcast__meta">
                {b.byName}, {formatTime(b.at)}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
