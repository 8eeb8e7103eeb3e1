import type { Provenance } from '@lever/shared'
import { Link } from 'react-router'
import { useIdentity } from '../app/identity.ts'
import { calendarEntryId } from '../sessions/format.ts'
import { dayText } from '../ui/time.ts'

/** "Breakout “Group A”": where an initiative sent from a breakout draft came from, in short. */
export function provenanceShort(provenance: Provenance): string {
  return `Breakout “${provenance.groupName}”`
}

/**
 * Where an initiative came from when it was sent from a breakout draft: the group, who sent it
 * and when, and a link to the session (its follow-up for facilitators, its calendar entry for
 * everyone else).
 */
export function ProvenanceNote({ provenance }: { provenance: Provenance }) {
  const identity = useIdentity()
  const facilitator = identity?.user.role === 'facilitator'
  const session = encodeURIComponent(provenance.sessionId)
  return (
    <p className="provenance" data-testid="provenance">
      From breakout “{provenance.groupName}”{provenance.sessionTitle ? ` in ${provenance.sessionTitle}` : ''} · sent by{' '}
      {provenance.by} on <time dateTime={provenance.at}>{dayText(provenance.at)}</time> ·{' '}
      {facilitator ? (
        <Link to={`/sessions/${session}/follow-up`}>Session follow-up</Link>
      ) : (
        <Link to={`/sessions#${calendarEntryId(provenance.sessionId)}`}>The session on the calendar</Link>
      )}
    </p>
  )
}
