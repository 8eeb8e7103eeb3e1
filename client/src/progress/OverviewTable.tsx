import { INITIATIVE_STATUSES, labelOf, PLAN_STATUSES } from '@lever/shared'
import type { KeyboardEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { dayLabel, dollars, STATUS_STYLE } from './format.ts'
import type { OverviewRow, SortKey } from './overviewRows.ts'

const COLUMNS: Array<{ key: SortKey; label: string; numeric?: boolean }> = [
  { key: 'name', label: 'Jurisdiction' },
  { key: 'status', label: 'Plan status' },
  { key: 'initiativeTotal', label: 'Initiatives by status', numeric: true },
  { key: 'budgeted', label: 'Budgeted', numeric: true },
  { key: 'obligated', label: 'Obligated', numeric: true },
  { key: 'spent', label: 'Spent', numeric: true },
  { key: 'covered', label: 'Components covered', numeric: true },
  { key: 'warnings', label: 'Warnings', numeric: true },
  { key: 'checkIns', label: 'Check-ins done', numeric: true },
  { key: 'updatedAt', label: 'Last activity' },
]

export const planHref = (row: OverviewRow) =>
  row.mainPlan ? `/plans/${encodeURIComponent(row.mainPlan.id)}` : `/jurisdictions/${encodeURIComponent(row.id)}`

/**
 * The cohort overview table: one row per jurisdiction, sortable by any column (the header
 * buttons), and navigable by keyboard: each row's link opens the plan; Up and Down arrows move
 * between rows, Home and End to the first and last.
 */
export function OverviewTable({
  rows,
  sort,
  onSort,
}: {
  rows: OverviewRow[]
  sort: { key: SortKey; direction: 'ascending' | 'descending' }
  onSort: (key: SortKey) => void
}) {
  const navigate = useNavigate()
  const onKeyDown = (e: KeyboardEvent<HTMLTableSectionElement>) => {
    const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('a[data-row-link]')]
    const index = links.indexOf(document.activeElement as HTMLAnchorElement)
    if (index < 0) return
    const to =
      e.key === 'ArrowDown'
        ? Math.min(index + 1, links.length - 1)
        : e.key === 'ArrowUp'
          ? Math.max(index - 1, 0)
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? links.length - 1
              : -1
    if (to < 0) return
    e.preventDefault()
    links[to]?.focus()
  }
  return (
    <table className="overview" data-testid="overview-table">
      <caption className="visually-hidden">
        Jurisdictions of the cohort with their plans’ figures, sorted by{' '}
        {COLUMNS.find((c) => c.key === sort.key)?.label} ({sort.direction}). Use the column buttons to sort; in the
        table, Up and Down arrows move between jurisdictions.
      </caption>
      <thead>
        <tr>
          {COLUMNS.map((c) => (
            <th
              key={c.key}
              scope="col"
              aria-sort={sort.key === c.key ? sort.direction : undefined}
              className={c.numeric ? 'num' : undefined}
            >
              <button type="button" className="sort-button" onClick={() => onSort(c.key)} data-testid={`sort-${c.key}`}>
                {c.label}
                <span aria-hidden="true" className="sort-button__arrow">
                  {sort.key === c.key ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}
                </span>
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody onKeyDown={onKeyDown}>
        {rows.map((r) => (
          <tr
            key={r.id}
            className="overview__row"
            data-testid="overview-row"
            onClick={(e) => {
              if ((e.target as Element).closest('a, button')) return
              navigate(planHref(r))
            }}
          >
            <th scope="row">
              <Link to={planHref(r)} data-row-link="" className="overview__link">
                {r.name}
              </Link>
              {r.mainPlan ? (
                <span className="overview__plan">
                  {r.mainPlan.title}
                  {r.planCount > 1 ? ` (+${r.planCount - 1} more)` : ''}
                </span>
              ) : null}
            </th>
            <td>{r.status ? labelOf(PLAN_STATUSES, r.status) : 'No plan yet'}</td>
            <td className="num">
              <span className="status-counts">
                {INITIATIVE_STATUSES.map((s) =>
                  r.initiatives[s.id] ? (
                    <span key={s.id} className={`status-count status-count--${s.id}`}>
                      <span aria-hidden="true">{STATUS_STYLE[s.id].symbol}</span> {r.initiatives[s.id]}
                      <span className="visually-hidden"> {s.label.toLowerCase()}</span>
                    </span>
                  ) : null,
                )}
                {r.initiativeTotal === 0 ? <span className="muted">none</span> : null}
              </span>
            </td>
            <td className="num">{dollars(r.budgeted)}</td>
            <td className="num">{dollars(r.obligated)}</td>
            <td className="num">{dollars(r.spent)}</td>
            <td className="num">{r.covered} of 8</td>
            <td className="num">
              {r.warnings > 0 ? (
                <span className="warn-count">
                  <span aria-hidden="true">⚠ </span>
                  {r.warnings}
                </span>
              ) : (
                0
              )}
            </td>
            <td className="num">
              {r.checkInsDone} of {r.checkInsDue}
            </td>
            <td>{r.updatedAt ? dayLabel(r.updatedAt.slice(0, 10)) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
