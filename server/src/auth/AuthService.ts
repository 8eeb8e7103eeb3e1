import fs from 'node:fs'
import type { User } from '@lever/shared'
import { ErrorCode } from '@lever/shared'
import { ApiError } from '../http/ApiError.ts'
import type { Logger } from '../logger.ts'
import type { InviteService } from './invites.ts'
import { assertAcceptablePassword } from './passwordRules.ts'
import type { SignInThrottle, ThrottleKey } from './SignInThrottle.ts'
import { hashPassword, type ScryptCost, verifyPassword } from './secrets.ts'
import type { ResolvedSession, SessionService } from './sessions.ts'
import type { TrustedDevices } from './TrustedDevices.ts'
import { publicUser, type UserRecord, type UserService } from './users.ts'

export interface AuthOptions {
  scrypt: ScryptCost
}

export interface Authenticated {
  user: User
  session: ResolvedSession
}

/** Where a sign-in attempt comes from: the client's address and its trusted-browser cookie, if any. */
export interface AttemptSource {
  address: string
  deviceToken?: string
}

export interface SignedIn {
  user: User
  token: string
  /** A new trusted-browser token to set as a cookie (null when the browser was trusted already). */
  deviceToken: string | null
}

export const DEMO_PASSWORD = 'demo-password'

/** Sign-in, sign-out, password changes, invites and first-start accounts. */
export class AuthService {
  /** Verified against when the email is unknown, so both failures take the same time. */
  private dummyHash: Promise<string>

