import * as Y from 'yjs'
import { z } from 'zod'
import { validated } from '../plan/errors.ts'
import { newId, PlanKeys } from '../plan/PlanModel.ts'

/**
 * The layout of comment threads in a thread document (`threadDocName`: one per plan and
 * visibility; plans of layout 1 held them themselves), the one definition the models below and
 * the server's write rules share:
 *
 * ```
 * threads                 Y.Map   threadId → thread
 *   <threadId>            Y.Map   { id, status, anchor, authorId, authorName, createdAt, resolvedBy?, resolvedAt?, comments }
 *     comments            Y.Array of comment
 *       <comment>         Y.Map   { id, authorId, authorName, body, mentions, createdAt, editedAt?, deletedAt?, reactions? }
 *         reactions       Y.Map   reactionId → who
 *           <reactionId>  Y.Map   userId → true
 * ```
 */
export const ThreadLayout = {
  /** The root map of threads. */
  root: PlanKeys.threads,
  thread: {
    authorId: 'authorId',
    authorName: 'authorName',
    comments: 'comments',
    /** Fields anyone who may comment changes: resolving, reopening, re-anchoring. */
    shared: ['status', 'resolvedBy', 'resolvedAt', 'anchor'] as readonly string[],
  },
  comment: {
    authorId: 'authorId',
    authorName: 'authorName',
    reactions: 'reactions',
    /** Fields only the comment's author changes. */
    byAuthor: ['body', 'mentions', 'editedAt', 'deletedAt'] as readonly string[],
  },
} as const

/** What a place under the threads root is, by the keys that lead to it (null for an array element). */
export type ThreadPart =
  | { kind: 'thread'; threadId: string }
  | { kind: 'threadField'; key: string }
  | { kind: 'comment' }
  | { kind: 'commentField'; key: string }
  | { kind: 'reaction'; reaction: string }
  | { kind: 'reactor'; userId: string }

/**
 * Reads a path of keys below `ThreadLayout.root` (`[threadId, 'comments', null, 'body']`) as the
 * part of a thread it leads to, or null when Lever writes nothing there.
 */
export function threadPartAt(path: ReadonlyArray<string | null>): ThreadPart | null {
  const [threadId, field, index, commentField, reaction, userId] = path
  if (typeof threadId !== 'string') return null
  if (path.length === 1) return { kind: 'thread', threadId }
  if (typeof field !== 'string') return null
  if (path.length === 2) return { kind: 'threadField', key: field }
  if (field !== ThreadLayout.thread.comments || index !== null) return null
  if (path.length === 3) return { kind: 'comment' }
  if (typeof commentField !== 'string') return null
  if (path.length === 4) return { kind: 'commentField', key: commentField }
  if (commentField !== ThreadLayout.comment.reactions || typeof reaction !== 'string') return null
  if (path.length === 5) return { kind: 'reaction', reaction }
  if (typeof userId !== 'string' || path.length !== 6) return null
  return { kind: 'reactor', userId }
}

/** Reactions people can add to a comment (data, like every other list). */
export const REACTIONS = [
  { id: 'thumbsUp', emoji: '👍', label: 'Agree' },
  { id: 'thanks', emoji: '🙏', label: 'Thanks' },
  { id: 'done', emoji: '✅', label: 'Done' },
  { id: 'question', emoji: '❓', label: 'Question' },
] as const
export type ReactionId = (typeof REACTIONS)[number]['id']
const reactionIds = REACTIONS.map((r) => r.id)

export const commentBodySchema = z
  .string()
  .trim()
  .min(1, 'Write something first')
  .max(5000, 'Keep comments under 5,000 characters')

/** What a thread is about: a passage of prose, a whole initiative, or one metric. */
export const threadAnchorSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    /** `section:<id>` or `initiative:<id>:description`. */
    field: z.string().max(120),
    /** The words that were selected, and a little context either side. */
    quote: z.string().max(1000),
    before: z.string().max(200),
    after: z.string().max(200),
  }),
  z.object({ kind: z.literal('initiative'), initiativeId: z.string().max(64) }),
  z.object({ kind: z.literal('metric'), initiativeId: z.string().max(64), metricId: z.string().max(64) }),
])
export type ThreadAnchor = z.infer<typeof threadAnchorSchema>

