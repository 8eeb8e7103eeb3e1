import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, it } from 'vitest'
import type { Db } from '../db/queries.ts'
import { ApiError } from '../http/ApiError.ts'
import { quietLogger } from '../logger.ts'
import { describeDialects } from '../testing/dialects.ts'
import { AuthService } from './AuthService.ts'
import { InviteService } from './invites.ts'
import { SignInThrottle, type ThrottleKey } from './SignInThrottle.ts'
import { hashToken } from './secrets.ts'
import { SessionService } from './sessions.ts'
import { TrustedDevices } from './TrustedDevices.ts'
import { UserService } from './users.ts'

const MINUTE = 60_000
const IDLE = 30 * MINUTE
const MAX_AGE = 8 * 60 * MINUTE

/** A clock tests move by hand. */
function clock(start = Date.parse('2026-12-02T09:00:00Z')) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

async function addJurisdictions(db: Db, ...ids: string[]) {
  await db
    .insertInto('jurisdictions')
    .values(ids.map((id) => ({ id, name: `Jurisdiction ${id}`, kind: 'city', state: 'CO', agency: 'Procurement' })))
    .execute()
}

/** The status of a rejected promise's ApiError (or the error itself when it is not one). */
async function statusOf(promise: Promise<unknown>): Promise<number | unknown> {
  try {
    await promise
  } catch (error) {
    return error instanceof ApiError ? error.status : error
  }
  return 'resolved'
}

