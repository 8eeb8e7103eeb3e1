import { usePlanSession } from '../plan/PlanContext.tsx'
import { type Draft, useOptionalComments } from './CommentsContext.tsx'

/** "Comment" on a whole initiative or one metric (for people who may comment). */
export function CommentOnButton({ draft, name }: { draft: Exclude<Draft, { kind: 'text' }>; name: string }) {
  const session = usePlanSession()
  const comments = useOptionalComments()
  if (!comments || !session.canComment) return null
  return (
    <button type="button" className="button button--small button--quiet" onClick={() => comments.startDraft(draft)}>
      Comment<span className="visually-hidden"> on {name}</span>
    </button>
  )
}

/** "2 comments": the open threads about an initiative (its description and metrics too), first one on click. */
export function ThreadCount({ initiativeId, name }: { initiativeId: string; name: string }) {
  const comments = useOptionalComments()
  const about = (comments?.views ?? []).filter(
    (v) =>
      v.thread.status === 'open' &&
      v.place.kind !== 'section' &&
      v.place.kind !== 'unknown' &&
      v.place.initiativeId === initiativeId,
  )
  const first = about[0]
  if (!comments || !first) return null
  return (
    <button
      type="button"
      className="button button--small button--quiet thread-count"
      onClick={() => comments.activate(first.thread.id, { reveal: 'card', focusCard: true })}
    >
      {about.length} {about.length === 1 ? 'comment' : 'comments'}
      <span className="visually-hidden"> on {name}</span>
    </button>
  )
}
