import { type CohortSession, createSessionRequestSchema } from '@lever/shared'
import { type FormEvent, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { announce } from '../ui/announce.ts'
import { Breadcrumbs } from '../ui/Breadcrumbs.tsx'
import { CheckGroup } from '../ui/CheckGroup.tsx'
import { Field } from '../ui/Field.tsx'
import { ErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { createSession, getSession, type SessionFields, updateSession } from './api.ts'
import { FOCUS_CHOICES, PHASES } from './format.ts'

type FieldName = 'title' | 'topic' | 'phase' | 'startsAt' | 'durationMinutes' | 'agenda' | 'prework' | 'focus'

interface FormState {
  title: string
  topic: string
  phase: CohortSession['phase']
  /** `YYYY-MM-DDTHH:mm` in the facilitator's time zone (a datetime-local input). */
  startsAt: string
  durationMinutes: string
  agenda: string
  prework: string
  focus: string[]
}

const pad = (n: number) => String(n).padStart(2, '0')

function toLocalInput(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return ''
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const EMPTY: FormState = {
  title: '',
  topic: '',
  phase: 'other',
  startsAt: '',
  durationMinutes: '90',
  agenda: '',
  prework: '',
  focus: [],
}

function fromSession(s: CohortSession): FormState {
  return {
    title: s.title,
    topic: s.topic,
    phase: s.phase,
    startsAt: toLocalInput(s.startsAt),
    durationMinutes: String(s.durationMinutes),
    agenda: s.agenda,
    prework: s.prework,
    focus: s.focus,
  }
}

const FIELD_IDS: Record<FieldName, string> = {
  title: 'session-title',
  topic: 'session-topic',
  phase: 'session-phase',
  startsAt: 'session-starts',
  durationMinutes: 'session-duration',
  agenda: 'session-agenda',
  prework: 'session-prework',
  focus: 'session-focus-section:problem',
}

/** Checks the form with the shared request schema; returns the body or a message per field. */
function validate(form: FormState): { body: SessionFields } | { errors: Partial<Record<FieldName, string>> } {
  const errors: Partial<Record<FieldName, string>> = {}
  const start = form.startsAt ? new Date(form.startsAt) : null
  if (!start || Number.isNaN(start.getTime())) errors.startsAt = 'Choose the date and time the session starts.'
  const duration = Number(form.durationMinutes)
  const parsed = createSessionRequestSchema.safeParse({
    ...form,
    startsAt: start && !Number.isNaN(start.getTime()) ? start.toISOString() : '',
    durationMinutes: Number.isFinite(duration) ? duration : Number.NaN,
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as FieldName
      if (errors[field]) continue
      errors[field] =
        field === 'durationMinutes' ? 'A session lasts 15 to 480 minutes, in whole minutes.' : `${issue.message}.`
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors }
  return { body: parsed.data }
}

/** `/sessions/new` and `/sessions/:sessionId/edit` (facilitators): a session's date, topic, agenda, pre-work and focus. */
export function SessionFormPage() {
  const { sessionId } = useParams()
  const [state, reload] = useApi(['sessions', 'form', sessionId ?? 'new'], async (signal) =>
    sessionId ? fromSession((await getSession(sessionId, signal)).session) : EMPTY,
  )
  const identity = useIdentity()
  if (identity && identity.user.role !== 'facilitator') {
    return (
      <ErrorPanel title="Only facilitators edit the calendar">
        <p>
          <Link to="/sessions">Go to the cohort calendar</Link>
        </p>
      </ErrorPanel>
    )
  }
  if (state.status === 'loading') return <LoadingPanel>Loading the session…</LoadingPanel>
  if (state.status === 'error')
    return (
      <ErrorPanel title="The session could not be loaded" onRetry={reload}>
        <p>{state.error.message}</p>
      </ErrorPanel>
    )
  return <SessionForm sessionId={sessionId ?? null} initial={state.data} />
}

function SessionForm({ sessionId, initial }: { sessionId: string | null; initial: FormState }) {
  const navigate = useNavigate()
  const [form, setForm] = useState(initial)
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({})
  const [failure, setFailure] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const heading = sessionId ? `Edit “${initial.title}”` : 'New session'
  useEffect(() => {
    document.title = `${heading} — Lever`
  }, [heading])
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }))
  const showErrors = (next: Partial<Record<FieldName, string>>) => {
    setErrors(next)
    const first = (Object.keys(FIELD_IDS) as FieldName[]).find((f) => next[f])
    if (first) document.getElementById(FIELD_IDS[first])?.focus()
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setFailure(null)
    const result = validate(form)
    if ('errors' in result) {
      showErrors(result.errors)
      return
    }
    setErrors({})
    setBusy(true)
    try {
      const saved = sessionId ? await updateSession(sessionId, result.body) : await createSession(result.body)
      announce(sessionId ? `Saved “${saved.title}”.` : `Added “${saved.title}” to the calendar.`)
      navigate('/sessions')
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      const fieldErrors = apiError?.fieldErrors() ?? {}
      if (Object.keys(fieldErrors).length > 0) showErrors(fieldErrors as Partial<Record<FieldName, string>>)
      setFailure(apiError?.message ?? 'The session could not be saved. Try again.')
      setBusy(false)
    }
  }

  const text = (name: 'title' | 'topic', label: string, hint?: string) => (
    <Field id={FIELD_IDS[name]} label={label} hint={hint} error={errors[name]}>
      {(a11y) => <input {...a11y} value={form[name]} autoComplete="off" onChange={(e) => set(name, e.target.value)} />}
    </Field>
  )
  const area = (name: 'agenda' | 'prework', label: string, hint: string) => (
    <Field id={FIELD_IDS[name]} label={label} hint={hint} error={errors[name]} className="span-2">
      {(a11y) => <textarea {...a11y} rows={4} value={form[name]} onChange={(e) => set(name, e.target.value)} />}
    </Field>
  )

  return (
    <div className="page session-form">
      <Breadcrumbs trail={[{ to: '/sessions', label: 'Sessions' }]} current={sessionId ? 'Edit' : 'New session'} />
      <h1>{heading}</h1>
      <form className="card" onSubmit={submit} noValidate>
        <div className="form-grid">
          {text('title', 'Title', 'For example “Lever 1: Procurement”.')}
          {text('topic', 'Topic')}
          <Field id={FIELD_IDS.phase} label="Phase" error={errors.phase}>
            {(a11y) => (
              <select {...a11y} value={form.phase} onChange={(e) => set('phase', e.target.value as FormState['phase'])}>
                {PHASES.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            id={FIELD_IDS.startsAt}
            label="Starts"
            hint={`In your time zone (${Intl.DateTimeFormat().resolvedOptions().timeZone}).`}
            error={errors.startsAt}
          >
            {(a11y) => (
              <input
                {...a11y}
                type="datetime-local"
                value={form.startsAt}
                onChange={(e) => set('startsAt', e.target.value)}
              />
            )}
          </Field>
          <Field id={FIELD_IDS.durationMinutes} label="Length in minutes" error={errors.durationMinutes}>
            {(a11y) => (
              <input
                {...a11y}
                type="number"
                min={15}
                max={480}
                step={5}
                value={form.durationMinutes}
                onChange={(e) => set('durationMinutes', e.target.value)}
              />
            )}
          </Field>
          {area('agenda', 'Agenda', 'One item a line, e.g. “Breakout groups: draft together (35 min)”.')}
          {area('prework', 'Pre-work', 'What teams do before the session (30–60 minutes), and write in their plan.')}
        </div>
        <CheckGroup
          legend="What the session is about (where teams write their pre-work)"
          idPrefix="session-focus"
          options={FOCUS_CHOICES.map((f) => ({ id: f.key, label: f.kind === 'lever' ? `Lever: ${f.label}` : f.label }))}
          checked={form.focus}
          onToggle={(key, on) => set('focus', on ? [...form.focus, key] : form.focus.filter((f) => f !== key))}
        />
        {errors.focus ? (
          <p className="field-error" role="alert">
            {errors.focus}
          </p>
        ) : null}
        {failure ? (
          <p className="field-error" role="alert">
            {failure}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Saving…' : sessionId ? 'Save changes' : 'Add to the calendar'}
          </button>
          <Link className="button button--quiet" to="/sessions">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  )
}