describeDialects('UserService', (fresh) => {
  it('stores emails trimmed and in lower case, finds them in any case, and refuses a second person with one', async () => {
    const { db } = await fresh()
    const users = new UserService(db)
    const fran = await users.create({ email: '  Fran@Example.GOV ', name: ' Fran ', role: 'facilitator' })
    expect(fran).toMatchObject({ email: 'fran@example.gov', name: 'Fran', role: 'facilitator', active: true })
    expect(fran.hasPassword).toBe(false)
    expect((await users.getByEmail('FRAN@example.gov'))?.id).toBe(fran.id)
    expect((await users.getByEmail(' fran@example.gov  '))?.id).toBe(fran.id)
    expect(await users.getByEmail('nobody@example.gov')).toBeNull()
    expect(await statusOf(users.create({ email: 'FRAN@EXAMPLE.GOV', name: 'Other', role: 'coach' }))).toBe(409)
    expect(await users.count()).toBe(1)
  })

  it('creates one person when two add the same email at the same moment', async () => {
    const { db } = await fresh()
    const users = new UserService(db)
    const results = await Promise.allSettled(
      ['a@x.gov', 'A@x.gov', ' a@X.gov', 'a@x.GOV'].map((email) => users.create({ email, name: 'A', role: 'coach' })),
    )
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect((r.reason as ApiError).status).toBe(409)
    expect(await users.count()).toBe(1)
  })

  it('keeps members in one known jurisdiction, lists everyone by role, name and email, and keeps coaches’ assignments', async () => {
    const { db } = await fresh()
    await addJurisdictions(db, 'ohio', 'boulder-co', 'atlanta-ga')
    const users = new UserService(db)
    expect(await statusOf(users.create({ email: 'm@x.gov', name: 'M', role: 'member' }))).toBe(400)
    expect(await statusOf(users.create({ email: 'm@x.gov', name: 'M', role: 'member', jurisdictionId: 'mars' }))).toBe(
      400,
    )
    const member = await users.create({ email: 'm@x.gov', name: 'Mo', role: 'member', jurisdictionId: 'ohio' })
    expect(member.jurisdictionId).toBe('ohio')
    // A facilitator or coach belongs to no jurisdiction, whatever was asked.
    const coach = await users.create({ email: 'c@x.gov', name: 'Cory', role: 'coach', jurisdictionId: 'ohio' })
    expect(coach.jurisdictionId).toBeNull()
    await users.create({ email: 'b@x.gov', name: 'Cory', role: 'coach' })
    await users.create({ email: 'z@x.gov', name: 'ann', role: 'facilitator' })
    await users.create({ email: 'y@x.gov', name: 'Zed', role: 'facilitator' })

    const assigned = await users.setCoachAssignments(coach.id, ['ohio', 'atlanta-ga', 'ohio', 'boulder-co'])
    expect(assigned.coachOf).toEqual(['atlanta-ga', 'boulder-co', 'ohio'])
    expect((await users.get(coach.id))?.coachOf).toEqual(['atlanta-ga', 'boulder-co', 'ohio'])
    expect(await statusOf(users.setCoachAssignments(member.id, ['ohio']))).toBe(400)
    expect(await statusOf(users.setCoachAssignments(coach.id, ['mars']))).toBe(400)
    expect((await users.get(coach.id))?.coachOf).toEqual(['atlanta-ga', 'boulder-co', 'ohio'])
    expect(await statusOf(users.setCoachAssignments('nobody', []))).toBe(404)

    const list = await users.list()
    // Roles, then names, then emails, compared as text (upper case before lower case).
    expect(list.map((u) => [u.role, u.name, u.email])).toEqual([
      ['coach', 'Cory', 'b@x.gov'],
      ['coach', 'Cory', 'c@x.gov'],
      ['facilitator', 'Zed', 'y@x.gov'],
      ['facilitator', 'ann', 'z@x.gov'],
      ['member', 'Mo', 'm@x.gov'],
    ])
    expect(list.find((u) => u.id === coach.id)?.coachOf).toEqual(['atlanta-ga', 'boulder-co', 'ohio'])
    expect(list.every((u) => !('passwordHash' in u))).toBe(true)
  })

  it('updates name, role, team and active state; a coach who stops being one loses their assignments', async () => {
    const { db } = await fresh()
    await addJurisdictions(db, 'ohio', 'boulder-co')
    const users = new UserService(db)
    const coach = await users.create({ email: 'c@x.gov', name: 'Cory', role: 'coach' })
    await users.setCoachAssignments(coach.id, ['ohio'])
    expect(await statusOf(users.update(coach.id, { role: 'member' }))).toBe(400)
    expect((await users.get(coach.id))?.coachOf).toEqual(['ohio'])
    const member = await users.update(coach.id, { role: 'member', jurisdictionId: 'boulder-co', name: ' Cory M ' })
    expect(member).toMatchObject({ role: 'member', jurisdictionId: 'boulder-co', name: 'Cory M', coachOf: [] })
    expect(await db.selectFrom('coach_assignments').selectAll().execute()).toEqual([])
    // A member keeps their team when only their name changes.
    expect((await users.update(coach.id, { name: 'Cory' })).jurisdictionId).toBe('boulder-co')
    expect((await users.update(coach.id, { active: false })).active).toBe(false)
    expect((await users.update(coach.id, { name: 'Still off' })).active).toBe(false)
    expect(await statusOf(users.update('nobody', { name: 'x' }))).toBe(404)

    await users.setPassword(coach.id, 'scrypt$hash')
    expect(await users.get(coach.id)).toMatchObject({ hasPassword: true, passwordHash: 'scrypt$hash' })
  })

  it('applies two updates of one person at the same moment one after the other', async () => {
    const { db } = await fresh()
    const users = new UserService(db)
    const person = await users.create({ email: 'p@x.gov', name: 'P', role: 'coach' })
    await Promise.all([users.update(person.id, { name: 'Renamed' }), users.update(person.id, { active: false })])
    expect(await users.get(person.id)).toMatchObject({ name: 'Renamed', active: false })
  })

  it('adds a first person only to an empty table, once, even when two servers start at the same moment', async () => {
    const { db } = await fresh()
    const one = new UserService(db)
    const two = new UserService(db)
    const made = await Promise.all([
      one.createFirst({ email: 'first@x.gov', name: 'Facilitator', role: 'facilitator' }),
      two.createFirst({ email: 'other@x.gov', name: 'Facilitator', role: 'facilitator' }),
    ])
    expect(made.filter((u) => u !== null)).toHaveLength(1)
    expect(await one.count()).toBe(1)
    expect(await one.createFirst({ email: 'late@x.gov', name: 'F', role: 'facilitator' })).toBeNull()
  })
})

