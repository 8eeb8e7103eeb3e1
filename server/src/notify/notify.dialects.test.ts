import { DocKind, ThreadsModel, threadDocName } from '@lever/shared'
import { afterAll, beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { startSmtpServer } from '../../../tests/support/smtp.ts'
import { type UserRecord, UserService } from '../auth/users.ts'
import type { RoomManager } from '../collab/RoomManager.ts'
import type { Db } from '../db/queries.ts'
import { PlanService } from '../domain/plans.ts'
import { quietLogger } from '../logger.ts'
import { MemoryDocStore } from '../storage/MemoryDocStore.ts'
import { describeDialects } from '../testing/dialects.ts'
import { testRooms } from '../testing/rooms.ts'
import { commentNotifierHook } from './CommentNotifier.ts'
import { Mailer } from './Mailer.ts'
import { NotificationPrefs } from './NotificationPrefs.ts'

const NOW = '2026-12-01T10:00:00.000Z'

/** People the settings belong to (their rows refer to users). */
async function seedUsers(db: Db, ids: string[]): Promise<void> {
  await db
    .insertInto('users')
    .values(
      ids.map((id) => ({ id, email: `${id}@example.gov`, name: id, role: 'member', created_at: NOW, updated_at: NOW })),
    )
    .execute()
}

describeDialects('NotificationPrefs', (fresh) => {
  it('starts with every email on and a token, keeps changes, and turns everything off by the token', async () => {
    const { db } = await fresh()
    await seedUsers(db, ['ana', 'ben'])
    const prefs = new NotificationPrefs(db)
    // First use from two requests at once makes one row (and one token).
    const [a, b] = await Promise.all([prefs.get('ana'), prefs.get('ana')])
    expect(a).toEqual({ mentions: true, replies: true, digest: true })
    expect(b).toEqual(a)
    const token = await prefs.unsubscribeToken('ana')
    expect(token).toMatch(/^[A-Za-z0-9_-]{16,64}$/)
    expect(await prefs.unsubscribeToken('ana')).toBe(token)
    expect(await prefs.unsubscribeToken('ben')).not.toBe(token)
    expect(await prefs.set('ana', { mentions: false, replies: true, digest: false })).toEqual({
      mentions: false,
      replies: true,
      digest: false,
    })
    expect(await prefs.unsubscribe(token)).toBe(true)
    expect(await prefs.get('ana')).toEqual({ mentions: false, replies: false, digest: false })
    expect(await prefs.get('ben')).toEqual({ mentions: true, replies: true, digest: true })
    expect(await prefs.unsubscribe('no-such-token-at-all')).toBe(false)
  })

  it('lets exactly one of several senders claim a person’s digest, once a day, and takes an unsent one back', async () => {
    const { db } = await fresh()
    await seedUsers(db, ['ana'])
    const prefs = new NotificationPrefs(db)
    const day = 24 * 60 * 60 * 1000
    const at = new Date('2026-12-01T08:00:00.000Z')
    const since = new Date(at.getTime() - day)
    expect(await prefs.lastDigestAt('ana')).toBeNull()
    const claims = await Promise.all([0, 1, 2, 3].map(() => prefs.claimDigest('ana', at, since)))
    expect(claims.filter((c) => c !== false)).toEqual([{ previous: null }])
    expect(await prefs.lastDigestAt('ana')).toBe(at.toISOString())
    // Within the day: nobody claims another.
    const later = new Date(at.getTime() + day / 2)
    expect(await prefs.claimDigest('ana', later, new Date(later.getTime() - day))).toBe(false)
    // A day on: claimed again; the email failed, so the claim is given back.
    const next = new Date(at.getTime() + day + 1)
    const claim = await prefs.claimDigest('ana', next, new Date(next.getTime() - day))
    expect(claim).toEqual({ previous: at.toISOString() })
    await prefs.releaseDigest('ana', next, at.toISOString())
    expect(await prefs.lastDigestAt('ana')).toBe(at.toISOString())
    expect(await prefs.claimDigest('ana', next, new Date(next.getTime() - day))).toEqual({ previous: at.toISOString() })
  })
})

describeDialects('comment notifications', (fresh) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>
  beforeAll(async () => {
    smtp = await startSmtpServer()
  })
  afterAll(async () => {
    await smtp.close()
  })

  it('mails each new comment once even when two servers look at it at once, and never the comments there before', async () => {
    const { db } = await fresh()
    smtp.messages.splice(0)
    const store = new MemoryDocStore()
    const mailer = new Mailer(smtp.url, 'Lever <lever@example.gov>', quietLogger())
    const managers: RoomManager[] = []
    try {
      await db
        .insertInto('jurisdictions')
        .values({ id: 'j1', name: 'Boulder', kind: 'city', state: 'CO', agency: 'Office' })
        .execute()
      const users = new UserService(db)
      const [ana, ben, cy] = (await Promise.all(
        ['ana', 'ben', 'cy'].map((name) =>
          users.create({ email: `${name}@example.gov`, name, role: 'member', jurisdictionId: 'j1' }),
        ),
      )) as [UserRecord, UserRecord, UserRecord]
      const plans = new PlanService(db, store)
      const plan = await plans.create({ jurisdictionId: 'j1', title: 'Housing' })
      const docName = threadDocName(plan.id, 'team')
      // A thread with a mention from before anyone looked: part of the baseline, mailed to no one.
      const old = new Y.Doc()
      const threadId = new ThreadsModel(old).create({
        anchor: { kind: 'initiative', initiativeId: 'i1' },
        author: { id: ana.id, name: 'ana' },
        body: 'Who owns this?',
        mentions: [ben.id],
      }).id
      await store.append(docName, Y.encodeStateAsUpdate(old))
      old.destroy()

      const prefs = new NotificationPrefs(db)
      const server = () => {
        const hook = commentNotifierHook({
          queries: db,
          store,
          plans,
          users,
          prefs,
          mailer,
          baseUrl: () => 'https://lever.example.gov',
          logger: quietLogger(),
        })
        const rooms = testRooms(store, undefined, {
          onLoaded: (room) => hook.onLoad?.(room, plan.id, DocKind.PlanThreadsTeam),
          onDurableChange: (room, change) => hook.afterChange?.(room, plan.id, DocKind.PlanThreadsTeam, change),
        })
        managers.push(rooms)
        return { hook, rooms }
      }
      const [one, two] = [server(), server()]
      await Promise.all([one.rooms.withRoom(docName, () => {}), two.rooms.withRoom(docName, () => {})])
      await Promise.all([one.hook.flush(), two.hook.flush()])
      expect(await db.selectFrom('notice_baselines').select('plan_id').execute()).toEqual([{ plan_id: plan.id }])
      expect(smtp.messages).toEqual([])

      // Cy replies and mentions Ben; the same change reaches both servers (as a shared store would).
      const update = await one.rooms.withRoom(docName, (room) => {
        const before = Y.encodeStateVector(room.doc)
        room.transactServer((doc) => {
          new ThreadsModel(doc).get(threadId)?.reply({ id: cy.id, name: 'cy' }, 'Ben, this is yours', [ben.id])
        })
        return Y.encodeStateAsUpdate(room.doc, before)
      })
      await two.rooms.withRoom(docName, (room) => room.transactServer((doc) => Y.applyUpdate(doc, update)))
      await Promise.all([one.rooms.get(docName).whenDurable(), two.rooms.get(docName).whenDurable()])
      await Promise.all([one.hook.flush(), two.hook.flush()])

      const to = (person: { email: string }) => smtp.messages.filter((m) => m.to.includes(person.email))
      expect(to(ben)).toHaveLength(1)
      expect(to(ben)[0]?.text).toContain('Ben, this is yours')
      expect(to(ana)).toHaveLength(1) // the thread's author hears of the reply
      expect(to(cy)).toHaveLength(0) // never the writer
      expect(smtp.messages).toHaveLength(2)

      // Looked at again: nothing new, nothing sent.
      await one.rooms.withRoom(docName, (room) => room.transactServer((doc) => doc.getMap('other').set('x', 1)))
      await one.rooms.get(docName).whenDurable()
      await Promise.all([one.hook.flush(), two.hook.flush()])
      expect(smtp.messages).toHaveLength(2)
      const recorded = await db
        .selectFrom('comment_notices')
        .select('comment_id')
        .where('plan_id', '=', plan.id)
        .execute()
      expect(recorded).toHaveLength(2)
    } finally {
      for (const rooms of managers) await rooms.closeAll(1001, 'test over')
      mailer.close()
    }
  })
})
