import {
  type CommentModel,
  type CommentSnapshot,
  colorForUser,
  PlanValidationError,
  REACTIONS,
  type ReactionId,
} from '@lever/shared'
import { useState } from 'react'
import type { PlanPerson } from '../api/comments.ts'
import { useIdentity } from '../app/identity.ts'
import { usePlanSession } from '../plan/PlanContext.tsx'
import { Avatar } from '../ui/Avatar.tsx'
import { announce } from '../ui/announce.ts'
import { ConfirmButton } from '../ui/ConfirmButton.tsx'
import { fullDate, whenText } from '../ui/time.ts'
import { CommentBody } from './CommentBody.tsx'
import { useOptionalComments } from './CommentsContext.tsx'
import { commentDomIds } from './domIds.ts'
import { MentionTextarea } from './MentionTextarea.tsx'
import { mentionsIn } from './mentions.ts'
import { addReactionEmojiFont } from './reactionEmojiFont.ts'

/**
 * One comment of a thread: who, when, what; its author may edit or delete it, a facilitator may
 * remove it; anyone may react.
 */
export function CommentItem({
  threadId,
  comment,
  people,
  userId,
  canComment,
}: {
  threadId: string
  comment: CommentSnapshot
  people: PlanPerson[]
  userId: string
  canComment: boolean
}) {
  const session = usePlanSession()
  const [editing, setEditing] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const own = comment.authorId === userId
  // Facilitators moderate: they may remove anyone's comment (the server allows it to them alone).
  const identity = useIdentity()
  const moderator = !own && identity?.user.role === 'facilitator'
  const color = people.find((p) => p.id === comment.authorId)?.color ?? colorForUser(comment.authorId)
  // The author's name as the server knows it, not as the document says.
  const authorName = useOptionalComments()?.authorName(comment.authorId, comment.authorName) ?? comment.authorName
  const change = (work: (model: CommentModel) => void) =>
    session.commentOn(threadId, (thread) => {
      const found = thread.comment(comment.id)
      if (found) work(found)
    })
  const editId = `${commentDomIds.comment(comment.id)}-edit`

  const save = () => {
    if (editing === null) return
    try {
      change((m) => m.edit(editing, mentionsIn(editing, people)))
      setEditing(null)
      setError(null)
      announce('Comment updated.')
    } catch (err) {
      if (err instanceof PlanValidationError) setError(err.message)
      else throw err
    }
  }

  return (
    <li className="comment" id={commentDomIds.comment(comment.id)}>
      <div className="comment__meta">
        <Avatar name={authorName} color={color} size="sm" />
        <span className="comment__author">{authorName || 'Someone'}</span>
        <time dateTime={comment.createdAt} title={fullDate(comment.createdAt)} className="comment__time">
          {whenText(comment.createdAt)}
        </time>
        {comment.editedAt && !comment.deleted ? <span className="comment__edited">(edited)</span> : null}
      </div>
      {comment.deleted ? (
        <p className="comment__deleted">Comment deleted</p>
      ) : editing !== null ? (
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor={editId} className="visually-hidden">
            Edit your comment
          </label>
          <MentionTextarea
            id={editId}
            value={editing}
            onChange={setEditing}
            people={people}
            onSubmit={save}
            invalid={error !== null}
            describedBy={error ? `${editId}-error` : undefined}
          />
          {error ? (
            <p className="field-error" id={`${editId}-error`} role="alert">
              {error}
            </p>
          ) : null}
          <div className="comment__actions">
            <button type="button" className="button button--small button--primary" onClick={save}>
              Save
            </button>
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                setEditing(null)
                setError(null)
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <CommentBody body={comment.body} mentions={comment.mentions} people={people} userId={userId} />
      )}
      {!comment.deleted ? (
        <Reactions threadId={threadId} comment={comment} people={people} userId={userId} canReact={canComment} />
      ) : null}
      {own && canComment && !comment.deleted && editing === null ? (
        <div className="comment__actions">
          <button
            type="button"
            className="button button--small button--quiet"
            onClick={() => {
              setEditing(comment.body)
              requestAnimationFrame(() => document.getElementById(editId)?.focus())
            }}
          >
            Edit<span className="visually-hidden"> your comment</span>
          </button>
          <ConfirmButton
            className="button button--small button--quiet button--danger"
            buttonLabel="Delete your comment"
            title="Delete this comment?"
            body={<p>Its text is removed for everyone; the conversation shows “Comment deleted” in its place.</p>}
            confirmLabel="Delete comment"
            onConfirm={() => {
              change((m) => m.remove())
              announce('Comment deleted.')
            }}
          >
            Delete
          </ConfirmButton>
        </div>
      ) : moderator && canComment && !comment.deleted ? (
        <div className="comment__actions">
          <ConfirmButton
            className="button button--small button--quiet button--danger"
            buttonLabel={`Remove ${authorName || 'this person'}’s comment`}
            title="Remove this comment?"
            body={
              <p>
                As a facilitator you may remove anyone’s comment. Its text is removed for everyone; the conversation
                shows “Comment deleted” in its place.
              </p>
            }
            confirmLabel="Remove comment"
            onConfirm={() => {
              change((m) => m.remove())
              announce('Comment removed.')
            }}
          >
            Remove
          </ConfirmButton>
        </div>
      ) : null}
    </li>
  )
}

function Reactions({
  threadId,
  comment,
  people,
  userId,
  canReact,
}: {
  threadId: string
  comment: CommentSnapshot
  people: PlanPerson[]
  userId: string
  canReact: boolean
}) {
  const session = usePlanSession()
  const authorName = useOptionalComments()?.authorName(comment.authorId, comment.authorName) ?? comment.authorName
  const nameOf = (id: string) => (id === userId ? 'you' : (people.find((p) => p.id === id)?.name ?? 'someone'))
  const toggle = (reaction: ReactionId) =>
    session.commentOn(threadId, (thread) => thread.comment(comment.id)?.toggleReaction(reaction, userId))
  const given = REACTIONS.filter((r) => (comment.reactions[r.id]?.length ?? 0) > 0)
  if (given.length === 0 && !canReact) return null
  addReactionEmojiFont()
  return (
    <div className="reactions">
      {given.map((r) => {
        const who = comment.reactions[r.id] ?? []
        const label = `${r.label}: ${who.map(nameOf).join(', ')}`
        return (
          <button
            key={r.id}
            type="button"
            className="reaction"
            aria-pressed={who.includes(userId)}
            aria-label={label}
            title={label}
            disabled={!canReact}
            onClick={() => toggle(r.id)}
          >
            <span className="reaction-emoji" aria-hidden="true">
              {r.emoji}
            </span>{' '}
            {who.length}
          </button>
        )
      })}
      {canReact ? (
        <details className="reactions__add">
          <summary>
            React
            <span className="visually-hidden"> to {authorName}’s comment</span>
          </summary>
          <div className="reactions__menu">
            {REACTIONS.map((r) => (
              <button
                key={r.id}
                type="button"
                className="reaction"
                aria-pressed={(comment.reactions[r.id] ?? []).includes(userId)}
                aria-label={r.label}
                title={r.label}
                onClick={() => toggle(r.id)}
              >
                <span className="reaction-emoji" aria-hidden="true">
                  {r.emoji}
                </span>
              </button>
            ))}
          </div>
        </details>
      ) : null}
    </div>
  )
}
