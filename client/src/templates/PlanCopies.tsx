import {
  AccessMode,
  type BorrowCounts,
  DEFAULT_LEVERS,
  type InitiativeModel,
  type LeverDef,
  type PlanSummary,
  type TemplateSummary,
} from '@lever/shared'
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import { listPlans } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { domIds } from '../plan/domIds.ts'
import { usePlanSession } from '../plan/PlanContext.tsx'
import { usePlanUi } from '../plan/PlanUi.tsx'
import { announce } from '../ui/announce.ts'
import { addInitiativeFromTemplate, borrowCounts, borrowInitiative, listTemplates } from './api.ts'

/**
 * What a plan page knows about copying initiatives: the initiative templates that can be added
 * into it, the caller's own plans that its initiatives can be copied into, and how many other
 * teams copied each of its initiatives. Absent outside a plan page (e.g. in the template editor).
 */
interface PlanCopies {
  plan: PlanSummary
  initiativeTemplates: TemplateSummary[]
  /** Plans of the caller's own team, to copy a peer's initiative into (empty on their own plans). */
  myPlans: PlanSummary[]
  counts: BorrowCounts
}

const PlanCopiesContext = createContext<PlanCopies | null>(null)

export function PlanCopiesProvider({ plan, children }: { plan: PlanSummary; children: ReactNode }) {
  const user = useIdentity()?.user ?? null
  const ownJurisdiction = user?.role === 'member' ? user.jurisdictionId : null
  const editable = plan.access === AccessMode.ReadWrite
  const [templates] = useApi(['templates', 'copy', plan.id, editable], async (signal) =>
    editable ? (await listTemplates(signal)).filter((t) => t.kind === 'initiative') : [],
  )
  const [mine] = useApi(['plans', 'copy-targets', plan.id, ownJurisdiction], async (signal) =>
    ownJurisdiction && ownJurisdiction !== plan.jurisdictionId
      ? (await listPlans(ownJurisdiction, signal)).filter((p) => p.access === AccessMode.ReadWrite)
      : [],
  )
  const [counts] = useApi(['plans', 'borrows', plan.id], (signal) => borrowCounts(plan.id, signal))
  const value = useMemo<PlanCopies>(
    () => ({
      plan,
      initiativeTemplates: templates.status === 'ready' ? templates.data : [],
      myPlans: mine.status === 'ready' ? mine.data : [],
      counts: counts.status === 'ready' ? counts.data : {},
    }),
    [plan, templates, mine, counts],
  )
  return <PlanCopiesContext.Provider value={value}>{children}</PlanCopiesContext.Provider>
}

function usePlanCopies(): PlanCopies | null {
  return useContext(PlanCopiesContext)
}

/** "Add from template" under a lever: an initiative template copied into this lever by the server. */
export function AddFromTemplate({ lever }: { lever: LeverDef }) {
  const copies = usePlanCopies()
  const session = usePlanSession()
  const ui = usePlanUi()
  const [open, setOpen] = useState(false)
  const [templateId, setTemplateId] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = useCallback(
    async (e: FormEvent) => {
      e.preventDefault()
      if (!copies) return
      if (!templateId) {
        setError('Choose a template.')
        document.getElementById(`from-template-${lever.id}`)?.focus()
        return
      }
      setBusy(true)
      setError(null)
      try {
        const { initiativeId } = await addInitiativeFromTemplate(copies.plan.id, { templateId, lever: lever.id })
        setOpen(false)
        setTemplateId('')
        announce(`Added the template's initiative to ${lever.label}.`)
        ui.reveal(domIds.initiativeField(initiativeId, 'title'), { initiativeId })
      } catch (err) {
        setError(err instanceof ApiRequestError ? err.message : 'The template could not be added. Try again.')
      } finally {
        setBusy(false)
      }
    },
    [copies, templateId, lever, ui],
  )
  if (!copies || session.readOnly || copies.initiativeTemplates.length === 0) return null
  const formId = `from-template-form-${lever.id}`
  return (
    <>
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-controls={formId}
        onClick={() => setOpen(!open)}
      >
        Add from template<span className="visually-hidden"> to {lever.label}</span>
      </button>
      {open ? (
        <form id={formId} className="copy-form" onSubmit={submit} noValidate>
          <div className={`field${error ? ' field--invalid' : ''}`}>
            <label htmlFor={`from-template-${lever.id}`}>Initiative template for {lever.label}</label>
            <select
              id={`from-template-${lever.id}`}
              value={templateId}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `from-template-${lever.id}-error` : undefined}
              onChange={(e) => setTemplateId(e.target.value)}
            >
              <option value="">Choose a template</option>
              {copies.initiativeTemplates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title}
                </option>
              ))}
            </select>
            {error ? (
              <p className="field-error" id={`from-template-${lever.id}-error`} role="alert">
                {error}
              </p>
            ) : null}
          </div>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add it'}
          </button>
        </form>
      ) : null}
    </>
  )
}