describeDialects('SessionService', (fresh) => {
  const setup = async () => {
    const { db } = await fresh()
    const person = await new UserService(db).create({ email: 'p@x.gov', name: 'P', role: 'coach' })
    const time = clock()
    const sessions = new SessionService(db, { idleTtlMs: IDLE, maxAgeMs: MAX_AGE }, time.now)
    const ended: string[] = []
    sessions.onEnded((userId) => ended.push(userId))
    return { db, person, time, sessions, ended }
  }

  it('resolves a live token, slides its expiry at most once a minute, and never past the maximum age', async () => {
    const { db, person, time, sessions } = await setup()
    const { token, expiresAt } = await sessions.create(person.id)
    expect(expiresAt).toBe(time.now() + IDLE)
    expect(await sessions.resolve('not a token')).toBeNull()
    const session = await sessions.resolve(token)
    expect(session).toEqual({ tokenHash: hashToken(token), userId: person.id, expiresAt })
    time.advance(30_000)
    expect((await sessions.resolve(token))?.expiresAt).toBe(expiresAt)
    time.advance(60_000)
    expect((await sessions.resolve(token))?.expiresAt).toBe(time.now() + IDLE)
    const stored = await db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()
    expect(stored.expires_at).toBe(time.now() + IDLE)
    // isLive does not extend.
    time.advance(10 * MINUTE)
    expect(await sessions.isLive(hashToken(token))).toBe(true)
    expect((await db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()).expires_at).toBe(
      stored.expires_at,
    )
    // Used every 15 minutes, it still ends at its maximum age.
    const created = Date.parse('2026-12-02T09:00:00Z')
    while (time.now() + 15 * MINUTE < created + MAX_AGE) {
      time.advance(15 * MINUTE)
      const expiry = (await sessions.resolve(token))?.expiresAt as number
      expect(expiry).toBe(Math.min(time.now() + IDLE, created + MAX_AGE))
    }
    time.advance(created + MAX_AGE - time.now())
    expect(await sessions.resolve(token)).toBeNull()
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([])
  })

  it('ends a session unused for the idle time, and deletes it', async () => {
    const { db, person, time, sessions } = await setup()
    const { token } = await sessions.create(person.id)
    time.advance(IDLE)
    expect(await sessions.isLive(hashToken(token))).toBe(false)
    expect(await sessions.resolve(token)).toBeNull()
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([])
  })

  it('never moves an expiry back when two requests extend it at the same moment', async () => {
    const { db, person, time, sessions } = await setup()
    const { token } = await sessions.create(person.id)
    time.advance(5 * MINUTE)
    const later = new SessionService(db, { idleTtlMs: IDLE, maxAgeMs: MAX_AGE }, () => time.now() + 2 * MINUTE)
    const resolved = await Promise.all([later.resolve(token), sessions.resolve(token), later.resolve(token)])
    const latest = time.now() + 2 * MINUTE + IDLE
    expect((await db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()).expires_at).toBe(latest)
    for (const r of resolved) expect(r?.userId).toBe(person.id)
  })

  it('revokes one session, all of a person’s but one, and sweeps expired ones, telling listeners whose ended', async () => {
    const { db, person, time, sessions, ended } = await setup()
    const other = await new UserService(db).create({ email: 'o@x.gov', name: 'O', role: 'coach' })
    const a = await sessions.create(person.id)
    const b = await sessions.create(person.id)
    const c = await sessions.create(person.id)
    await sessions.revoke(a.token)
    expect(ended).toEqual([person.id])
    expect(await sessions.resolve(a.token)).toBeNull()
    await sessions.revoke(a.token)
    expect(ended).toEqual([person.id])
    expect(await sessions.revokeUser(person.id, hashToken(b.token))).toBe(1)
    expect(await sessions.resolve(b.token)).not.toBeNull()
    expect(await sessions.resolve(c.token)).toBeNull()
    expect(await sessions.revokeUser(other.id)).toBe(0)
    expect(ended).toEqual([person.id, person.id])

    ended.length = 0
    const o = await sessions.create(other.id)
    time.advance(IDLE - MINUTE)
    const fresh = await sessions.create(other.id)
    time.advance(2 * MINUTE)
    expect(await sessions.sweep()).toBe(2)
    expect(ended.sort()).toEqual([other.id, person.id].sort())
    expect(await sessions.resolve(o.token)).toBeNull()
    expect(await sessions.resolve(fresh.token)).not.toBeNull()
    expect(await sessions.sweep()).toBe(0)
  })
})

