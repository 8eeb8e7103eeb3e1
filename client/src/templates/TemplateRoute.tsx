import { AccessMode, type TemplateSummary } from '@lever/shared'
import { useEffect, useState } from 'react'
import { Link, useParams } from 'react-router'
import { useApi } from '../api/useApi.ts'
import { type Identity, useIdentity } from '../app/identity.ts'
import { ClosedAlert, ConnectionIndicator, SavedIndicator } from '../collab/ConnectionStatus.tsx'
import { PlanSession } from '../collab/PlanSession.ts'
import { useLeaveGuard, useOpenSession } from '../collab/sessionHooks.ts'
import { DerivedProvider } from '../plan/derived.tsx'
import { LeverView } from '../plan/LeverView.tsx'
import { PlanSessionContext, usePlanSession, usePlanStatus, usePlanVersion } from '../plan/PlanContext.tsx'
import { PlanUiProvider } from '../plan/PlanUi.tsx'
import { ProseGroup } from '../plan/ProseGroup.tsx'
import { ErrorPanel, LoadErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { ReadOnlyContext } from '../ui/readOnly.ts'
import { getTemplate } from './api.ts'

/** `/templates/:templateId`: a template open in the plan editor (facilitators edit, others read). */
export function TemplateRoute() {
  const { templateId = '' } = useParams()
  const identity = useIdentity()
  const [state, reload] = useApi(['templates', templateId], (signal) => getTemplate(templateId, signal))
  if (state.status === 'loading') return <LoadingPanel>Opening the template…</LoadingPanel>
  if (state.status === 'error') {
    return (
      <LoadErrorPanel
        error={state.error}
        onRetry={reload}
        failed="The template could not be opened"
        missing={{ title: 'This template does not exist', text: 'The link may be wrong.' }}
        forbidden={{ title: 'You cannot open this template', text: 'Sign in again or ask a facilitator.' }}
        back={{ to: '/templates', label: 'Go to the templates' }}
      />
    )
  }
  if (!identity) return <LoadingPanel>Checking who you are…</LoadingPanel>
  return <OpenTemplate key={state.data.id} template={state.data} identity={identity} />
}

function OpenTemplate({ template, identity }: { template: TemplateSummary; identity: Identity }) {
  const access = template.access === 'read-write' ? AccessMode.ReadWrite : AccessMode.ReadOnly
  const session = useOpenSession(
    template.docName,
    () => new PlanSession(template.docName, identity, { access }),
    identity,
  )
  if (!session) return <LoadingPanel>Opening the template…</LoadingPanel>
  return (
    <PlanSessionContext.Provider value={session}>
      <ReadOnlyContext.Provider value={session.readOnly}>
        <PlanUiProvider>
          <TemplateBody template={template} />
        </PlanUiProvider>
      </ReadOnlyContext.Provider>
    </PlanSessionContext.Provider>
  )
}

function TemplateBody({ template }: { template: TemplateSummary }) {
  const session = usePlanSession()
  useLeaveGuard(session)
  const status = usePlanStatus()
  usePlanVersion()
  const title = status.loaded ? session.model.title || template.title : template.title
  useEffect(() => {
    document.title = `${title} (template) — Lever`
  }, [title])
  if (!status.loaded) {
    if (status.connection === 'closed') {
      return (
        <ErrorPanel title="This template cannot be opened">
          <p>{status.closedMessage}</p>
        </ErrorPanel>
      )
    }
    return <LoadingPanel>Loading “{template.title}”…</LoadingPanel>
  }
  return (
    <DerivedProvider>
      <div className="plan-page template-page">
        <section className="status-bar" aria-label="Connection and saving">
          <div className="status-bar__state">
            <ConnectionIndicator session={session} status={status} />
            <SavedIndicator status={status} />
          </div>
          {session.readOnly ? <p className="read-only-badge">Read only</p> : null}
          <ClosedAlert status={status} />
        </section>
        <nav aria-label="Breadcrumb" className="breadcrumbs">
          <ol>
            <li>
              <Link to="/templates">Templates</Link>
            </li>
            <li aria-current="page">{title}</li>
          </ol>
        </nav>
        <h1>{title}</h1>
        <p className="notice template-banner">
          {session.readOnly
            ? 'A template: read it here; start a plan from it, or add it into your plan, from the Templates page or your plan.'
            : 'You are editing a template. Changes are saved as you type; plans started from it later get the new version, plans started before keep theirs.'}
        </p>
        {session.readOnly ? null : <TemplateTitle />}
        <div className="plan-content">
          {template.kind === 'plan' ? (
            <>
              <ProseGroup group="Strategy" withTargets />
              <ProseGroup group="Equity" />
            </>
          ) : null}
          <section className="plan-group" aria-labelledby="group-levers">
            <h2 id="group-levers" className="plan-group__title" tabIndex={-1}>
              {template.kind === 'plan' ? 'Levers and initiatives' : 'The initiative'}
            </h2>
            {session.model
              .leverList()
              .filter((lever) => template.kind === 'plan' || session.model.initiatives(lever.id).length > 0)
              .map((lever) => (
                <LeverView key={lever.id} lever={lever} />
              ))}
          </section>
        </div>
      </div>
    </DerivedProvider>
  )
}

/** The template's title, written into its document when the field is left. */
function TemplateTitle() {
  const session = usePlanSession()
  const current = session.model.title
  const [value, setValue] = useState(current)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => setValue(current), [current])
  const commit = () => {
    const next = value.trim()
    if (!next) {
      setError('A template needs a title.')
      return
    }
    setError(null)
    if (next !== current) session.edit(() => session.model.setTitle(next))
  }
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor="template-title">Template title</label>
      <input
        id="template-title"
        value={value}
        maxLength={200}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'template-title-error' : undefined}
        onChange={(e) => setValue(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit()
        }}
      />
      {error ? (
        <p className="field-error" id="template-title-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  )
}
