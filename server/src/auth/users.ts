import { colorForUser, newId, type Role, type User } from '@lever/shared'
import { type Selectable, sql } from 'kysely'
import { type Db, dialectOf, type Queries } from '../db/queries.ts'
import type { UsersTable } from '../db/tables.ts'
import { ApiError } from '../http/ApiError.ts'

type UserRow = Selectable<UsersTable>

export interface UserRecord extends User {
  passwordHash: string | null
}

export interface NewUser {
  email: string
  name: string
  role: Role
  jurisdictionId?: string | null
  passwordHash?: string | null
}

/** How every email address is stored and looked up: trimmed, lower case (the same on both engines). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * Locks a person's row until the end of the transaction `tx`, so read-then-write work on what is
 * theirs (their invites, trusted browsers, role) runs one at a time across servers. SQLite runs one
 * transaction at a time already; PostgreSQL takes a row lock that still lets rows pointing at the
 * person (sessions, invites) be inserted meanwhile.
 */
export async function lockUser(tx: Queries, userId: string): Promise<void> {
  if (dialectOf(tx) === 'postgres') {
    await tx.selectFrom('users').select('id').where('id', '=', userId).forNoKeyUpdate().execute()
  }
}

/** People of the cohort and their roles. */
export class UserService {
  constructor(private readonly db: Db) {}

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  async get(id: string): Promise<UserRecord | null> {
    return this.one(this.db, id)
  }

