import { type Jurisdiction, jurisdictionKindSchema } from '@lever/shared'
import { useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { listJurisdictions } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { CohortExportMenu } from '../export/ExportMenu.tsx'
import { ChoiceFilter, FilterBar, SearchFilter } from '../ui/Filters.tsx'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import { useIdentity } from './identity.ts'

type Kind = Jurisdiction['kind']
const KINDS = jurisdictionKindSchema.options

export function kindLabel(kind: Kind): string {
  return kind.charAt(0).toUpperCase() + kind.slice(1)
}

function matches(j: Jurisdiction, query: string): boolean {
  if (!query) return true
  const q = query.toLowerCase()
  return [j.name, j.state, j.agency, j.kind].some((v) => v.toLowerCase().includes(q))
}

/** `/`: the cohort's jurisdictions, searchable and filterable by kind. */
export function CohortPage() {
  const [state, reload] = useApi(['jurisdictions'], listJurisdictions)
  const isFacilitator = useIdentity()?.user.role === 'facilitator'
  const [query, setQuery] = useState('')
  const [kind, setKind] = useState<Kind | ''>('')
  useEffect(() => {
    document.title = 'Cohort jurisdictions — Lever'
  }, [])
  const all = state.status === 'ready' ? state.data : []
  const shown = useMemo(
    () => all.filter((j) => (kind === '' || j.kind === kind) && matches(j, query.trim())),
    [all, kind, query],
  )

  return (
    <div className="page">
      <h1>Cohort jurisdictions</h1>
      {isFacilitator ? (
        <div className="export-bar">
          <CohortExportMenu />
        </div>
      ) : null}
      <p className="lede">
        The state, city and county governments of the cohort. Open one to see its action plans or start a new one.
      </p>
      <PendingPanels
        state={state}
        loading="Loading the cohort…"
        failed="The cohort could not be loaded"
        onRetry={reload}
      />
      {state.status === 'ready' ? (
        <>
          <FilterBar label="Filter jurisdictions" shown={shown.length} total={all.length} noun="jurisdictions">
            <SearchFilter
              id="jurisdiction-search"
              value={query}
              placeholder="Name, state or agency"
              onChange={setQuery}
            />
            <ChoiceFilter
              id="jurisdiction-kind"
              label="Kind of government"
              value={kind}
              anyLabel="All kinds"
              options={KINDS.map((k) => ({ id: k, label: kindLabel(k) }))}
              onChange={setKind}
            />
          </FilterBar>
          {shown.length === 0 ? (
            <EmptyState>
              <p>No jurisdiction matches “{query}”. Try part of a name, a state such as “CO”, or clear the filters.</p>
              <button
                type="button"
                className="button"
                onClick={() => {
                  setQuery('')
                  setKind('')
                }}
              >
                Clear filters
              </button>
            </EmptyState>
          ) : (
            <div className="table-scroll">
              <table className="data-table" data-testid="jurisdictions">
                <caption className="visually-hidden">Jurisdictions of the cohort</caption>
                <thead>
                  <tr>
                    <th scope="col">Jurisdiction</th>
                    <th scope="col">Kind</th>
                    <th scope="col">State</th>
                    <th scope="col">Lead agency</th>
                    <th scope="col" className="num">
                      Plans
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((j) => (
                    <tr key={j.id}>
                      <th scope="row">
                        <Link to={`/jurisdictions/${encodeURIComponent(j.id)}`}>{j.name}</Link>
                      </th>
                      <td>{kindLabel(j.kind)}</td>
                      <td>{j.state}</td>
                      <td>{j.agency}</td>
                      <td className="num">{j.planCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : null}
    </div>
  )
}
