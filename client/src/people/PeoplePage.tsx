import { canManagePeople, type Jurisdiction, ROLES, type User } from '@lever/shared'
import { useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { listJurisdictions } from '../api/lever.ts'
import { useApi } from '../api/useApi.ts'
import { listUsers } from '../api/users.ts'
import { useIdentity } from '../app/identity.ts'
import { EmptyState, ErrorPanel, PendingPanels } from '../ui/Panels.tsx'
import { InviteForm } from './InviteForm.tsx'
import './people.css'
import { FilterBar, SearchFilter } from '../ui/Filters.tsx'
import { PersonDialog } from './PersonDialog.tsx'

function status(user: User): { text: string; tone: 'good' | 'warn' | 'bad' } {
  if (!user.active) return { text: 'Deactivated', tone: 'bad' }
  if (!user.hasPassword) return { text: 'Invited, no password yet', tone: 'warn' }
  return { text: 'Active', tone: 'good' }
}

function teamText(user: User, names: Map<string, string>): string {
  if (user.role === 'facilitator') return 'The whole cohort'
  if (user.role === 'member') return user.jurisdictionId ? (names.get(user.jurisdictionId) ?? user.jurisdictionId) : '—'
  return user.coachOf.length > 0
    ? `Coaches ${user.coachOf.map((j) => names.get(j) ?? j).join(', ')}`
    : 'No jurisdictions assigned yet'
}

function matches(user: User, query: string, names: Map<string, string>): boolean {
  const q = query.trim().toLowerCase()
  if (!q) return true
  return [user.name, user.email, teamText(user, names)].some((v) => v.toLowerCase().includes(q))
}

/** `/people`: facilitators invite people, set their role and team, assign coaches, deactivate accounts. */
export function PeoplePage() {
  const identity = useIdentity()
  const allowed = identity !== null && canManagePeople(identity.user)
  const [state, reload] = useApi(['people', 'all', allowed], async (signal) => {
    if (!allowed) return null
    const [users, jurisdictions] = await Promise.all([listUsers(signal), listJurisdictions(signal)])
    return { users, jurisdictions }
  })
  const [query, setQuery] = useState('')
  const [editing, setEditing] = useState<string | null>(null)
  const [overrides, setOverrides] = useState<Map<string, User>>(() => new Map())
  useEffect(() => {
    document.title = 'People — Lever'
  }, [])
  // Others change too (someone sets their password): the cache refreshes the list when the server
  // says people changed, and what was loaded then replaces what this page changed locally.
  const loadedData = state.status === 'ready' ? state.data : null
  // biome-ignore lint/correctness/useExhaustiveDependencies: a newly loaded list is the trigger
  useEffect(() => setOverrides(new Map()), [loadedData])
  const jurisdictions: Jurisdiction[] = state.status === 'ready' ? (state.data?.jurisdictions ?? []) : []
  const names = useMemo(() => new Map(jurisdictions.map((j) => [j.id, j.name])), [jurisdictions])

  if (!allowed) {
    return (
      <ErrorPanel title="Only facilitators manage people">
        <p>Ask a facilitator to invite someone, change a role or assign a coach.</p>
        <p>
          <Link to="/cohort">Go to the cohort’s jurisdictions</Link>
        </p>
      </ErrorPanel>
    )
  }
  // Changes made here replace what was loaded (no reload: the list and focus stay where they are).
  const loaded = state.status === 'ready' ? (state.data?.users ?? []) : []
  const users = [
    ...loaded.map((u) => overrides.get(u.id) ?? u),
    ...[...overrides.values()].filter((u) => !loaded.some((l) => l.id === u.id)),
  ]
  const shown = users.filter((u) => matches(u, query, names))
  const editingUser = users.find((u) => u.id === editing) ?? null

  return (
    <div className="page people-page">
      <h1>People</h1>
      <p className="lede">
        Invite the cohort’s facilitators, coaches and team members, give each a role, assign coaches to jurisdictions,
        and deactivate accounts that should no longer be used.
      </p>
      <PendingPanels state={state} loading="Loading people…" failed="People could not be loaded" onRetry={reload} />
      {state.status === 'ready' ? (
        <div className="people-layout">
          <section aria-labelledby="people-heading" className="people-list">
            <h2 id="people-heading">Everyone</h2>
            <FilterBar label="Find people" shown={shown.length} total={users.length} noun="people">
              <SearchFilter
                id="people-search"
                value={query}
                placeholder="Name, email or jurisdiction"
                onChange={setQuery}
              />
            </FilterBar>
            {shown.length === 0 ? (
              <EmptyState>
                <p>Nobody matches “{query}”.</p>
              </EmptyState>
            ) : (
              <div className="table-scroll">
                <table className="data-table" data-testid="people">
                  <caption className="visually-hidden">People of the cohort</caption>
                  <thead>
                    <tr>
                      <th scope="col">Person</th>
                      <th scope="col">Role</th>
                      <th scope="col">Team or coaching</th>
                      <th scope="col">Status</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((u) => {
                      const s = status(u)
                      return (
                        <tr key={u.id} className={u.active ? '' : 'is-inactive'}>
                          <th scope="row">
                            <span className="person-name">{u.name}</span>
                            <span className="person-email">{u.email}</span>
                          </th>
                          <td>{ROLES.find((r) => r.id === u.role)?.label ?? u.role}</td>
                          <td>{teamText(u, names)}</td>
                          <td>
                            <span className={`pill pill--${s.tone}`}>{s.text}</span>
                          </td>
                          <td>
                            <button
                              type="button"
                              className="button button--small"
                              aria-haspopup="dialog"
                              onClick={() => setEditing(u.id)}
                            >
                              Manage<span className="visually-hidden"> {u.name}</span>
                            </button>
                          </td>
                        </tr>
                      )
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <InviteForm
            jurisdictions={jurisdictions}
            onCreated={(user) => setOverrides((prev) => new Map(prev).set(user.id, user))}
          />
        </div>
      ) : null}
      {editingUser ? (
        <PersonDialog
          key={editingUser.id}
          person={editingUser}
          me={editingUser.id === identity.userId}
          jurisdictions={jurisdictions}
          onClose={() => setEditing(null)}
          onChanged={(user) => setOverrides((prev) => new Map(prev).set(user.id, user))}
        />
      ) : null}
    </div>
  )
}
