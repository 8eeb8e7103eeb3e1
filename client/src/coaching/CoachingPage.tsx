import {
  allowanceState,
  COACHING_PHASES,
  type CoachingPhase,
  type CoachingSession,
  type CoachingSummary,
  coachingSessionInputSchema,
  coachingSessionPatchSchema,
  DEFAULT_LEVERS,
  JOB_QUALITY_COMPONENTS,
  labelOf,
  localToday,
  type User,
} from '@lever/shared'
import { type FormEvent, useEffect, useState } from 'react'
import { ApiRequestError } from '../api/http.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { announce } from '../ui/announce.ts'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import {
  coachingAllowances,
  coachingSummary,
  deleteCoachingSession,
  listCoachingSessions,
  logCoachingSession,
  setCoachingAllowances,
  updateCoachingSession,
} from './api.ts'
import { formatMinutes, HoursBar } from './hours.tsx'

const STATE_LABELS = { unused: 'Unused', ok: 'On track', low: 'Running low', over: 'All used' } as const
const STATE_TONES = { unused: 'neutral', ok: 'good', low: 'warn', over: 'bad' } as const

/** `/coaching`: one-on-one coaching hours against each team's allowance, and the coaching log. */
export function CoachingPage() {
  const identity = useIdentity()
  const [state, reload] = useApi(['coaching'], async (signal) => {
    const [summary, sessions] = await Promise.all([coachingSummary(signal), listCoachingSessions(undefined, signal)])
    return { summary, sessions }
  })
  useEffect(() => {
    document.title = 'Coaching — Lever'
  }, [])
  if (!identity) return null
  const user = identity.user
  const logs = user.role === 'coach' || user.role === 'facilitator'
  return (
    <div className="page coaching-page">
      <h1>Coaching</h1>
      <p className="lede">
        {user.role === 'member'
          ? 'Your team’s one-on-one time with subject-matter experts, and what was covered.'
          : 'One-on-one sessions with each team, counted against the team’s allowance for the phase.'}
      </p>
      <PendingPanels
        state={state}
        loading="Loading the coaching log…"
        failed="The coaching log could not be loaded"
        onRetry={reload}
      />
      {state.status === 'ready' ? (
        <>
          <Hours summary={state.data.summary} user={user} />
          {logs ? <LogSessionForm user={user} summary={state.data.summary} onLogged={reload} /> : null}
          <SessionLog sessions={state.data.sessions} summary={state.data.summary} user={user} onChanged={reload} />
          {user.role === 'facilitator' ? <AllowanceSettings onSaved={reload} /> : null}
        </>
      ) : null}
    </div>
  )
}

