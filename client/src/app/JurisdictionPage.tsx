import { canCreatePlan, createPlanRequestSchema } from '@lever/shared'
import { type FormEvent, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import { createPlan, getJurisdiction, listPlans } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { Breadcrumbs } from '../ui/Breadcrumbs.tsx'
import { EmptyState, LoadErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { fullDate } from '../ui/time.ts'
import { kindLabel } from './CohortPage.tsx'
import { useIdentity } from './identity.ts'

/** `/jurisdictions/:id`: one jurisdiction, its plans and a form to start a new plan. */
export function JurisdictionPage() {
  const { jurisdictionId = '' } = useParams()
  const identity = useIdentity()
  const [state, reload] = useApi(['jurisdictions', jurisdictionId], async (signal) => {
    const [jurisdiction, plans] = await Promise.all([
      getJurisdiction(jurisdictionId, signal),
      listPlans(jurisdictionId, signal),
    ])
    return { jurisdiction, plans }
  })
  useEffect(() => {
    if (state.status === 'ready') document.title = `${state.data.jurisdiction.name} — Lever`
  }, [state])

  if (state.status === 'loading') return <LoadingPanel>Loading the jurisdiction…</LoadingPanel>
  if (state.status === 'error') {
    return (
      <LoadErrorPanel
        error={state.error}
        onRetry={reload}
        failed="The jurisdiction could not be loaded"
        missing={{ title: 'This jurisdiction is not in the cohort', text: 'Check the link, or pick it from the list.' }}
        back={{ to: '/cohort', label: 'Go to the cohort’s jurisdictions' }}
      />
    )
  }
  const { jurisdiction, plans } = state.data
  const canStart = identity !== null && canCreatePlan(identity.user, jurisdiction.id)
  return (
    <div className="page">
      <Breadcrumbs trail={[{ to: '/cohort', label: 'Cohort' }]} current={jurisdiction.name} />
      <h1>{jurisdiction.name}</h1>
      <p className="lede">
        {kindLabel(jurisdiction.kind)} · {jurisdiction.state} · {jurisdiction.agency}
      </p>
      <div className="two-columns">
        <section aria-labelledby="plans-heading" className="card">
          <h2 id="plans-heading">Action plans</h2>
          {plans.length === 0 ? (
            <EmptyState>
              <p>
                {canStart
                  ? 'No plans yet. Start the first one with the form on this page.'
                  : 'No plans you can open yet. A team can share its plan with the cohort.'}
              </p>
            </EmptyState>
          ) : (
            <ul className="plan-list" data-testid="plans">
              {plans.map((p) => (
                <li key={p.id}>
                  <Link to={`/plans/${encodeURIComponent(p.id)}`} className="plan-list__title">
                    {p.title}
                  </Link>
                  <span className="plan-list__meta">Last changed {fullDate(p.updatedAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        {canStart ? (
          <NewPlanForm jurisdictionId={jurisdiction.id} />
        ) : (
          <section aria-labelledby="new-plan-heading" className="card">
            <h2 id="new-plan-heading">Start a new plan</h2>
            <p>Only {jurisdiction.name}’s team or a facilitator can start its plans.</p>
          </section>
        )}
      </div>
    </div>
  )
}

function NewPlanForm({ jurisdictionId }: { jurisdictionId: string }) {
  const navigate = useNavigate()
  const [title, setTitle] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = createPlanRequestSchema.safeParse({ title })
    if (!parsed.success) {
      setError(`${parsed.error.issues[0]?.message ?? 'Check the title'}.`)
      document.getElementById('new-plan-title')?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      const plan = await createPlan(jurisdictionId, parsed.data.title)
      navigate(`/plans/${encodeURIComponent(plan.id)}`)
    } catch (err) {
      const apiError = err instanceof ApiRequestError ? err : null
      setError(apiError?.fieldErrors().title ?? apiError?.message ?? 'The plan could not be created. Try again.')
      setBusy(false)
      document.getElementById('new-plan-title')?.focus()
    }
  }

  return (
    <section aria-labelledby="new-plan-heading" className="card">
      <h2 id="new-plan-heading">Start a new plan</h2>
      <form onSubmit={submit} noValidate>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor="new-plan-title">Plan title</label>
          <p className="field-hint" id="new-plan-title-hint">
            For example “Good jobs in county contracting 2024–2026”. You can change it later.
          </p>
          <input
            id="new-plan-title"
            value={title}
            autoComplete="off"
            aria-describedby={error ? 'new-plan-title-hint new-plan-title-error' : 'new-plan-title-hint'}
            aria-invalid={error ? true : undefined}
            onChange={(e) => setTitle(e.target.value)}
          />
          {error ? (
            <p className="field-error" id="new-plan-title-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create plan'}
        </button>
      </form>
    </section>
  )
}
