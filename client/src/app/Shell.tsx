import { canManagePeople } from '@lever/shared'
import { type ReactNode, useEffect } from 'react'
import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router'
import { logout } from '../api/auth.ts'
import { forgetLocalCopies } from '../collab/localCopies.ts'
import { SearchBox } from '../search/SearchBox.tsx'
import { LiveBanner } from '../sessions/LiveBanner.tsx'
import { HashTarget } from '../ui/HashTarget.tsx'
import { LoadingPanel } from '../ui/Panels.tsx'
import { loadAuth, signedOut, useAuth } from './identity.ts'
import { InboxNavLink, PeopleNavLink } from './NavLinks.tsx'
import { PersonMenu } from './PersonMenu.tsx'

/** Pages anyone may see; every other page needs someone signed in. */
const PUBLIC_PATHS = [/^\/sign-in$/, /^\/invite\/[^/]+$/, /^\/unsubscribe\/[^/]+$/]

/** The frame of every page: skip link, top bar with who you are, the page, a live region. */
export function Shell() {
  const auth = useAuth()
  const location = useLocation()
  const navigate = useNavigate()
  const isPublic = PUBLIC_PATHS.some((p) => p.test(location.pathname))
  useEffect(() => {
    void loadAuth()
  }, [])

  let content: ReactNode
  if (isPublic) content = <Outlet />
  else if (auth.status === 'loading') content = <LoadingPanel>Checking who you are…</LoadingPanel>
  else if (auth.status === 'signedOut') {
    const next = `${location.pathname}${location.search}${location.hash}`
    content = <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />
  } else content = <Outlet />

  const identity = auth.status === 'signedIn' ? auth.identity : null
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            L
          </span>
          Lever
        </Link>
        <span className="topbar__tagline">Job-quality action plans, written together</span>
        {identity ? (
          <nav className="topbar__nav" aria-label="Main">
            <NavLink to="/" end>
              Home
            </NavLink>
            <NavLink to="/overview">Overview</NavLink>
            <NavLink to="/cohort">Cohort</NavLink>
            <NavLink to="/sessions">Sessions</NavLink>
            <NavLink to="/templates">Templates</NavLink>
            <NavLink to="/coaching">Coaching</NavLink>
            <NavLink to="/library">Library</NavLink>
            <InboxNavLink />
            <PeopleNavLink identity={identity} />
          </nav>
        ) : null}
        {identity && !isPublic ? (
          <SearchBox
            pages={[
              { label: 'Cohort', href: '/' },
              { label: 'Sessions', href: '/sessions' },
              { label: 'Templates', href: '/templates' },
              { label: 'Coaching', href: '/coaching' },
              { label: 'Library: evidence', href: '/library' },
              { label: 'Library: resources', href: '/library/resources' },
              { label: 'Inbox', href: '/inbox' },
              ...(canManagePeople(identity.user) ? [{ label: 'People', href: '/people' }] : []),
            ]}
          />
        ) : null}
        {identity ? (
          <div className="topbar__me">
            <PersonMenu identity={identity} />
            <button
              type="button"
              className="button button--small button--on-dark"
              onClick={async () => {
                try {
                  await logout()
                } finally {
                  // Whatever the server said: the next person at this browser finds no plans kept.
                  await forgetLocalCopies().catch(() => {})
                  signedOut()
                  navigate('/sign-in')
                }
              }}
            >
              Sign out
            </button>
          </div>
        ) : null}
      </header>
      {identity && !isPublic ? <LiveBanner /> : null}
      <HashTarget />
      <main id="main" tabIndex={-1}>
        {content}
      </main>
      <div id="announcer" className="visually-hidden" aria-live="polite" />
    </>
  )
}