function Hours({ summary, user }: { summary: CoachingSummary; user: User }) {
  const phase = labelOf(COACHING_PHASES, summary.phase)
  if (user.role === 'member') {
    const row = summary.jurisdictions[0]
    if (!row) return null
    return (
      <section className="card coaching-hours coaching-section" aria-labelledby="hours-heading">
        <h2 id="hours-heading">Coaching hours ({phase})</h2>
        <p id="hours-used" className="coaching-hours__figure" data-testid="hours-used">
          {formatMinutes(row.usedMinutes)} used of {formatMinutes(row.allowanceMinutes)}
        </p>
        <HoursBar row={row} labelId="hours-heading hours-used" />
        <p className="field-hint">
          {row.sessions === 0
            ? 'No sessions yet. Ask your coach for one-on-one time after each cohort session.'
            : `${row.sessions} ${row.sessions === 1 ? 'session' : 'sessions'} so far; ${formatMinutes(Math.max(0, row.allowanceMinutes - row.usedMinutes))} left.`}
        </p>
      </section>
    )
  }
  const low = summary.jurisdictions.filter((r) =>
    ['low', 'over'].includes(allowanceState(r.usedMinutes, r.allowanceMinutes)),
  )
  const unused = summary.jurisdictions.filter((r) => r.usedMinutes === 0)
  return (
    <section aria-labelledby="hours-heading" className="coaching-section">
      <h2 id="hours-heading">Hours by team ({phase})</h2>
      <p data-testid="hours-flags">
        {low.length} {low.length === 1 ? 'team is' : 'teams are'} running low (75% or more used); {unused.length}{' '}
        {unused.length === 1 ? 'has' : 'have'} not used any yet.
      </p>
      <div className="table-scroll">
        <table className="data-table" data-testid="hours-table">
          <caption className="visually-hidden">Coaching minutes used and allowed, by team</caption>
          <thead>
            <tr>
              <th scope="col">Team</th>
              <th scope="col">Used</th>
              <th scope="col">Allowance</th>
              <th scope="col">Share used</th>
              <th scope="col">Sessions</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {summary.jurisdictions.map((row) => {
              const s = allowanceState(row.usedMinutes, row.allowanceMinutes)
              const labelId = `hours-${row.id}`
              return (
                <tr key={row.id}>
                  <th scope="row" id={labelId}>
                    {row.name}
                  </th>
                  <td>{formatMinutes(row.usedMinutes)}</td>
                  <td>{formatMinutes(row.allowanceMinutes)}</td>
                  <td>
                    <HoursBar row={row} labelId={labelId} />
                  </td>
                  <td>{row.sessions}</td>
                  <td>
                    <span className={`pill pill--${STATE_TONES[s]}`}>{STATE_LABELS[s]}</span>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    </section>
  )
}

function LogSessionForm({ user, summary, onLogged }: { user: User; summary: CoachingSummary; onLogged: () => void }) {
  const choices = summary.jurisdictions
  const [jurisdictionId, setJurisdictionId] = useState(choices.length === 1 ? (choices[0]?.id ?? '') : '')
  const [date, setDate] = useState(localToday())
  const [minutes, setMinutes] = useState('60')
  const [levers, setLevers] = useState<string[]>([])
  const [components, setComponents] = useState<string[]>([])
  const [notes, setNotes] = useState('')
  const [followUps, setFollowUps] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const toggle = (list: string[], id: string, on: boolean) => (on ? [...list, id] : list.filter((x) => x !== id))

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = coachingSessionInputSchema.safeParse({
      jurisdictionId,
      date,
      minutes: minutes.trim() === '' ? Number.NaN : Number(minutes),
      topics: { levers, components },
      notes,
      followUps: followUps
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    })
    if (!parsed.success) {
      const next: Record<string, string> = {}
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? 'form')
        next[key] ??= key === 'jurisdictionId' ? 'Choose the team you coached.' : `${issue.message}.`
      }
      setErrors(next)
      const first = Object.keys(next)[0]
      document.getElementById(`log-${first}`)?.focus()
      return
    }
    setBusy(true)
    setErrors({})
    try {
      const logged = await logCoachingSession(parsed.data)
      announce(
        `Logged ${formatMinutes(logged.minutes)} with ${choices.find((c) => c.id === logged.jurisdictionId)?.name ?? 'the team'}.`,
      )
      setNotes('')
      setFollowUps('')
      setLevers([])
      setComponents([])
      onLogged()
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      setErrors({ form: apiError?.message ?? 'The session could not be logged. Try again.' })
    } finally {
      setBusy(false)
    }
  }

  const fieldClass = (key: string) => `field${errors[key] ? ' field--invalid' : ''}`
  const a11y = (key: string, hint?: boolean) => {
    const describedBy = [hint ? `log-${key}-hint` : null, errors[key] ? `log-${key}-error` : null]
      .filter(Boolean)
      .join(' ')
    return {
      id: `log-${key}`,
      'aria-invalid': errors[key] ? (true as const) : undefined,
      'aria-describedby': describedBy || undefined,
    }
  }
  const errorOf = (key: string) =>
    errors[key] ? (
      <p className="field-error" id={`log-${key}-error`} role="alert">
        {errors[key]}
      </p>
    ) : null

  return (
    <section className="card coaching-section" aria-labelledby="log-heading">
      <h2 id="log-heading">Log a coaching session</h2>
      {user.role === 'coach' && choices.length === 0 ? (
        <EmptyState>
          <p>No jurisdictions are assigned to you yet. A facilitator assigns them on the People page.</p>
        </EmptyState>
      ) : (
        <form onSubmit={submit} noValidate className="coaching-form">
          <div className="coaching-form__row">
            <div className={fieldClass('jurisdictionId')}>
              <label htmlFor="log-jurisdictionId">Team</label>
              <select
                {...a11y('jurisdictionId')}
                value={jurisdictionId}
                onChange={(e) => setJurisdictionId(e.target.value)}
              >
                {choices.length > 1 ? <option value="">Choose a team</option> : null}
                {choices.map((j) => (
                  <option key={j.id} value={j.id}>
                    {j.name}
                  </option>
                ))}
              </select>
              {errorOf('jurisdictionId')}
            </div>
            <div className={fieldClass('date')}>
              <label htmlFor="log-date">Date</label>
              <input type="date" {...a11y('date')} value={date} onChange={(e) => setDate(e.target.value)} />
              {errorOf('date')}
            </div>
            <div className={fieldClass('minutes')}>
              <label htmlFor="log-minutes">Minutes</label>
              <p className="field-hint" id="log-minutes-hint">
                How long the session lasted, e.g. 45.
              </p>
              <input
                type="number"
                inputMode="numeric"
                min={5}
                max={480}
                step={5}
                {...a11y('minutes', true)}
                value={minutes}
                onChange={(e) => setMinutes(e.target.value)}
              />
              {errorOf('minutes')}
            </div>
          </div>
          <CheckGroup
            legend="Levers discussed"
            idPrefix="log-lever"
            options={DEFAULT_LEVERS}
            checked={levers}
            onToggle={(id, on) => setLevers((l) => toggle(l, id, on))}
          />
          <CheckGroup
            legend="Job-quality components discussed"
            idPrefix="log-component"
            options={JOB_QUALITY_COMPONENTS}
            checked={components}
            onToggle={(id, on) => setComponents((c) => toggle(c, id, on))}
          />
          <div className={fieldClass('notes')}>
            <label htmlFor="log-notes">Notes</label>
            <p className="field-hint" id="log-notes-hint">
              Seen by you, the team and facilitators only; never by other teams or other coaches.
            </p>
            <textarea
              {...a11y('notes', true)}
              rows={4}
              maxLength={10000}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
            {errorOf('notes')}
          </div>
          <div className={fieldClass('followUps')}>
            <label htmlFor="log-followUps">Follow-ups</label>
            <p className="field-hint" id="log-followUps-hint">
              One per line.
            </p>
            <textarea
              {...a11y('followUps', true)}
              rows={3}
              value={followUps}
              onChange={(e) => setFollowUps(e.target.value)}
            />
            {errorOf('followUps')}
          </div>
          {errors.form ? (
            <p className="field-error" role="alert">
              {errors.form}
            </p>
          ) : null}
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Logging…' : 'Log the session'}
          </button>
        </form>
      )}
    </section>
  )
}

function SessionLog({
  sessions,
  summary,
  user,
  onChanged,
}: {
  sessions: CoachingSession[]
  summary: CoachingSummary
  user: User
  onChanged: () => void
}) {
  const names = new Map(summary.jurisdictions.map((j) => [j.id, j.name]))
  const [error, setError] = useState<string | null>(null)
  const [editing, setEditing] = useState<string | null>(null)
  const remove = async (s: CoachingSession) => {
    if (!window.confirm(`Delete the ${formatMinutes(s.minutes)} session of ${s.date}?`)) return
    try {
      await deleteCoachingSession(s.id)
      announce('Session deleted.')
      onChanged()
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The session could not be deleted.')
    }
  }
  return (
    <section className="coaching-section" aria-labelledby="log-list-heading">
      <h2 id="log-list-heading">Sessions</h2>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {sessions.length === 0 ? (
        <EmptyState>
          <p>No coaching sessions logged yet.</p>
        </EmptyState>
      ) : (
        <ul className="coaching-log" data-testid="coaching-log">
          {sessions.map((s) => {
            const topics = [
              ...s.topics.levers.map((l) => labelOf(DEFAULT_LEVERS, l)),
              ...s.topics.components.map((c) => labelOf(JOB_QUALITY_COMPONENTS, c)),
            ]
            const mayDelete = user.role === 'facilitator' || s.coachId === user.id
            return (
              <li key={s.id} className="card coaching-log__item">
                <h3>
                  {names.get(s.jurisdictionId) ?? s.jurisdictionId}: {formatMinutes(s.minutes)} on {s.date}
                </h3>
                <p className="coaching-log__meta">
                  With {s.coachName} · {labelOf(COACHING_PHASES, s.phase)}
                  {topics.length ? ` · ${topics.join(', ')}` : ''}
                </p>
                {s.notes ? <p className="coaching-log__notes">{s.notes}</p> : null}
                {s.notes === null ? <p className="field-hint">Notes are visible to the coach who logged it.</p> : null}
                {s.followUps && s.followUps.length > 0 ? (
                  <>
                    <h4>Follow-ups</h4>
                    <ul>
                      {s.followUps.map((f) => (
                        <li key={f}>{f}</li>
                      ))}
                    </ul>
                  </>
                ) : null}
                {mayDelete && editing !== s.id ? (
                  <div className="coaching-log__actions">
                    <button type="button" className="button button--small" onClick={() => setEditing(s.id)}>
                      Edit<span className="visually-hidden"> the session of {s.date}</span>
                    </button>
                    <button
                      type="button"
                      className="button button--small button--danger"
                      onClick={() => void remove(s)}
                    >
                      Delete<span className="visually-hidden"> the session of {s.date}</span>
                    </button>
                  </div>
                ) : null}
                {editing === s.id ? (
                  <EditSessionForm
                    session={s}
                    onDone={(changed) => {
                      setEditing(null)
                      if (changed) onChanged()
                    }}
                  />
                ) : null}
              </li>
            )
          })}
        </ul>
      )}
    </section>
  )
}

const EDIT_FIELDS = ['date', 'minutes', 'notes', 'followUps'] as const
type EditField = (typeof EDIT_FIELDS)[number]
/** The element id of each field of the edit form, after its prefix. */
const EDIT_FIELD_IDS: Record<EditField, string> = {
  date: 'date',
  minutes: 'minutes',
  notes: 'notes',
  followUps: 'follow-ups',
}

/** Changes a logged session's date, length, notes and follow-ups (its author or a facilitator). */
function EditSessionForm({ session, onDone }: { session: CoachingSession; onDone: (changed: boolean) => void }) {
  const prefix = `edit-${session.id}`
  const [date, setDate] = useState(session.date)
  const [minutes, setMinutes] = useState(String(session.minutes))
  const [notes, setNotes] = useState(session.notes ?? '')
  const [followUps, setFollowUps] = useState((session.followUps ?? []).join('\n'))
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const invalid = (field: EditField) =>
    fieldErrors[field]
      ? { 'aria-invalid': true as const, 'aria-describedby': `${prefix}-${EDIT_FIELD_IDS[field]}-error` }
      : {}
  const fieldError = (field: EditField) =>
    fieldErrors[field] ? (
      <p className="field-error" id={`${prefix}-${EDIT_FIELD_IDS[field]}-error`}>
        {fieldErrors[field]}
      </p>
    ) : null
  useEffect(() => {
    document.getElementById(`${prefix}-minutes`)?.focus()
  }, [prefix])
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = coachingSessionPatchSchema.safeParse({
      date,
      minutes: minutes.trim() === '' ? Number.NaN : Number(minutes),
      notes,
      followUps: followUps
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    })
    if (!parsed.success) {
      // Each message names its field already ("Minutes must be a number"): shown under that field,
      // which takes the focus.
      const next: Record<string, string> = {}
      for (const issue of parsed.error.issues) next[String(issue.path[0] ?? 'form')] ??= `${issue.message}.`
      setFieldErrors(next)
      setError(null)
      const first = EDIT_FIELDS.find((f) => next[f]) ?? null
      if (first) document.getElementById(`${prefix}-${EDIT_FIELD_IDS[first]}`)?.focus()
      else setError(next.form ?? 'Check the values.')
      return
    }
    setFieldErrors({})
    setBusy(true)
    try {
      await updateCoachingSession(session.id, parsed.data)
      announce('Session updated.')
      onDone(true)
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The session could not be saved. Try again.')
      setBusy(false)
    }
  }
  return (
    <form className="coaching-form" onSubmit={submit} noValidate aria-label={`Edit the session of ${session.date}`}>
      <div className="coaching-form__row">
        <div className="field">
          <label htmlFor={`${prefix}-date`}>Date</label>
          <input
            id={`${prefix}-date`}
            type="date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            {...invalid('date')}
          />
          {fieldError('date')}
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-minutes`}>Minutes</label>
          <input
            id={`${prefix}-minutes`}
            type="number"
            min={5}
            max={480}
            step={5}
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
            {...invalid('minutes')}
          />
          {fieldError('minutes')}
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-notes`}>Notes</label>
        <textarea
          id={`${prefix}-notes`}
          rows={3}
          maxLength={10000}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          {...invalid('notes')}
        />
        {fieldError('notes')}
      </div>
      <div className="field">
        <label htmlFor={`${prefix}-follow-ups`}>Follow-ups (one per line)</label>
        <textarea
          id={`${prefix}-follow-ups`}
          rows={3}
          value={followUps}
          onChange={(e) => setFollowUps(e.target.value)}
          {...invalid('followUps')}
        />
        {fieldError('followUps')}
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="coaching-log__actions">
        <button type="submit" className="button button--primary button--small" disabled={busy}>
          {busy ? 'Saving…' : 'Save changes'}
        </button>
        <button type="button" className="button button--small" onClick={() => onDone(false)}>
          Cancel
        </button>
      </div>
    </form>
  )
}

