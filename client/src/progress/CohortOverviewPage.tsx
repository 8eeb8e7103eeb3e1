import { JOB_QUALITY_COMPONENTS, PLAN_STATUSES, type PlanStatus } from '@lever/shared'
import { useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { useApi } from '../api/useApi.ts'
import { useIdentity } from '../app/identity.ts'
import { EmptyState, PendingPanels } from '../ui/Panels.tsx'
import { getCohortOverview } from './api.ts'
import { CalendarSettings } from './CalendarSettings.tsx'
import { CheckInsDue } from './CheckInsDue.tsx'
import { HeatmapTable } from './charts/HeatmapTable.tsx'
import { OverviewTable, planHref } from './OverviewTable.tsx'
import { filterRows, type OverviewFilter, overviewRows, type SortKey, sortRows } from './overviewRows.ts'
import './progress.css'
import { ChoiceFilter, FilterBar, SearchFilter } from '../ui/Filters.tsx'

const NO_FILTER: OverviewFilter = { query: '', status: '', withWarnings: false, checkInsMissing: false }

/**
 * `/overview`: every jurisdiction a person may follow (facilitators all, coaches their own, a
 * team its own) with its plans' figures, from the server's projection (one query, no plan
 * loaded), and a heatmap of jurisdictions × components of job quality.
 */
export function CohortOverviewPage() {
  const identity = useIdentity()
  const [state, reload] = useApi(['overview'], getCohortOverview)
  const [filter, setFilter] = useState<OverviewFilter>(NO_FILTER)
  const [sort, setSort] = useState<{ key: SortKey; direction: 'ascending' | 'descending' }>({
    key: 'name',
    direction: 'ascending',
  })
  useEffect(() => {
    document.title = 'Cohort overview — Lever'
  }, [])
  const all = useMemo(() => (state.status === 'ready' ? overviewRows(state.data.jurisdictions) : []), [state])
  const shown = useMemo(() => sortRows(filterRows(all, filter), sort.key, sort.direction), [all, filter, sort])
  const onSort = (key: SortKey) =>
    setSort((s) => ({ key, direction: s.key === key && s.direction === 'ascending' ? 'descending' : 'ascending' }))
  const set = (patch: Partial<OverviewFilter>) => setFilter((f) => ({ ...f, ...patch }))

  return (
    <div className="page page--wide">
      <h1>Cohort overview</h1>
      <p className="lede">
        Each jurisdiction’s plan at a glance: initiatives by status, funding, coverage of job quality, warnings and this
        period’s check-ins. Choose a jurisdiction to open its plan.
      </p>
      {identity?.user.role === 'facilitator' ? <CalendarSettings /> : <CheckInsDue />}
      <PendingPanels
        state={state}
        loading="Loading the overview…"
        failed="The overview could not be loaded"
        onRetry={reload}
      />
      {state.status === 'ready' ? (
        <>
          <FilterBar label="Filter jurisdictions" shown={shown.length} total={all.length} noun="jurisdictions">
            <SearchFilter
              id="overview-search"
              value={filter.query}
              placeholder="Jurisdiction or plan"
              onChange={(query) => set({ query })}
            />
            <ChoiceFilter<PlanStatus | 'none'>
              id="overview-status"
              label="Plan status"
              value={filter.status}
              anyLabel="Any status"
              options={[...PLAN_STATUSES, { id: 'none', label: 'No plan yet' }]}
              onChange={(status) => set({ status })}
            />
            <label className="check">
              <input
                type="checkbox"
                checked={filter.withWarnings}
                onChange={(e) => set({ withWarnings: e.target.checked })}
              />{' '}
              With warnings
            </label>
            <label className="check">
              <input
                type="checkbox"
                checked={filter.checkInsMissing}
                onChange={(e) => set({ checkInsMissing: e.target.checked })}
              />{' '}
              Check-ins missing
            </label>
          </FilterBar>
          {all.length === 0 ? (
            <EmptyState>
              <p>No jurisdiction is assigned to you yet. A facilitator assigns coaches to jurisdictions.</p>
            </EmptyState>
          ) : shown.length === 0 ? (
            <EmptyState>
              <p>No jurisdiction matches these filters.</p>
              <button type="button" className="button" onClick={() => setFilter(NO_FILTER)}>
                Clear the filters
              </button>
            </EmptyState>
          ) : (
            <>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
              <section className="table-scroll" aria-label="Jurisdictions" tabIndex={0}>
                <OverviewTable rows={shown} sort={sort} onSort={onSort} />
              </section>
              <section aria-labelledby="heatmap-heading" className="overview__heatmap">
                <h2 id="heatmap-heading">Job-quality components across the cohort</h2>
                <p className="field-hint">
                  Initiatives addressing each component, per jurisdiction. Darker cells have more; every cell shows its
                  number.
                </p>
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
                <section className="table-scroll" aria-label="Heatmap of components" tabIndex={0}>
                  <HeatmapTable
                    caption="Initiatives by jurisdiction and component of job quality"
                    rowHeader="Jurisdiction"
                    columns={JOB_QUALITY_COMPONENTS.map((c) => ({ id: c.id, label: c.label }))}
                    rows={shown.map((r) => ({
                      id: r.id,
                      label: <Link to={planHref(r)}>{r.name}</Link>,
                      cells: r.components,
                    }))}
                    testId="overview-heatmap"
                  />
                </section>
              </section>
            </>
          )}
        </>
      ) : null}
    </div>
  )
}
