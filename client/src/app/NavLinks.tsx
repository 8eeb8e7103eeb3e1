import { canManagePeople } from '@lever/shared'
import { NavLink } from 'react-router'
import '../inbox/inbox.css'
import { useUnreadCount } from '../inbox/unread.ts'
import type { Identity } from './identity.ts'

/** "Inbox" in the top bar, bold with a count while threads are unread. */
export function InboxNavLink() {
  const unread = useUnreadCount(true)
  return (
    <NavLink to="/inbox" className={unread ? 'nav-unread' : undefined} data-testid="inbox-link">
      Inbox
      {unread ? (
        <span className="nav-count">
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      ) : null}
    </NavLink>
  )
}

/** "People", for facilitators only (they manage accounts). */
export function PeopleNavLink({ identity }: { identity: Identity }) {
  return canManagePeople(identity.user) ? <NavLink to="/people">People</NavLink> : null
}