/** "Copy to my plan" on a peer's initiative: copies it into one of the caller's own plans. */
export function CopyToMyPlan({ initiative, name }: { initiative: InitiativeModel; name: string }) {
  const copies = usePlanCopies()
  const [open, setOpen] = useState(false)
  const [planId, setPlanId] = useState('')
  const [lever, setLever] = useState(initiative.lever)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<{ planId: string; title: string } | null>(null)
  const [busy, setBusy] = useState(false)
  if (!copies || copies.myPlans.length === 0) return null
  const prefix = `copy-${initiative.id}`
  const target = planId || (copies.myPlans.length === 1 ? (copies.myPlans[0]?.id ?? '') : '')
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!target) {
      setError('Choose the plan to copy it into.')
      document.getElementById(`${prefix}-plan`)?.focus()
      return
    }
    setBusy(true)
    setError(null)
    try {
      await borrowInitiative(target, { fromPlanId: copies.plan.id, initiativeId: initiative.id, lever })
      const title = copies.myPlans.find((p) => p.id === target)?.title ?? 'your plan'
      setDone({ planId: target, title })
      setOpen(false)
      announce(`Copied “${name}” into ${title}.`)
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'It could not be copied. Try again.')
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button
        type="button"
        className="button button--small"
        aria-expanded={open}
        aria-controls={`${prefix}-form`}
        onClick={() => setOpen(!open)}
      >
        Copy to my plan<span className="visually-hidden"> “{name}”</span>
      </button>
      {done ? (
        <p className="copy-done" role="status">
          Copied into <Link to={`/plans/${encodeURIComponent(done.planId)}`}>{done.title}</Link>.
        </p>
      ) : null}
      {open ? (
        <form id={`${prefix}-form`} className="copy-form" onSubmit={submit} noValidate>
          {copies.myPlans.length > 1 ? (
            <div className="field">
              <label htmlFor={`${prefix}-plan`}>Your plan</label>
              <select id={`${prefix}-plan`} value={planId} onChange={(e) => setPlanId(e.target.value)}>
                <option value="">Choose a plan</option>
                {copies.myPlans.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="field">
            <label htmlFor={`${prefix}-lever`}>Lever in your plan</label>
            <select id={`${prefix}-lever`} value={lever} onChange={(e) => setLever(e.target.value)}>
              {DEFAULT_LEVERS.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.label}
                </option>
              ))}
            </select>
          </div>
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Copying…' : copies.myPlans.length === 1 ? `Copy into “${copies.myPlans[0]?.title}”` : 'Copy it'}
          </button>
        </form>
      ) : null}
    </>
  )
}

function shortDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' })
}

/** Facts on an initiative card: where a copy came from, and how many teams copied the original. */
export function InitiativeOrigin({ initiative }: { initiative: InitiativeModel }) {
  const copies = usePlanCopies()
  const borrowed = initiative.borrowedFrom
  const template = initiative.fromTemplate
  const count = copies?.counts[initiative.id]
  return (
    <>
      {borrowed ? (
        <div>
          <dt>Copied from</dt>
          <dd data-testid="borrowed-from">
            {borrowed.jurisdictionName}’s plan “{borrowed.planTitle}” ({shortDate(borrowed.at)})
          </dd>
        </div>
      ) : null}
      {template ? (
        <div>
          <dt>From template</dt>
          <dd>
            “{template.title}” (version {template.version})
          </dd>
        </div>
      ) : null}
      {count && count.teams > 0 ? (
        <div>
          <dt>Borrowed</dt>
          <dd data-testid="borrow-count">by {count.teams === 1 ? '1 other team' : `${count.teams} other teams`}</dd>
        </div>
      ) : null}
    </>
  )
}
