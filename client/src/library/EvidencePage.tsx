import {
  DEFAULT_LEVERS,
  type EvidenceEntry,
  type EvidenceQuery,
  JOB_QUALITY_COMPONENTS,
  matchesEvidenceQuery,
} from '@lever/shared'
import { useEffect, useMemo, useState } from 'react'
import { useNavigate, useSearchParams } from 'react-router'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import { listEvidence } from './api.ts'
import { EntryFormDialog } from './EntryFormDialog.tsx'
import { EvidenceCard } from './EvidenceCard.tsx'

const FILTERS = ['lever', 'component', 'rating', 'population', 'q'] as const

/** Distinct values, sorted as people read them. */
function distinct(values: string[]): string[] {
  const byKey = new Map<string, string>()
  for (const v of values) if (!byKey.has(v.toLowerCase())) byKey.set(v.toLowerCase(), v)
  return [...byKey.values()].sort((a, b) => a.localeCompare(b))
}

/** `/library`: every evidence entry, filtered by lever, component, rating, population and text (kept in the URL). */
export function EvidencePage() {
  const identity = useIdentity()
  const facilitator = identity?.user.role === 'facilitator'
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const [state, reload] = useApi(['library', 'evidence'], (signal) => listEvidence({}, signal))
  const [adding, setAdding] = useState(false)
  useEffect(() => {
    document.title = 'Evidence — Library — Lever'
  }, [])

  const query: EvidenceQuery = {}
  for (const key of FILTERS) {
    const value = params.get(key)
    if (value) query[key] = value
  }
  const entries: EvidenceEntry[] = state.status === 'ready' ? state.data : []
  const shown = entries.filter((e) => matchesEvidenceQuery(e, query))
  const ratings = useMemo(() => distinct(entries.flatMap((e) => (e.rating ? [e.rating.value] : []))), [entries])
  const populations = useMemo(() => distinct(entries.flatMap((e) => e.populations)), [entries])
  const anyFilter = FILTERS.some((k) => params.get(k))

  const setFilter = (key: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(key, value)
    else next.delete(key)
    setParams(next, { replace: true })
  }
  const select = (
    key: (typeof FILTERS)[number],
    label: string,
    options: ReadonlyArray<{ id: string; label: string }>,
  ) => (
    <div className="field">
      <label htmlFor={`evidence-filter-${key}`}>{label}</label>
      <select
        id={`evidence-filter-${key}`}
        value={params.get(key) ?? ''}
        onChange={(e) => setFilter(key, e.target.value)}
      >
        <option value="">Any</option>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  )

  return (
    <section aria-labelledby="evidence-heading">
      <div className="library-section-head">
        <h2 id="evidence-heading">Evidence</h2>
        {facilitator ? (
          <button type="button" className="button button--primary" onClick={() => setAdding(true)}>
            Add an entry
          </button>
        ) : null}
      </div>
      <search className="filters library-filters" aria-label="Filter the evidence">
        <div className="field">
          <label htmlFor="evidence-filter-q">Search</label>
          <input
            id="evidence-filter-q"
            type="search"
            value={params.get('q') ?? ''}
            placeholder="Words in the title, summary or source"
            onChange={(e) => setFilter('q', e.target.value)}
          />
        </div>
        {select('lever', 'Lever', DEFAULT_LEVERS)}
        {select('component', 'Component', JOB_QUALITY_COMPONENTS)}
        {select('rating', 'Rating', [...ratings.map((r) => ({ id: r, label: r })), { id: 'none', label: 'Not rated' }])}
        {select(
          'population',
          'Population',
          populations.map((p) => ({ id: p, label: p })),
        )}
        {anyFilter ? (
          <button type="button" className="button button--quiet" onClick={() => setParams(new URLSearchParams())}>
            Clear filters
          </button>
        ) : null}
        <p className="filters__count" role="status">
          {state.status === 'ready' ? `Showing ${shown.length} of ${entries.length} entries` : ''}
        </p>
      </search>
      <PendingPanels
        state={state}
        loading="Loading the evidence…"
        failed="The evidence could not be loaded"
        onRetry={reload}
      />
      {state.status === 'ready' && shown.length === 0 ? (
        <EmptyState>
          <p>{entries.length === 0 ? 'The library has no evidence entries yet.' : 'No entry matches these filters.'}</p>
        </EmptyState>
      ) : null}
      <div className="evidence-list">
        {shown.map((entry) => (
          <EvidenceCard key={entry.id} entry={entry} />
        ))}
      </div>
      {adding ? (
        <EntryFormDialog
          entry={null}
          onClose={() => setAdding(false)}
          onSaved={(entry) => {
            setAdding(false)
            navigate(`/library/evidence/${encodeURIComponent(entry.id)}`)
          }}
        />
      ) : null}
    </section>
  )
}