describeDialects('InviteService', (fresh) => {
  const setup = async () => {
    const { db } = await fresh()
    const person = await new UserService(db).create({ email: 'p@x.gov', name: 'P', role: 'coach' })
    const time = clock()
    return { db, person, time, invites: new InviteService(db, 60 * MINUTE, time.now) }
  }

  it('peeks without using, uses an invite once, and refuses an expired one', async () => {
    const { person, time, invites } = await setup()
    const token = await invites.issue(person.id)
    expect(await invites.peek(token)).toBe(person.id)
    expect(await invites.peek(token)).toBe(person.id)
    expect(await invites.peek('unknown')).toBeNull()
    expect(await invites.consume(token)).toBe(person.id)
    expect(await invites.peek(token)).toBeNull()
    expect(await invites.consume(token)).toBeNull()
    const late = await invites.issue(person.id)
    time.advance(60 * MINUTE)
    expect(await invites.peek(late)).toBeNull()
    expect(await invites.consume(late)).toBeNull()
  })

  it('uses an invite once when it is accepted several times at the same moment', async () => {
    const { person, invites } = await setup()
    const token = await invites.issue(person.id)
    const used = await Promise.all(Array.from({ length: 6 }, () => invites.consume(token)))
    expect(used.filter((u) => u === person.id)).toHaveLength(1)
    expect(used.filter((u) => u === null)).toHaveLength(5)
  })

  it('keeps only the newest unused link of a person, also when two are issued at the same moment', async () => {
    const { db, person, invites } = await setup()
    const first = await invites.issue(person.id)
    const second = await invites.issue(person.id)
    expect(await invites.peek(first)).toBeNull()
    expect(await invites.peek(second)).toBe(person.id)
    const both = await Promise.all([invites.issue(person.id), invites.issue(person.id), invites.issue(person.id)])
    const live = await Promise.all(both.map((t) => invites.peek(t)))
    expect(live.filter((u) => u !== null)).toHaveLength(1)
    const rows = await db.selectFrom('invites').selectAll().where('used_at', 'is', null).execute()
    expect(rows).toHaveLength(1)
  })
})

describeDialects('TrustedDevices', (fresh) => {
  const setup = async (maxPerUser = 3) => {
    const { db } = await fresh()
    const users = new UserService(db)
    const person = await users.create({ email: 'p@x.gov', name: 'P', role: 'coach' })
    const other = await users.create({ email: 'o@x.gov', name: 'O', role: 'coach' })
    const time = clock()
    return { db, person, other, time, devices: new TrustedDevices(db, { ttlMs: 10 * MINUTE, maxPerUser }, time.now) }
  }

  it('recognizes a browser only for its person and only while it is used', async () => {
    const { person, other, time, devices } = await setup()
    const token = (await devices.remember(person.id, null)) as string
    expect(token).toEqual(expect.any(String))
    expect(await devices.check(token, person.id)).toBe(hashToken(token))
    expect(await devices.check(token, other.id)).toBeNull()
    expect(await devices.check(token, undefined)).toBeNull()
    expect(await devices.check(undefined, person.id)).toBeNull()
    expect(await devices.check('x'.repeat(101), person.id)).toBeNull()
    time.advance(9 * MINUTE)
    // Signing in from it again renews its trust (and issues no new token).
    expect(await devices.remember(person.id, hashToken(token))).toBeNull()
    time.advance(9 * MINUTE)
    expect(await devices.check(token, person.id)).toBe(hashToken(token))
    time.advance(MINUTE)
    expect(await devices.check(token, person.id)).toBeNull()
    expect(await devices.sweep()).toBe(1)
    expect(await devices.sweep()).toBe(0)
  })

  it('keeps the most recently used browsers of a person up to the limit, leaving others’ alone', async () => {
    const { db, person, other, time, devices } = await setup(3)
    const otherToken = await devices.remember(other.id, null)
    const tokens: string[] = []
    for (let i = 0; i < 3; i++) {
      tokens.push((await devices.remember(person.id, null)) as string)
      time.advance(1000)
    }
    // The first one, used again, is kept over the second.
    await devices.remember(person.id, hashToken(tokens[0] as string))
    time.advance(1000)
    const last = await devices.remember(person.id, null)
    const kept = await db.selectFrom('trusted_devices').select('token_hash').where('user_id', '=', person.id).execute()
    expect(kept.map((r) => r.token_hash).sort()).toEqual(
      [tokens[0], tokens[2], last].map((t) => hashToken(t as string)).sort(),
    )
    expect(await devices.check(otherToken as string, other.id)).not.toBeNull()
  })

  it('keeps at most the limit when a person signs in from many browsers at the same moment', async () => {
    const { db, person, devices } = await setup(3)
    const issued = await Promise.all(Array.from({ length: 8 }, () => devices.remember(person.id, null)))
    expect(new Set(issued).size).toBe(8)
    const kept = await db.selectFrom('trusted_devices').select('token_hash').where('user_id', '=', person.id).execute()
    expect(kept).toHaveLength(3)
  })
})

