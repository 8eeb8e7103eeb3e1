import { PlanValidationError, THREAD_VISIBILITY_LABELS, type ThreadVisibility } from '@lever/shared'
import { type MouseEvent, useState } from 'react'
import { setThreadVisibility } from '../api/comments.ts'
import { useIdentity } from '../app/identity.ts'
import { COMMENT_ORIGIN } from '../collab/origins.ts'
import { usePlanSession } from '../plan/PlanContext.tsx'
import { announce } from '../ui/announce.ts'
import { Field } from '../ui/Field.tsx'
import { pinSegments, quoteOf, resolvePinned, segmentsForRange } from './anchors.ts'
import { CommentItem } from './CommentItem.tsx'
import { useComments } from './CommentsContext.tsx'
import { commentDomIds } from './domIds.ts'
import { MentionTextarea } from './MentionTextarea.tsx'
import { mentionsIn } from './mentions.ts'
import { reanchorThread } from './threadActions.ts'
import type { ThreadView } from './threadViews.ts'

/** One thread in the sidebar: what it is about, the conversation, and what can be done with it. */
export function ThreadCard({ view }: { view: ThreadView }) {
  const session = usePlanSession()
  const comments = useComments()
  const identity = useIdentity()
  const userId = identity?.userId ?? ''
  const { thread } = view
  const active = comments.activeId === thread.id
  const canComment = session.canComment
  const headingId = commentDomIds.threadHeading(thread.id)
  const quote = thread.anchor?.kind === 'text' ? thread.anchor.quote : ''
  const [reanchorError, setReanchorError] = useState<string | null>(null)
  // The server decides (the thread's author, the plan's team, facilitators); the button is offered to them.
  const mayChangeVisibility =
    canComment &&
    (thread.authorId === userId || identity?.user.role === 'facilitator' || session.access === 'read-write')

  const onCardClick = (e: MouseEvent<HTMLElement>) => {
    if ((e.target as Element).closest('button, a, textarea, input, select, summary, details, dialog')) return
    comments.activate(thread.id, { reveal: 'scroll' })
  }

  const setStatus = (resolve: boolean) => {
    session.commentOn(thread.id, (model) => {
      if (resolve) model.resolve({ id: userId, name: identity?.name ?? 'Someone' })
      else model.reopen()
    })
    announce(resolve ? 'Thread resolved.' : 'Thread reopened.')
    if (resolve && comments.filter === 'open') document.getElementById(commentDomIds.sidebarHeading)?.focus()
  }

  const reanchor = () => {
    const target = comments.lastSelection()
    if (!target) {
      setReanchorError('First select the words this thread is about in the plan, then choose “Attach to selection”.')
      return
    }
    const { from, to } = target.editor.state.selection
    const doc = target.editor.state.doc
    const pinned = pinSegments(segmentsForRange(target.fragment, doc, from, to))
    const quoted = quoteOf(doc, from, to)
    let done = false
    const model = session.canComment ? session.findThread(thread.id)?.thread : null
    if (model)
      done = reanchorThread(
        session.doc,
        model,
        { field: target.field, segments: resolvePinned(session.doc, pinned), quote: quoted },
        COMMENT_ORIGIN,
      )
    setReanchorError(done ? null : 'Those words cannot take a comment. Select text in a section or a description.')
    if (done) announce(`Thread attached to “${quoted.quote}”.`)
  }

  const classes = [
    'thread-card',
    active ? 'thread-card--active' : '',
    thread.status === 'resolved' ? 'thread-card--resolved' : '',
    view.orphaned ? 'thread-card--orphan' : '',
  ]
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a convenience for mouse users; "Show in plan" does the same by keyboard
    <article
      id={commentDomIds.thread(thread.id)}
      className={classes.filter(Boolean).join(' ')}
      aria-labelledby={headingId}
      tabIndex={-1}
      data-thread={thread.id}
      onClick={onCardClick}
    >
      <header className="thread-card__head">
        <h3 id={headingId} className="thread-card__place">
          {view.label}
        </h3>
        {thread.status === 'resolved' ? <span className="pill pill--good">Resolved</span> : null}
        <span className="pill" data-testid="thread-visibility">
          {view.visibility === 'team' ? 'Team and coaches' : 'Everyone'}
        </span>
        {view.orphaned ? <span className="pill pill--warn">Original text deleted</span> : null}
      </header>
      {quote ? (
        <blockquote className={`thread-card__quote${view.orphaned ? ' thread-card__quote--gone' : ''}`}>
          {view.orphaned ? <span className="visually-hidden">Deleted text: </span> : null}
          {view.markedText && !view.orphaned ? view.markedText : quote}
        </blockquote>
      ) : null}
      <ol className="comment-list" aria-label="Comments">
        {thread.comments.map((c) => (
          <CommentItem
            key={c.id}
            threadId={thread.id}
            comment={c}
            people={comments.people}
            userId={userId}
            canComment={canComment}
          />
        ))}
      </ol>
      {thread.status === 'resolved' && thread.resolvedBy ? (
        <p className="thread-card__resolved">Resolved by {thread.resolvedBy}</p>
      ) : null}
      {canComment ? <ReplyBox threadId={thread.id} label={view.label} active={active} /> : null}
      <div className="thread-card__actions">
        {!view.orphaned && view.place.kind !== 'unknown' ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => comments.activate(thread.id, { reveal: 'text' })}
          >
            Show in plan<span className="visually-hidden">: {view.label}</span>
          </button>
        ) : null}
        {canComment ? (
          <button type="button" className="button button--small" onClick={() => setStatus(thread.status === 'open')}>
            {thread.status === 'open' ? 'Resolve' : 'Reopen'}
            <span className="visually-hidden"> thread on {view.label}</span>
          </button>
        ) : null}
        {mayChangeVisibility ? <VisibilityButton planId={comments.planId} view={view} /> : null}
        {canComment && view.orphaned ? (
          <button type="button" className="button button--small" onClick={reanchor}>
            Attach to selection
          </button>
        ) : null}
      </div>
      {reanchorError ? (
        <p className="field-error" role="alert">
          {reanchorError}
        </p>
      ) : null}
    </article>
  )
}

