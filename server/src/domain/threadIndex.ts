import {
  findCommentMarks,
  labelOf,
  PLAN_SECTIONS,
  PlanModel,
  type ThreadSnapshot,
  ThreadsModel,
  type ThreadVisibility,
} from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import type * as Y from 'yjs'
import { preparedStatements } from '../db/preparedStatements.ts'

/** One thread as the inbox lists it. */
export interface IndexedThread {
  planId: string
  threadId: string
  /** Who may read it: the team (with coaches and facilitators) or everyone who reads the plan. */
  visibility: ThreadVisibility
  status: 'open' | 'resolved'
  authorId: string
  authorName: string
  anchorLabel: string
  quote: string
  orphaned: boolean
  commentCount: number
  createdAt: string
  lastCommentAt: string
  lastCommentBy: string
  lastCommentByName: string
  excerpt: string
  mentions: string[]
}

/** A readable name for what a thread is about ("Theory of change", "Wage floor: description"). */
function anchorLabel(plan: PlanModel, thread: ThreadSnapshot): string {
  const anchor = thread.anchor
  if (!anchor) return 'Plan'
  const initiativeTitle = (id: string) => plan.initiative(id)?.title.trim() || 'Untitled initiative'
  if (anchor.kind === 'initiative') return initiativeTitle(anchor.initiativeId)
  if (anchor.kind === 'metric') {
    const metric = plan.initiative(anchor.initiativeId)?.metrics.get(anchor.metricId)
    return `${initiativeTitle(anchor.initiativeId)}: ${metric?.text('name')?.toString() || 'metric'}`
  }
  if (anchor.field.startsWith('section:')) return labelOf(PLAN_SECTIONS, anchor.field.slice('section:'.length))
  const initiativeId = anchor.field.split(':')[1] ?? ''
  return `${initiativeTitle(initiativeId)}: description`
}

/** A plan's thread document of one visibility. */
export interface ThreadDoc {
  visibility: ThreadVisibility
  doc: Y.Doc
}

/** Reads the threads of a plan (its thread documents, anchored in the plan document) into index rows. */
export function indexThreads(planId: string, planDoc: Y.Doc, threadDocs: readonly ThreadDoc[]): IndexedThread[] {
  const plan = new PlanModel(planDoc)
  // Walking the prose for marks is the costly part: only when a thread is anchored in words.
  let marks: Map<string, unknown> | undefined
  const marked = (threadId: string) => {
    marks ??= findCommentMarks(planDoc)
    return marks.has(threadId)
  }
  const seen = new Set<string>()
  return threadDocs.flatMap(({ visibility, doc }) =>
    new ThreadsModel(doc).list().flatMap((model) => {
      const t = model.snapshot()
      // A thread being moved to the other visibility is in both documents for a moment: the
      // narrower one counts.
      if (!t.id || seen.has(t.id)) return []
      seen.add(t.id)
      const visible = t.comments.filter((c) => !c.deleted)
      const last = visible.at(-1) ?? t.comments.at(-1)
      const orphaned = t.anchor?.kind === 'text' && !marked(t.id)
      return [
        {
          planId,
          threadId: t.id,
          visibility,
          status: t.status,
          authorId: t.authorId,
          authorName: t.authorName,
          anchorLabel: anchorLabel(plan, t),
          quote: t.anchor?.kind === 'text' ? t.anchor.quote.slice(0, 300) : '',
          orphaned,
          commentCount: visible.length,
          createdAt: t.createdAt,
          lastCommentAt: last?.createdAt ?? t.createdAt,
          lastCommentBy: last?.authorId ?? t.authorId,
          lastCommentByName: last?.authorName ?? t.authorName,
          excerpt: (last?.body ?? '').slice(0, 200),
          mentions: [...new Set(t.comments.flatMap((c) => c.mentions))],
        },
      ]
    }),
  )
}

export interface InboxItem extends Omit<IndexedThread, 'mentions'> {
  planTitle: string
  jurisdictionId: string
  mentionsMe: boolean
  unread: boolean
}

