import { DocKind, ThreadsModel, type ThreadVisibility, threadAccess, visibilityOfKind } from '@lever/shared'
import type * as Y from 'yjs'
import type { UserService } from '../auth/users.ts'
import type { DocumentHook } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import type { Db } from '../db/queries.ts'
import type { PlanService } from '../domain/plans.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { loadStoredDoc } from '../storage/storedDoc.ts'
import { type CommentNotice, commentNotices } from './commentNotices.ts'
import { commentEmail } from './emails.ts'
import type { Mailer } from './Mailer.ts'
import type { NotificationPrefs } from './NotificationPrefs.ts'

/** How long a plan must be quiet before its new comments are looked at (a reply being typed). */
export const NOTIFY_DEBOUNCE_MS = 2_000

/** Comment rows per insert (2 parameters each, within SQLite's 999 per statement). */
const NOTICES_PER_INSERT = 400

export interface CommentNotifierOptions {
  queries: Db
  store: DocStore
  plans: PlanService
  users: UserService
  prefs: NotificationPrefs
  mailer: Mailer
  baseUrl: () => string
  logger: Logger
}

/**
 * Emails people about comments while they are away: when someone mentions them, or replies to a
 * thread they started. A document hook on the plans' thread documents: a moment after one's
 * changes stop it reads its threads, and each comment it has not seen before (recorded in `comment_notices`, so each is
 * mailed at most once, across restarts) tells the people it concerns, unless they have that plan
 * open right now, turned that email off, or may not read the thread (a team-only thread never
 * mails a peer). The first time a plan is
 * looked at, its existing comments are recorded without mailing anyone.
 */
