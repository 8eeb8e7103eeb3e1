import { DocKind, ThreadsModel, type ThreadVisibility, threadAccess, visibilityOfKind } from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import type * as Y from 'yjs'
import type { UserService } from '../auth/users.ts'
import type { DocumentHook } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import { preparedStatements } from '../db/preparedStatements.ts'
import type { PlanService } from '../domain/plans.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'
import { loadStoredDoc } from '../storage/storedDoc.ts'
import { commentNotices } from './commentNotices.ts'
import { commentEmail } from './emails.ts'
import type { Mailer } from './Mailer.ts'
import type { NotificationPrefs } from './NotificationPrefs.ts'

/** How long a plan must be quiet before its new comments are looked at (a reply being typed). */
export const NOTIFY_DEBOUNCE_MS = 2_000

export interface CommentNotifierOptions {
  db: Database
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
  const { db, store, plans, users, prefs, mailer, logger } = options
  const sql: (sql: string) => Statement = preparedStatements(db)
  const timers = new Map<string, NodeJS.Timeout>()
  const rooms = new Map<string, Room>()
  const running = new Set<Promise<void>>()

  const record = db.transaction((planId: string, key: string, commentIds: string[], baseline: boolean) => {
    const insert = sql('INSERT OR IGNORE INTO comment_notices (plan_id, comment_id) VALUES (?, ?)')
    for (const id of commentIds) insert.run(planId, id)
    if (baseline) sql('INSERT OR IGNORE INTO notice_baselines (plan_id) VALUES (?)').run(key)
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
    const plan = plans.get(planId)
    if (!plan) return
    const threads = new ThreadsModel(doc).list().map((t) => t.snapshot())
    const seen = sql('SELECT 1 FROM comment_notices WHERE plan_id = ? AND comment_id = ?')
    const { fresh, notices } = commentNotices(threads, (id) => seen.get(planId, id) !== undefined)
    const key = baselineKey(planId, visibility)
    const baseline = sql('SELECT 1 FROM notice_baselines WHERE plan_id = ?').get(key) === undefined
    // Recorded before sending: a crash mid-way loses an email rather than sending one twice.
    record(planId, key, fresh, baseline)
    if (baseline) return // a document first seen here (not through a room): its comments are the baseline
    for (const notice of notices) {
      const person = await users.get(notice.recipientId)
      if (!person?.active || present.has(person.id) || !threadAccess(person, plan, visibility)) continue
      const wanted = prefs.get(person.id)
      if (notice.reason === 'mention' ? !wanted.mentions : !wanted.replies) continue
      const href = `${options.baseUrl()}/plans/${encodeURIComponent(planId)}?thread=${encodeURIComponent(notice.threadId)}`
      const email = commentEmail(
        person.email,
        notice,
        { title: plan.title, href },
        {
          baseUrl: options.baseUrl(),
          unsubscribeToken: prefs.unsubscribeToken(person.id),
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
    if (sql('SELECT 1 FROM notice_baselines WHERE plan_id = ?').get(key) !== undefined) return
    const threads = new ThreadsModel(room.doc).list().map((t) => t.snapshot())
    record(id, key, commentNotices(threads, () => false).fresh, true)
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
