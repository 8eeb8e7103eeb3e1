import fs from 'node:fs'
import type { User } from '@lever/shared'
import { ErrorCode } from '@lever/shared'
import { ApiError } from '../http/ApiError.ts'
import type { Logger } from '../logger.ts'
import type { InviteService } from './invites.ts'
import { WindowLimiter } from './rateLimiter.ts'
import { hashPassword, type ScryptCost, verifyPassword } from './secrets.ts'
import type { ResolvedSession, SessionService } from './sessions.ts'
import { publicUser, type UserRecord, type UserService } from './users.ts'

export interface AuthOptions {
  scrypt: ScryptCost
  /** Failed sign-ins allowed per account in `windowMs`. */
  maxFailuresPerAccount: number
  /** Sign-in attempts allowed per client address in `windowMs`. */
  maxAttemptsPerAddress: number
  windowMs: number
}

export interface Authenticated {
  user: User
  session: ResolvedSession
}

export const DEMO_PASSWORD = 'demo-password'

/** Sign-in, sign-out, invites and first-start accounts. */
export class AuthService {
  private readonly accountFailures: WindowLimiter
  private readonly addressAttempts: WindowLimiter
  /** Verified against when the email is unknown, so both failures take the same time. */
  private dummyHash: Promise<string>

  constructor(
    readonly users: UserService,
    readonly sessions: SessionService,
    readonly invites: InviteService,
    private readonly options: AuthOptions,
    private readonly logger: Logger,
  ) {
    this.accountFailures = new WindowLimiter(options.maxFailuresPerAccount, options.windowMs)
    this.addressAttempts = new WindowLimiter(options.maxAttemptsPerAddress, options.windowMs)
    this.dummyHash = hashPassword('not anybody’s password', options.scrypt)
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.options.scrypt)
  }

  /**
   * Checks an email and password. A wrong email and a wrong password get the same answer;
   * too many failures for an account, or attempts from one address, get 429.
   */
  async login(email: string, password: string, address: string): Promise<{ user: User; token: string }> {
    const account = email.trim().toLowerCase()
    if (this.addressAttempts.isBlocked(address) || this.accountFailures.isBlocked(account)) {
      const retry = Math.max(
        this.addressAttempts.retryAfterSeconds(address),
        this.accountFailures.retryAfterSeconds(account),
      )
      throw new ApiError(
        429,
        ErrorCode.RateLimited,
        `Too many sign-in attempts. Try again in ${Math.ceil(retry / 60)} minute(s).`,
        {
          retryAfterSeconds: retry,
        },
      )
    }
    this.addressAttempts.hit(address)
    const record = this.users.getByEmail(account)
    const ok = await verifyPassword(password, record?.passwordHash ?? (await this.dummyHash))
    if (!record?.passwordHash || !ok || !record.active) {
      this.accountFailures.hit(account)
      this.logger.info({ account, address }, 'sign-in refused')
      throw new ApiError(401, ErrorCode.Unauthenticated, 'That email and password do not match an active account.')
    }
    this.accountFailures.reset(account)
    const { token } = this.sessions.create(record.id)
    this.logger.info({ user: record.id }, 'signed in')
    return { user: publicUser(record), token }
  }

  logout(token: string): void {
    this.sessions.revoke(token)
  }

  /** The person behind a session token, if the session is live and the person active. */
  authenticate(token: string | null | undefined): Authenticated | null {
    if (!token || token.length > 200) return null
    const session = this.sessions.resolve(token)
    if (!session) return null
    const record = this.users.get(session.userId)
    if (!record?.active) return null
    return { user: publicUser(record), session }
  }

  inviteInfo(token: string): { email: string; name: string } | null {
    const userId = this.invites.peek(token)
    const record = userId ? this.users.get(userId) : null
    return record?.active ? { email: record.email, name: record.name } : null
  }

  /** Sets the password of an invited person and signs them in. */
  async acceptInvite(token: string, password: string, name?: string): Promise<{ user: User; token: string }> {
    const pending = this.invites.peek(token)
    if (!pending || !this.users.get(pending)?.active) {
      throw new ApiError(
        410,
        ErrorCode.NotFound,
        'This link has expired or was already used. Ask a facilitator for a new one.',
      )
    }
    const hash = await this.hashPassword(password)
    const userId = this.invites.consume(token)
    if (!userId) throw new ApiError(410, ErrorCode.NotFound, 'This link was just used.')
    this.users.setPassword(userId, hash)
    if (name) this.users.update(userId, { name })
    this.sessions.revokeUser(userId)
    const session = this.sessions.create(userId)
    return { user: publicUser(this.users.get(userId) as UserRecord), token: session.token }
  }

  /**
   * On an empty database: creates a facilitator with no password and returns a one-time link
   * token to set one. Returns null when people already exist.
   */
  ensureFirstFacilitator(email: string): string | null {
    if (this.users.count() > 0) return null
    const user = this.users.create({ email, name: 'Facilitator', role: 'facilitator' })
    return this.invites.issue(user.id)
  }

  /** Demo people (DEMO=1), all with the password `demo-password`; adds only who is missing. */
  async seedDemo(jurisdictionsFile: string): Promise<number> {
    const seed = JSON.parse(fs.readFileSync(jurisdictionsFile, 'utf8')) as {
      jurisdictions: Array<{ slug: string; name: string }>
    }
    const hash = await this.hashPassword(DEMO_PASSWORD)
    let added = 0
    const ensure = (email: string, name: string, role: User['role'], jurisdictionId: string | null = null) => {
      const existing = this.users.getByEmail(email)
      if (existing) return existing
      added++
      return this.users.create({ email, name, role, jurisdictionId, passwordHash: hash })
    }
    ensure('facilitator@demo.test', 'Fran Facilitator', 'facilitator')
    const coach = ensure('coach@demo.test', 'Cory Coach', 'coach')
    if (coach.coachOf.length === 0) {
      this.users.setCoachAssignments(
        coach.id,
        seed.jurisdictions.slice(0, 3).map((j) => j.slug),
      )
    }
    for (const j of seed.jurisdictions) ensure(`lead@${j.slug}.demo.test`, `${j.name} lead`, 'member', j.slug)
    return added
  }
}