describeDialects('SignInThrottle', (fresh) => {
  const options = {
    freeFailures: { 'account-address': 2, address: 4, device: 2 },
    firstDelayMs: 1000,
    maxDelayMs: 4000,
    forgetAfterMs: 60 * MINUTE,
  }
  const account: ThrottleKey = { kind: 'account-address', id: 'p@x.gov 10.0.0.1' }
  const address: ThrottleKey = { kind: 'address', id: '10.0.0.1' }

  it('lets the free failures through, then makes each attempt wait a doubling delay up to the longest', async () => {
    const { db } = await fresh()
    const time = clock()
    const throttle = new SignInThrottle(db, options, time.now)
    expect((await throttle.begin([account])).get('account-address')).toBe(1)
    expect((await throttle.begin([account])).get('account-address')).toBe(2)
    expect((await throttle.begin([account])).get('account-address')).toBe(3)
    const refused = await throttle.begin([account]).catch((e: ApiError) => e)
    expect(refused).toBeInstanceOf(ApiError)
    expect((refused as ApiError).status).toBe(429)
    expect((refused as ApiError).details).toEqual({ retryAfterSeconds: 1 })
    time.advance(999)
    expect(await statusOf(throttle.begin([account]))).toBe(429)
    time.advance(1)
    // Refused attempts were not counted.
    expect((await throttle.begin([account])).get('account-address')).toBe(4)
    time.advance(1999)
    expect(await statusOf(throttle.begin([account]))).toBe(429)
    time.advance(1)
    expect((await throttle.begin([account])).get('account-address')).toBe(5)
    time.advance(4000)
    expect((await throttle.begin([account])).get('account-address')).toBe(6)
    expect(await statusOf(throttle.begin([account]))).toBe(429)
    time.advance(4000)
    expect(await throttle.begin([account])).toEqual(new Map([['account-address', 7]]))
  })

  it('forgets an account’s failures at a success, refunds an address one attempt, and forgets counts after a while', async () => {
    const { db } = await fresh()
    const time = clock()
    const throttle = new SignInThrottle(db, options, time.now)
    for (let i = 0; i < 4; i++) {
      await throttle.begin([account, address])
      time.advance(5000)
    }
    await throttle.begin([account, address])
    await throttle.succeeded([account, address])
    // The account starts again; the address keeps its four other failures and no wait.
    expect(await throttle.begin([account, address])).toEqual(
      new Map([
        ['account-address', 1],
        ['address', 5],
      ]),
    )
    time.advance(60 * MINUTE)
    expect(await throttle.begin([account, address])).toEqual(
      new Map([
        ['account-address', 1],
        ['address', 1],
      ]),
    )
  })

  it('lets only the free failures and one more through when many attempts arrive at the same moment', async () => {
    const { db } = await fresh()
    const throttle = new SignInThrottle(db, options, clock().now)
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => throttle.begin([account, address])))
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3)
    for (const r of results) if (r.status === 'rejected') expect((r.reason as ApiError).status).toBe(429)
  })

  it('sweeps counts and waits that have expired', async () => {
    const { db } = await fresh()
    const time = clock()
    const throttle = new SignInThrottle(db, options, time.now)
    for (let i = 0; i < 3; i++) await throttle.begin([account])
    expect(await throttle.sweep()).toBe(0)
    time.advance(1001)
    expect(await throttle.sweep()).toBe(1)
    time.advance(60 * MINUTE)
    expect(await throttle.sweep()).toBe(1)
    expect(await db.selectFrom('sign_in_throttle').selectAll().execute()).toEqual([])
  })
})