/** The SQLite index of comment threads across plans, kept up to date from the plan documents. */
export class ThreadIndex {
  private readonly sql: (sql: string) => Statement
  private readonly listeners = new Set<(planId: string) => void>()

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
  }

  /** Calls `listener` with a plan's id each time its threads are re-indexed; returns the unsubscribe. */
  onUpdate(listener: (planId: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Replaces a plan's rows with the threads of its document. */
  update(planId: string, threads: IndexedThread[]): void {
    const insert = this.sql(`INSERT INTO thread_index
      (plan_id, thread_id, visibility, status, author_id, author_name, anchor_label, quote, orphaned, comment_count, created_at, last_comment_at, last_comment_by, last_comment_by_name, excerpt)
      VALUES (@planId, @threadId, @visibility, @status, @authorId, @authorName, @anchorLabel, @quote, @orphaned, @commentCount, @createdAt, @lastCommentAt, @lastCommentBy, @lastCommentByName, @excerpt)`)
    const mention = this.sql('INSERT OR IGNORE INTO thread_mentions (plan_id, thread_id, user_id) VALUES (?, ?, ?)')
    this.db.transaction(() => {
      this.sql('DELETE FROM thread_index WHERE plan_id = ?').run(planId)
      this.sql('DELETE FROM thread_mentions WHERE plan_id = ?').run(planId)
      for (const t of threads) {
        insert.run({ ...t, orphaned: t.orphaned ? 1 : 0 })
        for (const userId of t.mentions) mention.run(planId, t.threadId, userId)
      }
    })()
    for (const listener of this.listeners) listener(planId)
  }

  /** Whether the index holds any thread of a plan. */
  hasThreads(planId: string): boolean {
    return this.sql('SELECT 1 FROM thread_index WHERE plan_id = ? LIMIT 1').get(planId) !== undefined
  }

  /** Who started a thread, as last indexed (null: no such thread). */
  authorOf(planId: string, threadId: string): string | null {
    const row = this.sql('SELECT author_id FROM thread_index WHERE plan_id = ? AND thread_id = ?').get(
      planId,
      threadId,
    ) as { author_id: string } | undefined
    return row?.author_id ?? null
  }

  /**
   * Threads that mention the person, or are open on the given plans (those they are responsible
   * for), newest activity first. `visiblePlanIds` limits everything to plans they may see, and
   * `teamPlanIds` the team-only threads to the plans whose team threads they may read.
   */
  inbox(
    userId: string,
    responsibleFor: Set<string>,
    visiblePlanIds: Set<string>,
    teamPlanIds: Set<string>,
  ): InboxItem[] {
    const rows = this.db
      .prepare(`
        SELECT t.*, p.title AS plan_title, p.jurisdiction_id,
               (m.user_id IS NOT NULL) AS mentions_me,
               r.read_at
        FROM thread_index t
        JOIN plans p ON p.id = t.plan_id
        LEFT JOIN thread_mentions m ON m.plan_id = t.plan_id AND m.thread_id = t.thread_id AND m.user_id = @userId
        LEFT JOIN thread_reads r ON r.plan_id = t.plan_id AND r.thread_id = t.thread_id AND r.user_id = @userId
        ORDER BY t.last_comment_at DESC`)
      .all({ userId }) as Array<Record<string, unknown>>
    return rows
      .filter((r) => visiblePlanIds.has(r.plan_id as string))
      .filter((r) => r.visibility === 'all' || teamPlanIds.has(r.plan_id as string))
      .filter((r) => r.mentions_me === 1 || (r.status === 'open' && responsibleFor.has(r.plan_id as string)))
      .map((r) => ({
        planId: r.plan_id as string,
        threadId: r.thread_id as string,
        visibility: r.visibility === 'all' ? 'all' : 'team',
        status: r.status as 'open' | 'resolved',
        authorId: r.author_id as string,
        authorName: r.author_name as string,
        anchorLabel: r.anchor_label as string,
        quote: r.quote as string,
        orphaned: r.orphaned === 1,
        commentCount: r.comment_count as number,
        createdAt: r.created_at as string,
        lastCommentAt: r.last_comment_at as string,
        lastCommentBy: r.last_comment_by as string,
        lastCommentByName: r.last_comment_by_name as string,
        excerpt: r.excerpt as string,
        planTitle: r.plan_title as string,
        jurisdictionId: r.jurisdiction_id as string,
        mentionsMe: r.mentions_me === 1,
        unread:
          r.last_comment_by !== userId && (r.read_at === null || (r.read_at as string) < (r.last_comment_at as string)),
      }))
  }

  markRead(userId: string, planId: string, threadId: string, at = new Date()): void {
    this.db
      .prepare(
        `INSERT INTO thread_reads (user_id, plan_id, thread_id, read_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id, plan_id, thread_id) DO UPDATE SET read_at = excluded.read_at`,
      )
      .run(userId, planId, threadId, at.toISOString())
  }
}