export function commentNotifierHook(options: CommentNotifierOptions): DocumentHook & { flush(): Promise<void> } {
  const { queries: db, store, plans, users, prefs, mailer, logger } = options
  const timers = new Map<string, NodeJS.Timeout>()
  const rooms = new Map<string, Room>()
  const running = new Set<Promise<void>>()
  /** Baselines being recorded, by document name (looking at the document waits for its baseline). */
  const baselining = new Map<string, Promise<void>>()

  /** The comments of a plan already recorded (mailed about, or part of a baseline). */
  const recorded = async (planId: string): Promise<Set<string>> => {
    const rows = await db.selectFrom('comment_notices').select('comment_id').where('plan_id', '=', planId).execute()
    return new Set(rows.map((r) => r.comment_id))
  }

  /**
   * Records comments as seen, in one transaction with the document's baseline (made here when it
   * has none yet). Returns the comments this call recorded, or none when it made the baseline (a
   * baseline mails no one). Whoever inserts a comment's row is the one who tells about it, so with
   * several servers looking at once each comment is still mailed at most once.
   */
  const record = (planId: string, key: string, commentIds: string[]): Promise<Set<string>> =>
    db.transaction().execute(async (tx) => {
      const baseline = await tx
        .insertInto('notice_baselines')
        .values({ plan_id: key })
        .onConflict((oc) => oc.column('plan_id').doNothing())
        .returning('plan_id')
        .execute()
      const mine = new Set<string>()
      for (let i = 0; i < commentIds.length; i += NOTICES_PER_INSERT) {
        const part = commentIds.slice(i, i + NOTICES_PER_INSERT)
        const inserted = await tx
          .insertInto('comment_notices')
          .values(part.map((id) => ({ plan_id: planId, comment_id: id })))
          .onConflict((oc) => oc.columns(['plan_id', 'comment_id']).doNothing())
          .returning('comment_id')
          .execute()
        for (const row of inserted) mine.add(row.comment_id)
      }
      return baseline.length > 0 ? new Set<string>() : mine
    })

  /** Each thread document has its own baseline (the team's keeps the plan's, from when threads were in it). */
  const baselineKey = (planId: string, visibility: ThreadVisibility) =>
    visibility === 'team' ? planId : `${planId}#${visibility}`

  const examine = async (
    planId: string,
    visibility: ThreadVisibility,
    doc: Y.Doc,
    present: Set<string>,
  ): Promise<void> => {
    // The threads as they are now, before anything is awaited.
    const threads = new ThreadsModel(doc).list().map((t) => t.snapshot())
    const plan = await plans.get(planId)
    if (!plan) return
    const seen = await recorded(planId)
    const { fresh, notices } = commentNotices(threads, (id) => seen.has(id))
    // Recorded before sending: a crash mid-way loses an email rather than sending one twice. A
    // document without a baseline (first seen here, not through a room) makes its comments the baseline.
    const mine = await record(planId, baselineKey(planId, visibility), fresh)
    const toSend: CommentNotice[] = notices.filter((n) => mine.has(n.commentId))
    for (const notice of toSend) {
      const person = await users.get(notice.recipientId)
      if (!person?.active || present.has(person.id) || !threadAccess(person, plan, visibility)) continue
      const wanted = await prefs.get(person.id)
      if (notice.reason === 'mention' ? !wanted.mentions : !wanted.replies) continue
      const href = `${options.baseUrl()}/plans/${encodeURIComponent(planId)}?thread=${encodeURIComponent(notice.threadId)}`
      const email = commentEmail(
        person.email,
        notice,
        { title: plan.title, href },
        {
          baseUrl: options.baseUrl(),
          unsubscribeToken: await prefs.unsubscribeToken(person.id),
        },
      )
      if (await mailer.send(email)) logger.info({ plan: planId, reason: notice.reason }, 'sent a comment notification')
    }
  }

  const refresh = async (docName: string): Promise<void> => {
    const room = rooms.get(docName)
    rooms.delete(docName)
    const colon = docName.indexOf(':')
    const planId = docName.slice(colon + 1)
    const visibility = visibilityOfKind(docName.slice(0, colon))
    if (!visibility) return
    try {
      await baselining.get(docName)
      if (room && !room.isClosed) {
        // Those with the plan's threads open read them there.
        const present = new Set(room.connectionList().flatMap((c) => c.options.identity.userId ?? []))
        await examine(planId, visibility, room.doc, present)
        return
      }
      const doc = await loadStoredDoc(store, docName)
      try {
        await examine(planId, visibility, doc, new Set())
      } finally {
        doc.destroy()
      }
    } catch (error) {
      logger.warn({ err: error, plan: planId }, 'could not look for comments to notify')
    }
  }

  const run = (docName: string) => {
    timers.delete(docName)
    const done = refresh(docName)
    running.add(done)
    void done.finally(() => running.delete(done))
  }

  const schedule = (room: Room) => {
    rooms.set(room.name, room)
    if (timers.has(room.name)) return
    const timer = setTimeout(() => run(room.name), NOTIFY_DEBOUNCE_MS)
    timer.unref()
    timers.set(room.name, timer)
  }

  /**
   * The first time a plan is seen, its comments are recorded as they are, at once: only what is
   * written from then on tells anyone (enabling email later does not mail old comments).
   */
  const baselineIfNew = (room: Room, id: string, kind: string) => {
    const visibility = visibilityOfKind(kind)
    if (!visibility) return
    const key = baselineKey(id, visibility)
    // The comments as loaded, read now: whatever is written after the load is news.
    const threads = new ThreadsModel(room.doc).list().map((t) => t.snapshot())
    const done = (async () => {
      const exists = await db
        .selectFrom('notice_baselines')
        .select('plan_id')
        .where('plan_id', '=', key)
        .executeTakeFirst()
      if (exists) return
      await record(id, key, commentNotices(threads, () => false).fresh)
    })()
      .catch((error) => logger.warn({ err: error, plan: id }, 'could not record the comments already there'))
      .finally(() => {
        if (baselining.get(room.name) === done) baselining.delete(room.name)
      })
    baselining.set(room.name, done)
    running.add(done)
    void done.finally(() => running.delete(done))
  }

  return {
    name: 'comment-notifications',
    kinds: [DocKind.PlanThreadsTeam, DocKind.PlanThreadsAll],
    onLoad(room, id, kind) {
      baselineIfNew(room, id, kind)
      schedule(room)
    },
    // A change another server stored (Redis fan-out) is that server's to notify about: with
    // several servers each comment is mailed once, by the server its writer is connected to.
    afterChange: (room, _id, _kind, change) => {
      if (change.origin.kind !== 'peer') schedule(room)
    },
    afterUnload(docName) {
      rooms.delete(docName)
    },
    async flush() {
      for (const [id, timer] of timers) {
        clearTimeout(timer)
        run(id)
      }
      await Promise.all(running)
    },
  }
}
