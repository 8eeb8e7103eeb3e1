import {
  canCreatePlan,
  createTemplateRequestSchema,
  instantiateTemplateRequestSchema,
  type Jurisdiction,
  labelOf,
  TEMPLATE_KINDS,
  type TemplateKind,
  type TemplateSummary,
} from '@lever/shared'
import { type FormEvent, useEffect, useState } from 'react'
import { Link, useNavigate } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import { listJurisdictions } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { type Identity, useIdentity } from '../app/identity.ts'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import { createTemplate, listTemplates, startPlanFromTemplate } from './api.ts'

/** `/templates`: plan and initiative templates; facilitators write them, teams start plans from them. */
export function TemplatesPage() {
  const identity = useIdentity()
  const [state, reload] = useApi(['templates'], async (signal) => {
    const [templates, jurisdictions] = await Promise.all([listTemplates(signal), listJurisdictions(signal)])
    return { templates, jurisdictions }
  })
  useEffect(() => {
    document.title = 'Templates — Lever'
  }, [])
  const isFacilitator = identity?.user.role === 'facilitator'
  return (
    <div className="page">
      <h1>Templates</h1>
      <p className="lede">
        Ready-made starting points written by the program team: a whole action plan to start a new plan from, and
        initiatives to add into a lever of your plan (“Add from template” on the plan page).
      </p>
      <PendingPanels
        state={state}
        loading="Loading the templates…"
        failed="The templates could not be loaded"
        onRetry={reload}
      />
      {state.status === 'ready' && identity ? (
        <div className={isFacilitator ? 'two-columns' : undefined}>
          <section aria-labelledby="template-list-heading">
            <h2 id="template-list-heading" className="visually-hidden">
              All templates
            </h2>
            {state.data.templates.length === 0 ? (
              <EmptyState>
                <p>No templates yet.</p>
              </EmptyState>
            ) : (
              <ul className="template-list" data-testid="templates">
                {state.data.templates.map((t) => (
                  <TemplateCard key={t.id} template={t} identity={identity} jurisdictions={state.data.jurisdictions} />
                ))}
              </ul>
            )}
          </section>
          {isFacilitator ? <NewTemplateForm /> : null}
        </div>
      ) : null}
    </div>
  )
}

function TemplateCard({
  template,
  identity,
  jurisdictions,
}: {
  template: TemplateSummary
  identity: Identity
  jurisdictions: Jurisdiction[]
}) {
  const [starting, setStarting] = useState(false)
  const mayStart = jurisdictions.filter((j) => canCreatePlan(identity.user, j.id))
  const headingId = `template-${template.id}-title`
  return (
    <li className="card template-card" aria-labelledby={headingId}>
      <div className="template-card__head">
        <h3 id={headingId}>{template.title}</h3>
        <span className="pill pill--neutral">{labelOf(TEMPLATE_KINDS, template.kind)}</span>
      </div>
      {template.description ? <p>{template.description}</p> : null}
      <p className="template-card__meta">Version {template.version}</p>
      <div className="template-card__actions">
        <Link className="button button--small" to={`/templates/${encodeURIComponent(template.id)}`}>
          {template.access === 'read-write' ? 'Edit template' : 'Read template'}
          <span className="visually-hidden"> “{template.title}”</span>
        </Link>
        {template.kind === 'plan' && mayStart.length > 0 ? (
          <button
            type="button"
            className="button button--small button--primary"
            aria-expanded={starting}
            aria-controls={`start-${template.id}`}
            onClick={() => setStarting(!starting)}
          >
            Start a plan from this
            <span className="visually-hidden"> template</span>
          </button>
        ) : null}
      </div>
      {starting ? <StartPlanForm template={template} jurisdictions={mayStart} identity={identity} /> : null}
    </li>
  )
}

