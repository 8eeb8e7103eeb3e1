import { broadcastSchema, type SessionModel, timerSecondsSchema } from '@lever/shared'
import { type FormEvent, useState } from 'react'
import type { DocSession } from '../collab/DocSession.ts'
import { announce } from '../ui/announce.ts'
import { Field } from '../ui/Field.tsx'
import { serverNow } from './clock.ts'
import { minutesText } from './format.ts'
import { tryRoomEdit } from './roomDoc.ts'

const PRESETS = [5, 10, 15, 20, 30]

/** Start a countdown everyone sees (presets or any number of minutes), or stop it. */
export function TimerControls({ session, model }: { session: DocSession; model: SessionModel }) {
  const [minutes, setMinutes] = useState('10')
  const [label, setLabel] = useState('Breakouts')
  const [error, setError] = useState<string | null>(null)
  const start = (mins: number) => {
    const parsed = timerSecondsSchema.safeParse(Math.round(mins * 60))
    if (!parsed.success) {
      setError(`${parsed.error.issues[0]?.message ?? 'Check the minutes'}.`)
      return
    }
    // The end time is on the server's clock, so a facilitator whose clock is off does not skew it.
    const failed = tryRoomEdit(session, () => model.startTimer(parsed.data, label.trim(), serverNow()))
    setError(failed)
    if (!failed) announce(`Timer started: ${minutesText(mins)}.`)
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    const mins = Number(minutes.replace(',', '.'))
    if (!Number.isFinite(mins) || minutes.trim() === '') {
      setError('Enter a number of minutes, like 10.')
      return
    }
    start(mins)
  }
  return (
    <form className="card tool-card" aria-labelledby="timer-controls-heading" onSubmit={onSubmit} noValidate>
      <h2 id="timer-controls-heading">Start a timer</h2>
      <fieldset className="preset-buttons">
        <legend className="visually-hidden">Start a timer of</legend>
        {PRESETS.map((m) => (
          <button key={m} type="button" className="button button--small" onClick={() => start(m)}>
            {m} min
          </button>
        ))}
      </fieldset>
      <div className="form-grid">
        <Field id="timer-minutes" label="Minutes" error={error}>
          {(a11y) => (
            <input
              {...a11y}
              type="number"
              min={1}
              max={240}
              inputMode="decimal"
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
          )}
        </Field>
        <Field id="timer-label" label="Label">
          {(a11y) => <input {...a11y} value={label} maxLength={60} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
      </div>
      <div className="tool-card__actions">
        <button type="submit" className="button button--primary">
          Start timer
        </button>
        {model.timer ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              tryRoomEdit(session, () => model.stopTimer())
              announce('Timer stopped.')
            }}
          >
            Stop timer
          </button>
        ) : null}
      </div>
    </form>
  )
}

/** A short message to every room (shown on every participant's page and read out). */
export function BroadcastComposer({
  session,
  model,
  byName,
}: {
  session: DocSession
  model: SessionModel
  byName: string
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const onSubmit = (e: FormEvent) => {
    e.preventDefault()
    const parsed = broadcastSchema.safeParse(text)
    if (!parsed.success) {
      setError(`${parsed.error.issues[0]?.message ?? 'Check the message'}.`)
      document.getElementById('broadcast-text')?.focus()
      return
    }
    const failed = tryRoomEdit(session, () => model.broadcast(parsed.data, byName))
    setError(failed)
    if (!failed) {
      setText('')
      announce('Message sent to all rooms.')
    }
  }
  return (
    <form className="card tool-card" aria-labelledby="broadcast-heading" onSubmit={onSubmit} noValidate>
      <h2 id="broadcast-heading">Message all rooms</h2>
      <Field id="broadcast-text" label="Message" hint={`${text.trim().length} of 280 characters`} error={error}>
        {(a11y) => <textarea {...a11y} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <button type="submit" className="button button--primary">
        Send to all rooms
      </button>
    </form>
  )
}