  constructor(
    readonly users: UserService,
    readonly sessions: SessionService,
    readonly invites: InviteService,
    readonly throttle: SignInThrottle,
    readonly devices: TrustedDevices,
    private readonly options: AuthOptions,
    private readonly logger: Logger,
  ) {
    this.dummyHash = hashPassword('not anybody’s password', options.scrypt)
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.options.scrypt)
  }

  /**
   * Checks an email and password. A wrong email and a wrong password get the same answer. Failures
   * slow down further attempts (429 with a wait) for that account from that address and for that
   * address, but a browser the owner signed in from before is throttled on its own, so nobody
   * else's failures keep the owner out.
   */
  async login(email: string, password: string, source: AttemptSource): Promise<SignedIn> {
    const account = email.trim().toLowerCase()
    const record = await this.users.getByEmail(account)
    const trusted = await this.devices.check(source.deviceToken, record?.id)
    const keys: ThrottleKey[] = trusted
      ? [{ kind: 'device', id: trusted }]
      : [
          { kind: 'account-address', id: `${account} ${source.address}` },
          { kind: 'address', id: source.address },
        ]
    let counts: Map<string, number>
    try {
      counts = await this.throttle.begin(keys)
    } catch (error) {
      this.logger.warn({ account, address: source.address, trustedBrowser: !!trusted }, 'sign-in throttled')
      throw error
    }
    const ok = await verifyPassword(password, record?.passwordHash ?? (await this.dummyHash))
    if (!record?.passwordHash || !ok || !record.active) {
      this.logger.warn(
        { account, address: source.address, trustedBrowser: !!trusted, failures: Object.fromEntries(counts) },
        'sign-in failed',
      )
      throw new ApiError(401, ErrorCode.Unauthenticated, 'That email and password do not match an active account.')
    }
    await this.throttle.succeeded(keys)
    const { token } = await this.sessions.create(record.id)
    const deviceToken = await this.devices.remember(record.id, trusted)
    this.logger.info({ user: record.id, address: source.address }, 'signed in')
    return { user: publicUser(record), token, deviceToken }
  }

  /** Ends one session; its live connections close at once. */
  async logout(token: string): Promise<void> {
    await this.sessions.revoke(token)
  }

  /** Ends every session of a person ("sign out everywhere"); all their live connections close. */
  async logoutEverywhere(userId: string): Promise<void> {
    const ended = await this.sessions.revokeUser(userId)
    this.logger.info({ user: userId, sessions: ended }, 'signed out everywhere')
  }

  /**
   * Changes a signed-in person's password after checking their current one (throttled like a
   * sign-in). Every other session of theirs ends and its connections close; this one stays.
   */
  async changePassword(
    current: Authenticated,
    currentPassword: string,
    newPassword: string,
    source: AttemptSource,
  ): Promise<void> {
    const record = await this.users.get(current.user.id)
    if (!record?.active) throw ApiError.unauthenticated()
    const trusted = await this.devices.check(source.deviceToken, record.id)
    const keys: ThrottleKey[] = trusted
      ? [{ kind: 'device', id: trusted }]
      : [
          { kind: 'account-address', id: `${record.email} ${source.address}` },
          { kind: 'address', id: source.address },
        ]
    await this.throttle.begin(keys)
    if (!record.passwordHash || !(await verifyPassword(currentPassword, record.passwordHash))) {
      this.logger.warn({ user: record.id, address: source.address }, 'password change refused: wrong current password')
      const message = 'Your current password is not right.'
      throw new ApiError(400, ErrorCode.ValidationFailed, message, [{ path: 'currentPassword', message }])
    }
    await this.throttle.succeeded(keys)
    await assertAcceptablePassword(newPassword, record.email, 'newPassword')
    await this.users.setPassword(record.id, await this.hashPassword(newPassword))
    const ended = await this.sessions.revokeUser(record.id, current.session.tokenHash)
    this.logger.info({ user: record.id, otherSessionsEnded: ended }, 'password changed')
  }

  /** The person behind a session token, if the session is live and the person active. */
  async authenticate(token: string | null | undefined): Promise<Authenticated | null> {
    if (!token || token.length > 200) return null
    const session = await this.sessions.resolve(token)
    if (!session) return null
    const record = await this.users.get(session.userId)
    if (!record?.active) return null
    return { user: publicUser(record), session }
  }

  async inviteInfo(token: string): Promise<{ email: string; name: string } | null> {
    const userId = await this.invites.peek(token)
    const record = userId ? await this.users.get(userId) : null
    return record?.active ? { email: record.email, name: record.name } : null
  }

  /** Sets the password of an invited person and signs them in. */
  async acceptInvite(token: string, password: string, name?: string): Promise<SignedIn> {
    const pending = await this.invites.peek(token)
    const person = pending ? await this.users.get(pending) : null
    if (!pending || !person?.active) {
      throw new ApiError(
        410,
        ErrorCode.NotFound,
        'This link has expired or was already used. Ask a facilitator for a new one.',
      )
    }
    await assertAcceptablePassword(password, person.email)
    const hash = await this.hashPassword(password)
    const userId = await this.invites.consume(token)
    if (!userId) throw new ApiError(410, ErrorCode.NotFound, 'This link was just used.')
    await this.users.setPassword(userId, hash)
    if (name) await this.users.update(userId, { name })
    await this.sessions.revokeUser(userId)
    const session = await this.sessions.create(userId)
    const deviceToken = await this.devices.remember(userId, null)
    return {
      user: publicUser((await this.users.get(userId)) as UserRecord),
      token: session.token,
      deviceToken,
    }
  }

  /**
   * On an empty database: creates a facilitator with no password and returns a one-time link
   * token to set one. Returns null when people already exist (also when another server sharing the
   * database made the first facilitator at the same moment).
   */
  async ensureFirstFacilitator(email: string): Promise<string | null> {
    const user = await this.users.createFirst({ email, name: 'Facilitator', role: 'facilitator' })
    return user ? this.invites.issue(user.id) : null
  }

  /** Demo people (DEMO=1), all with the password `demo-password`; adds only who is missing. */
  async seedDemo(jurisdictionsFile: string): Promise<number> {
    const seed = JSON.parse(fs.readFileSync(jurisdictionsFile, 'utf8')) as {
      jurisdictions: Array<{ slug: string; name: string }>
    }
    const hash = await this.hashPassword(DEMO_PASSWORD)
    let added = 0
    const ensure = async (email: string, name: string, role: User['role'], jurisdictionId: string | null = null) => {
      const existing = await this.users.getByEmail(email)
      if (existing) return existing
      try {
        const created = await this.users.create({ email, name, role, jurisdictionId, passwordHash: hash })
        added++
        return created
      } catch (error) {
        // Another server sharing the database added them at the same moment.
        const now = await this.users.getByEmail(email)
        if (now) return now
        throw error
      }
    }
    await ensure('facilitator@demo.test', 'Fran Facilitator', 'facilitator')
    const coach = await ensure('coach@demo.test', 'Cory Coach', 'coach')
    if (coach.coachOf.length === 0) {
      await this.users.setCoachAssignments(
        coach.id,
        seed.jurisdictions.slice(0, 3).map((j) => j.slug),
      )
    }
    for (const j of seed.jurisdictions) await ensure(`lead@${j.slug}.demo.test`, `${j.name} lead`, 'member', j.slug)
    return added
  }
}
