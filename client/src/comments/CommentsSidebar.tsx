import {
  DEFAULT_THREAD_VISIBILITY,
  PlanValidationError,
  THREAD_VISIBILITIES,
  THREAD_VISIBILITY_LABELS,
  type ThreadModel,
  type ThreadVisibility,
} from '@lever/shared'
import { useState } from 'react'
import { useIdentity } from '../app/identity.ts'
import { COMMENT_ORIGIN } from '../collab/origins.ts'
import { usePlanSession } from '../plan/PlanContext.tsx'
import { announce } from '../ui/announce.ts'
import { Field } from '../ui/Field.tsx'
import { EmptyState } from '../ui/Panels.tsx'
import { resolvePinned } from './anchors.ts'
import { type Draft, useComments } from './CommentsContext.tsx'
import { commentDomIds } from './domIds.ts'
import { MentionTextarea } from './MentionTextarea.tsx'
import { mentionsIn } from './mentions.ts'
import { ThreadCard } from './ThreadCard.tsx'
import { createTextThread } from './threadActions.ts'
import { matchesFilter, THREAD_FILTERS, type ThreadFilter } from './threadViews.ts'

const EMPTY_TEXT: Record<ThreadFilter, string> = {
  open: 'No open comments.',
  resolved: 'No resolved comments.',
  mine: 'No comments started or answered by you.',
  mentions: 'No comments mention you.',
  all: 'No comments yet.',
}

/** The comments of the plan, in document order, with a filter and the thread being written. */
export function CommentsSidebar() {
  const comments = useComments()
  const session = usePlanSession()
  const shown = comments.views.filter((v) => matchesFilter(v, comments.filter))
  const count = (filter: ThreadFilter) => comments.views.filter((v) => matchesFilter(v, filter)).length
  return (
    <aside id={commentDomIds.sidebar} className="comments-sidebar" aria-labelledby={commentDomIds.sidebarHeading}>
      <div className="comments-sidebar__head">
        <h2 id={commentDomIds.sidebarHeading} tabIndex={-1}>
          Comments
        </h2>
        <button
          type="button"
          className="button button--small button--quiet"
          aria-controls={commentDomIds.sidebar}
          onClick={() => {
            comments.setSidebarOpen(false)
            requestAnimationFrame(() => document.querySelector<HTMLElement>('.comments-toggle')?.focus())
          }}
        >
          Hide<span className="visually-hidden"> comments</span>
        </button>
      </div>
      {comments.draft ? <NewThread draft={comments.draft} /> : null}
      <div className="comments-sidebar__filter field">
        <label htmlFor={commentDomIds.filter}>Show threads</label>
        <select
          id={commentDomIds.filter}
          value={comments.filter}
          onChange={(e) => comments.setFilter(e.target.value as ThreadFilter)}
        >
          {THREAD_FILTERS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label} ({count(f.id)})
            </option>
          ))}
        </select>
      </div>
      {shown.length === 0 ? (
        <EmptyState>
          <p>{EMPTY_TEXT[comments.filter]}</p>
        </EmptyState>
      ) : (
        <ol className="stack-list" aria-label="Comment threads, in the order of the plan" data-testid="threads">
          {shown.map((view) => (
            <li key={view.thread.id}>
              <ThreadCard view={view} />
            </li>
          ))}
        </ol>
      )}
      <p className="field-hint comments-sidebar__how">
        {session.canComment
          ? 'To comment, select words in the plan and choose Comment (Ctrl+Alt+M), or use Comment on an initiative or metric.'
          : 'You can read the comments its team shares with everyone; its team, coaches and facilitators write them.'}
      </p>
    </aside>
  )
}

/** The first comment of a new thread, on the words (or initiative, or metric) chosen. */
function NewThread({ draft }: { draft: Draft }) {
  const session = usePlanSession()
  const comments = useComments()
  const identity = useIdentity()
  const [body, setBody] = useState('')
  const [visibility, setVisibility] = useState<ThreadVisibility>(DEFAULT_THREAD_VISIBILITY)
  const [error, setError] = useState<string | null>(null)
  const id = commentDomIds.draftBody
  const headingId = `${id}-heading`
  const visibilityId = `${id}-visibility`

  const submit = () => {
    if (!identity) return
    const author = { id: identity.userId, name: identity.name }
    const mentions = mentionsIn(body, comments.people)
    const threadsDoc = session.canComment ? session.threadDoc(visibility) : null
    if (!threadsDoc) return
    let created: ThreadModel | null = null
    try {
      if (draft.kind === 'text') {
        created = createTextThread(
          session.doc,
          threadsDoc,
          {
            field: draft.field,
            segments: resolvePinned(session.doc, draft.pinned),
            quote: draft.quote,
            author,
            body,
            mentions,
          },
          COMMENT_ORIGIN,
        )
      } else {
        session.commentIn(visibility, (threads) => {
          created = threads.create({
            anchor:
              draft.kind === 'initiative'
                ? { kind: 'initiative', initiativeId: draft.initiativeId }
                : { kind: 'metric', initiativeId: draft.initiativeId, metricId: draft.metricId },
            author,
            body,
            mentions,
          })
        })
      }
    } catch (err) {
      if (err instanceof PlanValidationError) {
        setError(err.message)
        return
      }
      throw err
    }
    const thread = created as ThreadModel | null
    if (!thread) {
      setError('The words you selected were deleted in the meantime. Select words again to comment.')
      return
    }
    comments.cancelDraft()
    if (comments.filter !== 'open' && comments.filter !== 'all' && comments.filter !== 'mine')
      comments.setFilter('open')
    comments.activate(thread.id, { reveal: 'card', focusCard: true })
    announce('Comment added.')
  }

  return (
    <section className="new-thread" aria-labelledby={headingId}>
      <h3 id={headingId} className="new-thread__title">
        New comment on {draft.label}
      </h3>
      {draft.kind === 'text' ? <blockquote className="thread-card__quote">{draft.quote.quote}</blockquote> : null}
      <Field
        id={id}
        label="Your comment"
        hint="Type @ to mention someone who can see this plan. Ctrl+Enter sends."
        error={error}
      >
        {(a11y) => (
          <MentionTextarea
            id={a11y.id}
            value={body}
            onChange={setBody}
            people={comments.people}
            onSubmit={submit}
            invalid={a11y['aria-invalid']}
            describedBy={a11y['aria-describedby']}
          />
        )}
      </Field>
      <div className="field">
        <label htmlFor={visibilityId}>Who can read it</label>
        <select
          id={visibilityId}
          value={visibility}
          onChange={(e) => setVisibility(e.target.value as ThreadVisibility)}
        >
          {THREAD_VISIBILITIES.map((v) => (
            <option key={v} value={v}>
              {THREAD_VISIBILITY_LABELS[v]}
            </option>
          ))}
        </select>
      </div>
      <div className="comment__actions">
        <button type="button" className="button button--primary button--small" onClick={submit}>
          Post comment
        </button>
        <button type="button" className="button button--small" onClick={() => comments.cancelDraft()}>
          Cancel
        </button>
      </div>
    </section>
  )
}