export interface Author {
  id: string
  name: string
}

export interface CommentSnapshot {
  id: string
  authorId: string
  authorName: string
  body: string
  createdAt: string
  editedAt: string | null
  deleted: boolean
  mentions: string[]
  reactions: Partial<Record<ReactionId, string[]>>
}

export interface ThreadSnapshot {
  id: string
  status: 'open' | 'resolved'
  anchor: ThreadAnchor | null
  authorId: string
  authorName: string
  createdAt: string
  resolvedBy: string | null
  resolvedAt: string | null
  comments: CommentSnapshot[]
}

function str(map: Y.Map<unknown>, key: string): string {
  const v = map.get(key)
  return typeof v === 'string' ? v : ''
}

function mentionsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((m): m is string => typeof m === 'string').slice(0, 50) : []
}

/** One comment of a thread. Only its author edits or deletes it (the UI offers it to them only). */
export class CommentModel {
  constructor(readonly map: Y.Map<unknown>) {}
  get id(): string {
    return str(this.map, 'id')
  }
  get authorId(): string {
    return str(this.map, 'authorId')
  }
  edit(body: string, mentions?: string[]): void {
    const text = validated(commentBodySchema, body, 'Comment')
    this.map.doc?.transact(() => {
      this.map.set('body', text)
      if (mentions) this.map.set('mentions', mentionsOf(mentions))
      this.map.set('editedAt', new Date().toISOString())
    })
  }
  /** Deletes the text but keeps the place in the conversation ("comment deleted"). */
  remove(): void {
    this.map.doc?.transact(() => {
      this.map.set('body', '')
      this.map.set('mentions', [])
      this.map.set('deletedAt', new Date().toISOString())
    })
  }
  toggleReaction(reaction: ReactionId, userId: string): void {
    if (!reactionIds.includes(reaction)) return
    let reactions = this.map.get('reactions')
    if (!(reactions instanceof Y.Map)) {
      reactions = new Y.Map()
      this.map.set('reactions', reactions)
    }
    const byReaction = reactions as Y.Map<Y.Map<boolean>>
    let who = byReaction.get(reaction)
    if (!(who instanceof Y.Map)) {
      who = new Y.Map<boolean>()
      byReaction.set(reaction, who)
    }
    if (who.get(userId)) who.delete(userId)
    else who.set(userId, true)
  }
  snapshot(): CommentSnapshot {
    const reactions: Partial<Record<ReactionId, string[]>> = {}
    const r = this.map.get('reactions')
    if (r instanceof Y.Map) {
      for (const id of reactionIds) {
        const who = r.get(id)
        if (who instanceof Y.Map) {
          const users = [...who.keys()].filter((k) => who.get(k) === true).sort()
          if (users.length) reactions[id] = users
        }
      }
    }
    const deletedAt = str(this.map, 'deletedAt')
    return {
      id: this.id,
      authorId: this.authorId,
      authorName: str(this.map, 'authorName'),
      body: deletedAt ? '' : str(this.map, 'body'),
      createdAt: str(this.map, 'createdAt'),
      editedAt: str(this.map, 'editedAt') || null,
      deleted: deletedAt !== '',
      mentions: mentionsOf(this.map.get('mentions')),
      reactions,
    }
  }
}

/** A comment thread in a plan's `threads` map. */
export class ThreadModel {
  constructor(readonly map: Y.Map<unknown>) {}

  get id(): string {
    return str(this.map, 'id')
  }
  get status(): 'open' | 'resolved' {
    return this.map.get('status') === 'resolved' ? 'resolved' : 'open'
  }
  get anchor(): ThreadAnchor | null {
    const parsed = threadAnchorSchema.safeParse(this.map.get('anchor'))
    return parsed.success ? parsed.data : null
  }
  get commentsArray(): Y.Array<Y.Map<unknown>> | null {
    const c = this.map.get('comments')
    return c instanceof Y.Array ? c : null
  }
  comments(): CommentModel[] {
    return (this.commentsArray?.toArray() ?? []).filter((m) => m instanceof Y.Map).map((m) => new CommentModel(m))
  }
  comment(id: string): CommentModel | null {
    return this.comments().find((c) => c.id === id) ?? null
  }