describeDialects('AuthService', (fresh) => {
  const setup = async () => {
    const { db } = await fresh()
    await addJurisdictions(db, 'ohio')
    const auth = new AuthService(
      new UserService(db),
      new SessionService(db, { idleTtlMs: IDLE, maxAgeMs: MAX_AGE }),
      new InviteService(db, 60 * MINUTE),
      new SignInThrottle(db, { ...optionsForAuth }),
      new TrustedDevices(db, { ttlMs: 60 * MINUTE, maxPerUser: 5 }),
      { scrypt: { N: 1024, r: 8, p: 1 } },
      quietLogger(),
    )
    return { db, auth }
  }
  const optionsForAuth = {
    freeFailures: { 'account-address': 5, address: 20, device: 5 },
    firstDelayMs: 1000,
    maxDelayMs: 60_000,
    forgetAfterMs: 60 * MINUTE,
  }
  const source = { address: '10.0.0.9' }

  it('makes one first facilitator whose link sets a password once, even when accepted twice at the same moment', async () => {
    const { auth } = await setup()
    const tokens = await Promise.all([
      auth.ensureFirstFacilitator('Admin@Example.gov'),
      auth.ensureFirstFacilitator('admin@example.gov'),
    ])
    const link = tokens.find((t) => t !== null) as string
    expect(tokens.filter((t) => t === null)).toHaveLength(1)
    expect(await auth.inviteInfo(link)).toEqual({ email: 'admin@example.gov', name: 'Facilitator' })
    const accepted = await Promise.allSettled([
      auth.acceptInvite(link, 'a long enough passphrase 1', 'Ada Admin'),
      auth.acceptInvite(link, 'a long enough passphrase 2', 'Ada Admin'),
    ])
    const won = accepted.filter((r) => r.status === 'fulfilled')
    expect(won).toHaveLength(1)
    const lost = accepted.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect((lost.reason as ApiError).status).toBe(410)
    expect(await auth.inviteInfo(link)).toBeNull()
    const signedIn = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<AuthService['acceptInvite']>>>).value
    expect(signedIn.user).toMatchObject({ name: 'Ada Admin', hasPassword: true })
    expect(signedIn.deviceToken).toEqual(expect.any(String))
    expect((await auth.authenticate(signedIn.token))?.user.email).toBe('admin@example.gov')
  })

  it('signs in by email in any case, authenticates the session, and refuses a deactivated person', async () => {
    const { auth } = await setup()
    const hash = await auth.hashPassword('correct horse battery')
    const lead = await auth.users.create({
      email: 'lead@ohio.gov',
      name: 'Lee',
      role: 'member',
      jurisdictionId: 'ohio',
      passwordHash: hash,
    })
    expect(await statusOf(auth.login('lead@ohio.gov', 'wrong password here', source))).toBe(401)
    const signedIn = await auth.login('  LEAD@Ohio.gov ', 'correct horse battery', source)
    expect(signedIn.user.id).toBe(lead.id)
    const current = await auth.authenticate(signedIn.token)
    expect(current?.user).toMatchObject({ id: lead.id, jurisdictionId: 'ohio' })
    expect(await auth.authenticate('x'.repeat(201))).toBeNull()
    expect(await auth.authenticate(null)).toBeNull()
    await auth.users.update(lead.id, { active: false })
    expect(await auth.authenticate(signedIn.token)).toBeNull()
    expect(await statusOf(auth.login('lead@ohio.gov', 'correct horse battery', source))).toBe(401)
    await auth.users.update(lead.id, { active: true })
    const again = await auth.login('lead@ohio.gov', 'correct horse battery', {
      ...source,
      deviceToken: signedIn.deviceToken as string,
    })
    // A browser trusted already gets no new token.
    expect(again.deviceToken).toBeNull()
    await auth.logout(again.token)
    expect(await auth.authenticate(again.token)).toBeNull()
    await auth.logoutEverywhere(lead.id)
    expect(await auth.authenticate(signedIn.token)).toBeNull()
  })

  it('adds the demo people once, with coach assignments', async () => {
    const { db, auth } = await setup()
    await db
      .insertInto('jurisdictions')
      .values(['boulder-co', 'tulsa-ok'].map((id) => ({ id, name: id, kind: 'city', state: 'XX', agency: 'A' })))
      .execute()
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-demo-'))
    const file = path.join(dir, 'jurisdictions.json')
    fs.writeFileSync(
      file,
      JSON.stringify({
        jurisdictions: [
          { slug: 'ohio', name: 'State of Ohio' },
          { slug: 'boulder-co', name: 'City of Boulder' },
          { slug: 'tulsa-ok', name: 'City of Tulsa' },
        ],
      }),
    )
    const [first, second] = await Promise.all([auth.seedDemo(file), auth.seedDemo(file)])
    expect(first + second).toBe(5)
    expect(await auth.seedDemo(file)).toBe(0)
    expect((await auth.users.getByEmail('coach@demo.test'))?.coachOf).toEqual(['boulder-co', 'ohio', 'tulsa-ok'])
    expect(await auth.users.count()).toBe(5)
    fs.rmSync(dir, { recursive: true })
  })
})
