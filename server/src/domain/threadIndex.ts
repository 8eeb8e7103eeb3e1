import {
  findCommentMarks,
  labelOf,
  PLAN_SECTIONS,
  PlanModel,
  type ThreadSnapshot,
  ThreadsModel,
  type ThreadVisibility,
} from '@lever/shared'
import type * as Y from 'yjs'
import type { Db } from '../db/queries.ts'
import { type QueryScript, run, type ScriptRunner, transactionRunner } from '../db/queryScripts.ts'

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

/** Index rows per insert: 15 parameters each, within SQLite's 999 per statement. */
const ROWS_PER_INSERT = 60
/** Mention rows per insert (3 parameters each). */
const MENTIONS_PER_INSERT = 300

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

/** The index of comment threads across plans, kept up to date from the plan documents. */
export class ThreadIndex {
  private readonly listeners = new Set<(planId: string) => void>()

  constructor(private readonly db: Db) {}

  /** Calls `listener` with a plan's id each time its threads are re-indexed; returns the unsubscribe. */
  onUpdate(listener: (planId: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Replaces a plan's rows with the threads of its document, as one script run by `write` (with
   * the document store's next group commit in the server; a transaction of its own by default),
   * then tells the listeners.
   */
  async update(
    planId: string,
    threads: IndexedThread[],
    write: ScriptRunner = transactionRunner(this.db),
  ): Promise<void> {
    await write(() => this.updateScript(planId, threads))
    for (const listener of this.listeners) listener(planId)
  }

  /** The queries that replace a plan's rows: all of them are stored, or none. */
  *updateScript(planId: string, threads: IndexedThread[]): QueryScript<void> {
    const { db } = this
    yield* run(db.deleteFrom('thread_index').where('plan_id', '=', planId))
    yield* run(db.deleteFrom('thread_mentions').where('plan_id', '=', planId))
    for (const part of chunks(threads, ROWS_PER_INSERT)) {
      yield* run(
        db.insertInto('thread_index').values(
          part.map((t) => ({
            plan_id: planId,
            thread_id: t.threadId,
            visibility: t.visibility,
            status: t.status,
            author_id: t.authorId,
            author_name: t.authorName,
            anchor_label: t.anchorLabel,
            quote: t.quote,
            orphaned: t.orphaned ? 1 : 0,
            comment_count: t.commentCount,
            created_at: t.createdAt,
            last_comment_at: t.lastCommentAt,
            last_comment_by: t.lastCommentBy,
            last_comment_by_name: t.lastCommentByName,
            excerpt: t.excerpt,
          })),
        ),
      )
    }
    const mentions = threads.flatMap((t) =>
      [...new Set(t.mentions)].map((userId) => ({ plan_id: planId, thread_id: t.threadId, user_id: userId })),
    )
    for (const part of chunks(mentions, MENTIONS_PER_INSERT)) {
      yield* run(
        db
          .insertInto('thread_mentions')
          .values(part)
          .onConflict((oc) => oc.columns(['user_id', 'plan_id', 'thread_id']).doNothing()),
      )
    }
  }

  /** Whether the index holds any thread of a plan. */
  async hasThreads(planId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('thread_index')
      .select('thread_id')
      .where('plan_id', '=', planId)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  /** Who started a thread, as last indexed (null: no such thread). */
  async authorOf(planId: string, threadId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('thread_index')
      .select('author_id')
      .where('plan_id', '=', planId)
      .where('thread_id', '=', threadId)
      .executeTakeFirst()
    return row?.author_id ?? null
  }

  /** Who started each thread of a plan, as last indexed (thread id to author id). */
  async authorsOf(planId: string): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('thread_index')
      .select(['thread_id', 'author_id'])
      .where('plan_id', '=', planId)
      .execute()
    return new Map(rows.map((r) => [r.thread_id, r.author_id]))
  }

  /**
   * Threads that mention the person, or are open on the given plans (those they are responsible
   * for), newest activity first. `visiblePlanIds` limits everything to plans they may see, and
   * `teamPlanIds` the team-only threads to the plans whose team threads they may read.
   */
  async inbox(
    userId: string,
    responsibleFor: Set<string>,
    visiblePlanIds: Set<string>,
    teamPlanIds: Set<string>,
  ): Promise<InboxItem[]> {
    const rows = await this.db
      .selectFrom('thread_index as t')
      .innerJoin('plans as p', 'p.id', 't.plan_id')
      .leftJoin('thread_mentions as m', (join) =>
        join.onRef('m.plan_id', '=', 't.plan_id').onRef('m.thread_id', '=', 't.thread_id').on('m.user_id', '=', userId),
      )
      .leftJoin('thread_reads as r', (join) =>
        join.onRef('r.plan_id', '=', 't.plan_id').onRef('r.thread_id', '=', 't.thread_id').on('r.user_id', '=', userId),
      )
      .selectAll('t')
      .select(['p.title as plan_title', 'p.jurisdiction_id', 'm.user_id as mentioned', 'r.read_at'])
      .orderBy('t.last_comment_at', 'desc')
      .orderBy('t.plan_id')
      .orderBy('t.thread_id')
      .execute()
    return rows
      .filter((r) => visiblePlanIds.has(r.plan_id))
      .filter((r) => r.visibility === 'all' || teamPlanIds.has(r.plan_id))
      .filter((r) => r.mentioned !== null || (r.status === 'open' && responsibleFor.has(r.plan_id)))
      .map((r) => ({
        planId: r.plan_id,
        threadId: r.thread_id,
        visibility: r.visibility === 'all' ? 'all' : 'team',
        status: r.status === 'resolved' ? 'resolved' : 'open',
        authorId: r.author_id,
        authorName: r.author_name,
        anchorLabel: r.anchor_label,
        quote: r.quote,
        orphaned: r.orphaned === 1,
        commentCount: r.comment_count,
        createdAt: r.created_at,
        lastCommentAt: r.last_comment_at,
        lastCommentBy: r.last_comment_by,
        lastCommentByName: r.last_comment_by_name,
        excerpt: r.excerpt,
        planTitle: r.plan_title,
        jurisdictionId: r.jurisdiction_id,
        mentionsMe: r.mentioned !== null,
        unread: r.last_comment_by !== userId && (r.read_at === null || r.read_at < r.last_comment_at),
      }))
  }

  /** Records that the person read a thread at `at` (the later of two marks wins, whatever their order). */
  async markRead(userId: string, planId: string, threadId: string, at = new Date()): Promise<void> {
    await this.db
      .insertInto('thread_reads')
      .values({ user_id: userId, plan_id: planId, thread_id: threadId, read_at: at.toISOString() })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'plan_id', 'thread_id'])
          .doUpdateSet((eb) => ({ read_at: eb.ref('excluded.read_at') }))
          .where('thread_reads.read_at', '<', (eb) => eb.ref('excluded.read_at')),
      )
      .execute()
  }
}