  async getByEmail(email: string): Promise<UserRecord | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst()
    return row ? this.toRecord(this.db, row) : null
  }

  /** Everyone, by role, then name, then email (compared as text, the same on both engines). */
  async list(): Promise<User[]> {
    const [rows, assignments] = await Promise.all([
      this.db.selectFrom('users').selectAll().execute(),
      this.db.selectFrom('coach_assignments').select(['coach_id', 'jurisdiction_id']).execute(),
    ])
    const coachOf = new Map<string, string[]>()
    for (const a of assignments) {
      const list = coachOf.get(a.coach_id) ?? []
      list.push(a.jurisdiction_id)
      coachOf.set(a.coach_id, list)
    }
    rows.sort((a, b) => compareText(a.role, b.role) || compareText(a.name, b.name) || compareText(a.email, b.email))
    return rows.map((r) =>
      publicUser(recordOf(r, r.role === 'coach' ? (coachOf.get(r.id) ?? []).sort(compareText) : [])),
    )
  }

  /** Adds a person; a second person with the same (normalized) email is refused, even at the same moment. */
  async create(input: NewUser): Promise<UserRecord> {
    const email = normalizeEmail(input.email)
    const jurisdictionId = await this.checkTeam(this.db, input.role, input.jurisdictionId ?? null)
    const id = newId()
    const now = new Date().toISOString()
    const inserted = await this.db
      .insertInto('users')
      .values(newUserRow(id, email, input, jurisdictionId, now))
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) throw ApiError.conflict('Someone with that email address already exists')
    return (await this.get(id)) as UserRecord
  }

  /**
   * On an empty table only: adds the first person and returns them; returns null when anyone exists
   * (also when another server adds the first person at the same moment).
   */
  async createFirst(input: NewUser): Promise<UserRecord | null> {
    if ((await this.count()) > 0) return null
    const email = normalizeEmail(input.email)
    const id = newId()
    const now = new Date().toISOString()
    const created = await this.db.transaction().execute(async (tx) => {
      // Two servers starting on one empty PostgreSQL must not both add a first person.
      if (dialectOf(tx) === 'postgres') await sqlLockUsers(tx)
      const any = await tx.selectFrom('users').select('id').limit(1).executeTakeFirst()
      if (any) return false
      const jurisdictionId = await this.checkTeam(tx, input.role, input.jurisdictionId ?? null)
      await tx
        .insertInto('users')
        .values(newUserRow(id, email, input, jurisdictionId, now))
        .execute()
      return true
    })
    return created ? this.get(id) : null
  }

  async update(
    id: string,
    patch: { name?: string; role?: Role; jurisdictionId?: string | null; active?: boolean },
  ): Promise<UserRecord> {
    await this.db.transaction().execute(async (tx) => {
      await lockUser(tx, id)
      const current = await this.one(tx, id)
      if (!current) throw ApiError.notFound('No such person')
      const role = patch.role ?? current.role
      const jurisdictionId = await this.checkTeam(
        tx,
        role,
        patch.jurisdictionId !== undefined ? patch.jurisdictionId : role === 'member' ? current.jurisdictionId : null,
      )
      await tx
        .updateTable('users')
        .set({
          name: patch.name?.trim() ?? current.name,
          role,
          jurisdiction_id: jurisdictionId,
          active: (patch.active ?? current.active) ? 1 : 0,
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', id)
        .execute()
      if (role !== 'coach') await tx.deleteFrom('coach_assignments').where('coach_id', '=', id).execute()
    })
    return (await this.get(id)) as UserRecord
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
  }

  async setCoachAssignments(id: string, jurisdictionIds: string[]): Promise<UserRecord> {
    const unique = [...new Set(jurisdictionIds)]
    await this.db.transaction().execute(async (tx) => {
      await lockUser(tx, id)
      const user = await tx.selectFrom('users').select('role').where('id', '=', id).executeTakeFirst()
      if (!user) throw ApiError.notFound('No such person')
      if (user.role !== 'coach') throw ApiError.badRequest('Only coaches are assigned to jurisdictions')
      for (const j of unique) await this.assertJurisdiction(tx, j)
      await tx.deleteFrom('coach_assignments').where('coach_id', '=', id).execute()
      if (unique.length > 0) {
        await tx
          .insertInto('coach_assignments')
          .values(unique.map((j) => ({ coach_id: id, jurisdiction_id: j })))
          .execute()
      }
    })
    return (await this.get(id)) as UserRecord
  }

  private async one(db: Queries, id: string): Promise<UserRecord | null> {
    const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? this.toRecord(db, row) : null
  }

  /** Members belong to exactly one jurisdiction; facilitators and coaches to none. */
  private async checkTeam(db: Queries, role: Role, jurisdictionId: string | null): Promise<string | null> {
    if (role !== 'member') return null
    if (!jurisdictionId) throw ApiError.badRequest('A team member belongs to a jurisdiction')
    await this.assertJurisdiction(db, jurisdictionId)
    return jurisdictionId
  }

  private async assertJurisdiction(db: Queries, id: string): Promise<void> {
    const found = await db.selectFrom('jurisdictions').select('id').where('id', '=', id).executeTakeFirst()
    if (!found) throw ApiError.badRequest(`No jurisdiction "${id}"`)
  }

  private async toRecord(db: Queries, row: UserRow): Promise<UserRecord> {
    const coachOf =
      row.role === 'coach'
        ? (await db.selectFrom('coach_assignments').select('jurisdiction_id').where('coach_id', '=', row.id).execute())
            .map((r) => r.jurisdiction_id)
            .sort(compareText)
        : []
    return recordOf(row, coachOf)
  }
}

/** PostgreSQL only: holds off every other writer of `users` until the end of the transaction. */
async function sqlLockUsers(tx: Queries): Promise<void> {
  await sql`LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE`.execute(tx)
}

function recordOf(row: UserRow, coachOf: string[]): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    jurisdictionId: row.jurisdiction_id,
    coachOf,
    active: row.active === 1,
    color: colorForUser(row.id),
    hasPassword: row.password_hash !== null,
    passwordHash: row.password_hash,
  }
}

/** Text order by code unit, as SQLite's default collation orders (PostgreSQL's may follow a locale). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** A user as the API shows it (never the password hash). */
export function publicUser(record: UserRecord | User): User {
  const { passwordHash: _omit, ...user } = record as UserRecord
  return user
}

/** The row of a person being added (active, with the given password hash if any). */
function newUserRow(id: string, email: string, input: NewUser, jurisdictionId: string | null, now: string) {
  return {
    id,
    email,
    name: input.name.trim(),
    role: input.role,
    jurisdiction_id: jurisdictionId,
    password_hash: input.passwordHash ?? null,
    active: 1,
    created_at: now,
    updated_at: now,
  }
}