  reply(author: Author, body: string, mentions: string[] = []): CommentModel {
    const comment = newComment(author, validated(commentBodySchema, body, 'Reply'), mentions)
    const doc = this.map.doc
    const push = () => {
      let list = this.commentsArray
      if (!list) {
        list = new Y.Array<Y.Map<unknown>>()
        this.map.set('comments', list)
      }
      list.push([comment])
    }
    if (doc) doc.transact(push)
    else push()
    return new CommentModel(comment)
  }

  resolve(by: Author): void {
    this.map.doc?.transact(() => {
      this.map.set('status', 'resolved')
      this.map.set('resolvedBy', by.name)
      this.map.set('resolvedAt', new Date().toISOString())
    })
  }

  reopen(): void {
    this.map.doc?.transact(() => {
      this.map.set('status', 'open')
      this.map.delete('resolvedBy')
      this.map.delete('resolvedAt')
    })
  }

  /** Points the thread at new text (after its original text was deleted). */
  reanchor(anchor: ThreadAnchor): void {
    this.map.set('anchor', validated(threadAnchorSchema, anchor, 'Anchor'))
  }

  snapshot(): ThreadSnapshot {
    return {
      id: this.id,
      status: this.status,
      anchor: this.anchor,
      authorId: str(this.map, 'authorId'),
      authorName: str(this.map, 'authorName'),
      createdAt: str(this.map, 'createdAt'),
      resolvedBy: str(this.map, 'resolvedBy') || null,
      resolvedAt: str(this.map, 'resolvedAt') || null,
      comments: this.comments().map((c) => c.snapshot()),
    }
  }
}

function newComment(author: Author, body: string, mentions: string[]): Y.Map<unknown> {
  const comment = new Y.Map<unknown>()
  comment.set('id', newId())
  comment.set('authorId', author.id)
  comment.set('authorName', author.name)
  comment.set('body', body)
  comment.set('mentions', mentionsOf(mentions))
  comment.set('createdAt', new Date().toISOString())
  return comment
}

/** The threads of one thread document (a plan's threads of one visibility). */
export class ThreadsModel {
  constructor(readonly doc: Y.Doc) {}

  get map(): Y.Map<Y.Map<unknown>> {
    return this.doc.getMap(ThreadLayout.root)
  }

  list(): ThreadModel[] {
    return [...this.map.values()].filter((m) => m instanceof Y.Map).map((m) => new ThreadModel(m))
  }

  get(id: string): ThreadModel | null {
    const m = this.map.get(id)
    return m instanceof Y.Map ? new ThreadModel(m) : null
  }

  /**
   * Starts a thread with its first comment. For a text anchor, the caller adds the comment mark
   * with the returned id in the same transaction (see the client's comment commands).
   */
  create(input: { anchor: ThreadAnchor; author: Author; body: string; mentions?: string[]; id?: string }): ThreadModel {
    const anchor = validated(threadAnchorSchema, input.anchor, 'Anchor')
    const body = validated(commentBodySchema, input.body, 'Comment')
    const thread = new Y.Map<unknown>()
    const id = input.id ?? newId()
    this.doc.transact(() => {
      this.map.set(id, thread)
      thread.set('id', id)
      thread.set('status', 'open')
      thread.set('anchor', anchor)
      thread.set('authorId', input.author.id)
      thread.set('authorName', input.author.name)
      thread.set('createdAt', new Date().toISOString())
      const comments = new Y.Array<Y.Map<unknown>>()
      thread.set('comments', comments)
      comments.push([newComment(input.author, body, input.mentions ?? [])])
    })
    return new ThreadModel(thread)
  }

  remove(id: string): void {
    this.map.delete(id)
  }

  /**
   * Puts a copy of a thread from another document here under the same id (moving a thread to
   * another visibility). Its comments, reactions and authors come along as they are. `thread` is
   * the thread in its document, or a copy made by `clone()` while that was open.
   */
  adopt(id: string, thread: Y.Map<unknown>): void {
    this.map.set(id, thread.doc ? thread.clone() : thread)
  }
}
