import { DEFAULT_LEVERS, type EvidenceDetail, ratingText } from '@lever/shared'
import { type FormEvent, useEffect, useState } from 'react'
import { Link, useNavigate, useParams } from 'react-router'
import { ApiRequestError } from '../api/http.ts'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { Field } from '../ui/Field.tsx'
import { LoadErrorPanel, LoadingPanel } from '../ui/Panels.tsx'
import { getEvidence, listEditablePlans, startInitiative } from './api.ts'
import { EntryFormDialog } from './EntryFormDialog.tsx'
import { EntryFacts } from './EvidenceCard.tsx'
import { dateText } from './labels.ts'

/** `/library/evidence/:entryId`: one entry, its rating history, and "Start an initiative from this". */
export function EvidenceEntryPage() {
  const { entryId = '' } = useParams()
  const identity = useIdentity()
  const [state, reload] = useApi(['library', 'entry', entryId], (signal) => getEvidence(entryId, signal))
  const [editing, setEditing] = useState(false)
  const [saved, setSaved] = useState<EvidenceDetail['entry'] | null>(null)
  const title = state.status === 'ready' ? state.data.entry.title : ''
  useEffect(() => {
    if (title) document.title = `${title} — Library — Lever`
  }, [title])

  if (state.status === 'loading') return <LoadingPanel>Loading the entry…</LoadingPanel>
  if (state.status === 'error')
    return (
      <LoadErrorPanel
        error={state.error}
        onRetry={reload}
        failed="The entry could not be loaded"
        missing={{ title: 'No such entry', text: 'The library has no entry at this address.' }}
        back={{ to: '/library', label: 'Go to the evidence library' }}
      />
    )
  const entry = saved && saved.id === state.data.entry.id ? saved : state.data.entry
  const history = state.data.ratingHistory
  return (
    <article className="evidence-entry" aria-labelledby="entry-heading">
      <p className="library-back">
        <Link to="/library">← All evidence</Link>
      </p>
      <div className="library-section-head">
        <h2 id="entry-heading">{entry.title}</h2>
        {identity?.user.role === 'facilitator' ? (
          <button type="button" className="button" onClick={() => setEditing(true)}>
            Edit entry
          </button>
        ) : null}
      </div>
      <div className="two-columns">
        <div className="card">
          <p className="evidence-card__summary">{entry.summary}</p>
          <EntryFacts entry={entry} />
          {history.length > 1 ? (
            <details className="rating-history">
              <summary>Rating history</summary>
              <ol>
                {history.map((h) => (
                  <li key={`${h.revision}-${h.at}`}>
                    {ratingText(h.rating)} (since {dateText(h.at)})
                  </li>
                ))}
              </ol>
            </details>
          ) : null}
        </div>
        <StartInitiativeForm entryId={entry.id} />
      </div>
      {editing ? (
        <EntryFormDialog
          entry={entry}
          onClose={() => setEditing(false)}
          onSaved={(next) => {
            setSaved(next)
            setEditing(false)
            reload()
          }}
        />
      ) : null}
    </article>
  )
}

/** Choose one of your plans and a lever: a new initiative, pre-filled from the entry, is added to it. */
function StartInitiativeForm({ entryId }: { entryId: string }) {
  const navigate = useNavigate()
  const [plans] = useApi(['plans', 'editable'], (signal) => listEditablePlans(signal))
  const [planId, setPlanId] = useState('')
  const [lever, setLever] = useState<string>(DEFAULT_LEVERS[0].id)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const list = plans.status === 'ready' ? plans.data : []
  const chosen = planId || list[0]?.id || ''

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!chosen) return
    setBusy(true)
    setError(null)
    try {
      const initiativeId = await startInitiative(chosen, entryId, lever)
      navigate(`/plans/${encodeURIComponent(chosen)}#initiative-${encodeURIComponent(initiativeId)}`)
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The initiative could not be started.')
      setBusy(false)
    }
  }

  return (
    <section className="card start-initiative" aria-labelledby="start-heading">
      <h3 id="start-heading">Start an initiative from this</h3>
      {plans.status === 'loading' ? <p>Loading your plans…</p> : null}
      {plans.status === 'error' ? <p className="field-error">{plans.error.message}</p> : null}
      {plans.status === 'ready' && list.length === 0 ? (
        <p>You have no plan you can edit. Team members start initiatives in their own jurisdiction’s plans.</p>
      ) : null}
      {list.length > 0 ? (
        <form onSubmit={submit}>
          <p className="field-hint">
            A new initiative gets this entry’s title, summary, suggested tier and components, and cites it.
          </p>
          <Field id="start-plan" label="Plan">
            {(a11y) => (
              <select {...a11y} value={chosen} onChange={(e) => setPlanId(e.target.value)}>
                {list.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.title}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="start-lever" label="Lever" error={error}>
            {(a11y) => (
              <select {...a11y} value={lever} onChange={(e) => setLever(e.target.value)}>
                {DEFAULT_LEVERS.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start the initiative'}
          </button>
        </form>
      ) : null}
    </section>
  )
}
