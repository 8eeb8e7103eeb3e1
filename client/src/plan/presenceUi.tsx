import type { CSSProperties, FocusEvent, ReactNode } from 'react'
import type { PresenceFocus } from '../collab/DocSession.ts'
import type { Peer } from '../collab/presence.ts'
import { Avatar } from '../ui/Avatar.tsx'
import { usePlanPeersAt, usePlanSession } from './PlanContext.tsx'

/**
 * A part of the plan (a section or an initiative) whose focus is shared with the others: while
 * focus is inside, awareness says you are here. It also outlines itself in the colour of the
 * first other person working in it.
 */
export function FocusZone({
  focus,
  className,
  children,
  as: Tag = 'div',
  ...rest
}: {
  focus: Exclude<PresenceFocus, null>
  className?: string
  children: ReactNode
  as?: 'div' | 'section' | 'article' | 'li'
  id?: string
  'aria-labelledby'?: string
}) {
  const session = usePlanSession()
  const peers = usePlanPeersAt(focus.kind, focus.id)
  const first = peers[0]
  const onFocus = (e: FocusEvent) => {
    // The innermost zone wins (an initiative inside a lever's section).
    if ((e.target as Element).closest('[data-focus-zone]') === e.currentTarget) session.setFocus(focus)
  }
  const onBlur = (e: FocusEvent) => {
    const next = e.relatedTarget as Element | null
    if (!next?.closest('[data-focus-zone]')) session.setFocus(null)
  }
  return (
    <Tag
      {...rest}
      className={[className, first ? 'has-peers' : ''].filter(Boolean).join(' ')}
      data-focus-zone=""
      style={first ? ({ '--peer-color': first.color } as CSSProperties) : undefined}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      {children}
    </Tag>
  )
}

/** Small avatars of the other people working in a section or initiative, with their names as text. */
export function PeersHere({ kind, id }: { kind: 'section' | 'initiative'; id: string }) {
  const peers = usePlanPeersAt(kind, id)
  if (peers.length === 0) return null
  return (
    <PeerList peers={peers} label={kind === 'section' ? 'Working in this section' : 'Working on this initiative'} />
  )
}

export function PeerList({ peers, label }: { peers: Peer[]; label: string }) {
  return (
    <ul className="peers-here" aria-label={label}>
      {peers.map((p) => (
        <li key={p.clientId} className="peers-here__item">
          <Avatar name={p.name} color={p.color} size="sm" />
          <span className="visually-hidden">{p.name}</span>
        </li>
      ))}
    </ul>
  )
}
