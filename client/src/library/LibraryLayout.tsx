import { NavLink, Outlet } from 'react-router'
import './library.css'

/** The sections of the library, shown as tabs over its pages (add a section here and a route in App). */
export const LIBRARY_SECTIONS: ReadonlyArray<{ to: string; label: string; end?: boolean }> = [
  { to: '/library', label: 'Evidence', end: true },
  { to: '/library/resources', label: 'Resources' },
]

/** `/library/*`: the cohort's library, one section at a time. */
export function LibraryLayout() {
  return (
    <div className="page library-page">
      <h1>Library</h1>
      <p className="lede">
        Evidence on job-quality interventions, rated in each clearinghouse’s own words, and tools and sample documents
        shared with the cohort.
      </p>
      <nav className="library-tabs" aria-label="Library sections">
        {LIBRARY_SECTIONS.map((s) => (
          <NavLink
            key={s.to}
            to={s.to}
            end={s.end}
            className={({ isActive }) => `library-tabs__tab${isActive ? ' is-active' : ''}`}
          >
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  )
}