function StartPlanForm({
  template,
  jurisdictions,
  identity,
}: {
  template: TemplateSummary
  jurisdictions: Jurisdiction[]
  identity: Identity
}) {
  const navigate = useNavigate()
  const own = identity.user.jurisdictionId
  const [jurisdictionId, setJurisdictionId] = useState(
    jurisdictions.find((j) => j.id === own)?.id ?? (jurisdictions.length === 1 ? (jurisdictions[0]?.id ?? '') : ''),
  )
  const [title, setTitle] = useState('')
  const [errors, setErrors] = useState<{ jurisdictionId?: string; title?: string; form?: string }>({})
  const [busy, setBusy] = useState(false)
  const prefix = `start-${template.id}`

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = instantiateTemplateRequestSchema.safeParse({ jurisdictionId, title })
    if (!parsed.success) {
      const next: typeof errors = {}
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] === 'jurisdictionId' ? 'jurisdictionId' : 'title'
        next[key] ??= key === 'jurisdictionId' ? 'Choose the jurisdiction the plan is for.' : `${issue.message}.`
      }
      setErrors(next)
      document.getElementById(next.jurisdictionId ? `${prefix}-jurisdiction` : `${prefix}-title`)?.focus()
      return
    }
    setBusy(true)
    setErrors({})
    try {
      const plan = await startPlanFromTemplate(template.id, parsed.data)
      navigate(`/plans/${encodeURIComponent(plan.id)}`)
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      setErrors({ form: apiError?.message ?? 'The plan could not be started. Try again.' })
      setBusy(false)
    }
  }

  return (
    <form
      id={prefix}
      className="template-start"
      onSubmit={submit}
      noValidate
      aria-label={`Start a plan from “${template.title}”`}
    >
      <div className={`field${errors.jurisdictionId ? ' field--invalid' : ''}`}>
        <label htmlFor={`${prefix}-jurisdiction`}>Jurisdiction</label>
        <select
          id={`${prefix}-jurisdiction`}
          value={jurisdictionId}
          aria-invalid={errors.jurisdictionId ? true : undefined}
          aria-describedby={errors.jurisdictionId ? `${prefix}-jurisdiction-error` : undefined}
          onChange={(e) => setJurisdictionId(e.target.value)}
        >
          {jurisdictions.length > 1 ? <option value="">Choose a jurisdiction</option> : null}
          {jurisdictions.map((j) => (
            <option key={j.id} value={j.id}>
              {j.name}
            </option>
          ))}
        </select>
        {errors.jurisdictionId ? (
          <p className="field-error" id={`${prefix}-jurisdiction-error`} role="alert">
            {errors.jurisdictionId}
          </p>
        ) : null}
      </div>
      <div className={`field${errors.title ? ' field--invalid' : ''}`}>
        <label htmlFor={`${prefix}-title`}>Plan title</label>
        <input
          id={`${prefix}-title`}
          value={title}
          autoComplete="off"
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? `${prefix}-title-error` : undefined}
          onChange={(e) => setTitle(e.target.value)}
        />
        {errors.title ? (
          <p className="field-error" id={`${prefix}-title-error`} role="alert">
            {errors.title}
          </p>
        ) : null}
      </div>
      {errors.form ? (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? 'Starting…' : 'Start the plan'}
      </button>
    </form>
  )
}

function NewTemplateForm() {
  const navigate = useNavigate()
  const [kind, setKind] = useState<TemplateKind>('initiative')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = createTemplateRequestSchema.safeParse({ kind, title, description })
    if (!parsed.success) {
      setError(`${parsed.error.issues[0]?.message ?? 'Check the title'}.`)
      document.getElementById('new-template-title')?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      const template = await createTemplate(parsed.data)
      navigate(`/templates/${encodeURIComponent(template.id)}`)
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The template could not be created. Try again.')
      setBusy(false)
    }
  }

  return (
    <section aria-labelledby="new-template-heading" className="card">
      <h2 id="new-template-heading">New template</h2>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor="new-template-kind">Kind</label>
          <select id="new-template-kind" value={kind} onChange={(e) => setKind(e.target.value as TemplateKind)}>
            {TEMPLATE_KINDS.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor="new-template-title">Title</label>
          <input
            id="new-template-title"
            value={title}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'new-template-title-error' : undefined}
            onChange={(e) => setTitle(e.target.value)}
          />
          {error ? (
            <p className="field-error" id="new-template-title-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor="new-template-description">Description</label>
          <textarea
            id="new-template-description"
            rows={3}
            maxLength={1000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create and open in the editor'}
        </button>
      </form>
    </section>
  )
}