/** Moves a thread between "team and coaches" and "everyone who can read the plan" (a server-made move). */
function VisibilityButton({ planId, view }: { planId: string; view: ThreadView }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const to: ThreadVisibility = view.visibility === 'team' ? 'all' : 'team'
  const change = async () => {
    setBusy(true)
    setError(null)
    try {
      await setThreadVisibility(planId, view.thread.id, to)
      announce(`Thread now readable by: ${THREAD_VISIBILITY_LABELS[to]}.`)
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not change who can read this thread.')
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" className="button button--small" onClick={() => void change()} disabled={busy}>
        {to === 'all' ? 'Share with everyone' : 'Keep to team and coaches'}
        <span className="visually-hidden"> (thread on {view.label})</span>
      </button>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  )
}

function ReplyBox({ threadId, label, active }: { threadId: string; label: string; active: boolean }) {
  const session = usePlanSession()
  const comments = useComments()
  const identity = useIdentity()
  const [open, setOpen] = useState(false)
  const [body, setBody] = useState('')
  const [error, setError] = useState<string | null>(null)
  const id = commentDomIds.reply(threadId)

  if (!open && !active) {
    return (
      <button
        type="button"
        className="button button--small button--quiet thread-card__reply-toggle"
        onClick={() => {
          setOpen(true)
          comments.activate(threadId)
          requestAnimationFrame(() => document.getElementById(id)?.focus())
        }}
      >
        Reply<span className="visually-hidden"> on {label}</span>
      </button>
    )
  }
  const send = () => {
    if (!identity) return
    try {
      session.commentOn(threadId, (thread) =>
        thread.reply({ id: identity.userId, name: identity.name }, body, mentionsIn(body, comments.people)),
      )
      setBody('')
      setError(null)
      announce('Reply added.')
    } catch (err) {
      if (err instanceof PlanValidationError) setError(err.message)
      else throw err
    }
  }
  return (
    <div className="thread-card__reply">
      <Field id={id} label="Reply" error={error}>
        {(a11y) => (
          <MentionTextarea
            id={a11y.id}
            value={body}
            onChange={setBody}
            people={comments.people}
            onSubmit={send}
            rows={2}
            placeholder="Reply, or @mention someone"
            invalid={a11y['aria-invalid']}
            describedBy={a11y['aria-describedby']}
          />
        )}
      </Field>
      <div className="comment__actions">
        <button type="button" className="button button--small button--primary" onClick={send}>
          Send reply
        </button>
      </div>
    </div>
  )
}