function AllowanceSettings({ onSaved }: { onSaved: () => void }) {
  const [state, reload] = useApi(['coaching', 'allowances'], coachingAllowances)
  const [draft, setDraft] = useState<{ currentPhase: CoachingPhase; hours: Record<string, string> } | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (state.status !== 'ready') return
    setDraft({
      currentPhase: state.data.currentPhase,
      hours: Object.fromEntries(state.data.phases.map((p) => [p.phase, String(p.allowanceMinutes / 60)])),
    })
  }, [state])
  if (state.status !== 'ready' || !draft) return null
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const phases = COACHING_PHASES.map((p) => ({
      phase: p.id,
      allowanceMinutes: Math.round(Number(draft.hours[p.id] ?? '0') * 60),
    }))
    if (
      phases.some((p) => !Number.isFinite(p.allowanceMinutes) || p.allowanceMinutes < 0 || p.allowanceMinutes > 6000)
    ) {
      setError('Give each allowance in hours, between 0 and 100.')
      return
    }
    setError(null)
    try {
      await setCoachingAllowances({ currentPhase: draft.currentPhase, phases })
      setMessage('Saved.')
      reload()
      onSaved()
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The allowances could not be saved.')
    }
  }
  return (
    <section className="card coaching-section" aria-labelledby="allowance-heading">
      <h2 id="allowance-heading">Allowance per team</h2>
      <form onSubmit={submit} noValidate className="coaching-form__row">
        <div className="field">
          <label htmlFor="allowance-phase">Current phase</label>
          <select
            id="allowance-phase"
            value={draft.currentPhase}
            onChange={(e) => setDraft({ ...draft, currentPhase: e.target.value as CoachingPhase })}
          >
            {COACHING_PHASES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        {COACHING_PHASES.map((p) => (
          <div className="field" key={p.id}>
            <label htmlFor={`allowance-${p.id}`}>{p.label} allowance (hours)</label>
            <input
              id={`allowance-${p.id}`}
              type="number"
              min={0}
              max={100}
              step={0.5}
              value={draft.hours[p.id] ?? ''}
              onChange={(e) => setDraft({ ...draft, hours: { ...draft.hours, [p.id]: e.target.value } })}
            />
          </div>
        ))}
        <button type="submit" className="button button--primary">
          Save allowances
        </button>
        {error ? (
          <p className="field-error" role="alert">
            {error}
          </p>
        ) : null}
        {message ? <p role="status">{message}</p> : null}
      </form>
    </section>
  )
}
