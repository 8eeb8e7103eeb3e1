import { useId, useMemo } from 'react'
import { Avatar } from '../ui/Avatar.tsx'
import { distinctInitials } from '../ui/initials.ts'
import type { Peer } from './presence.ts'

/** Everyone in a live document (you first), each with where they are when `where` says. */
export function PresenceList({
  peers,
  label,
  where,
}: {
  peers: Peer[]
  /** What the list is about, e.g. "People in this plan" (a heading for screen readers). */
  label: string
  where?: (peer: Peer) => string
}) {
  const headingId = useId()
  const names = peers.map((p) => p.name).join('\n')
  const initials = useMemo(() => distinctInitials(names.split('\n')), [names])
  return (
    <section className="presence" aria-labelledby={headingId}>
      <h2 id={headingId} className="visually-hidden">
        {label}
      </h2>
      <ul className="presence__list" data-testid="presence">
        {peers.map((peer) => {
          const place = where?.(peer)
          return (
            <li key={peer.clientId} className="presence__person" title={place ? `${peer.name}: ${place}` : peer.name}>
              <Avatar name={peer.name} color={peer.color} initials={initials.get(peer.name)} />
              <span className="presence__text">
                <span className="presence__name">
                  {peer.name}
                  {peer.isSelf ? ' (you)' : ''}
                </span>
                {place ? <span className="presence__where">{place}</span> : null}
              </span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
