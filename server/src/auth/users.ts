import { colorForUser, newId, type Role, type User } from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import { preparedStatements } from '../db/preparedStatements.ts'
import { ApiError } from '../http/ApiError.ts'

interface UserRow {
  id: string
  email: string
  name: string
  role: Role
  jurisdiction_id: string | null
  password_hash: string | null
  active: number
}

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

/** People of the cohort and their roles, in SQLite. */
export class UserService {
  private readonly sql: (sql: string) => Statement

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
  }

  count(): number {
    return (this.sql('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n
  }

  get(id: string): UserRecord | null {
    const row = this.sql('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined
    return row ? this.toRecord(row) : null
  }

  getByEmail(email: string): UserRecord | null {
    const row = this.sql('SELECT * FROM users WHERE email = ?').get(email.trim().toLowerCase()) as UserRow | undefined
    return row ? this.toRecord(row) : null
  }

  list(): User[] {
    const rows = this.sql('SELECT * FROM users ORDER BY role, name, email').all() as UserRow[]
    return rows.map((r) => publicUser(this.toRecord(r)))
  }

  create(input: NewUser): UserRecord {
    const email = input.email.trim().toLowerCase()
    if (this.getByEmail(email)) throw ApiError.conflict('Someone with that email address already exists')
    const jurisdictionId = this.checkTeam(input.role, input.jurisdictionId ?? null)
    const id = newId()
    const now = new Date().toISOString()
    this.db
      .prepare(
        'INSERT INTO users (id, email, name, role, jurisdiction_id, password_hash, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)',
      )
      .run(id, email, input.name.trim(), input.role, jurisdictionId, input.passwordHash ?? null, now, now)
    return this.get(id) as UserRecord
  }

  update(
    id: string,
    patch: { name?: string; role?: Role; jurisdictionId?: string | null; active?: boolean },
  ): UserRecord {
    const current = this.get(id)
    if (!current) throw ApiError.notFound('No such person')
    const role = patch.role ?? current.role
    const jurisdictionId = this.checkTeam(
      role,
      patch.jurisdictionId !== undefined ? patch.jurisdictionId : role === 'member' ? current.jurisdictionId : null,
    )
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE users SET name = ?, role = ?, jurisdiction_id = ?, active = ?, updated_at = ? WHERE id = ?')
        .run(
          patch.name?.trim() ?? current.name,
          role,
          jurisdictionId,
          (patch.active ?? current.active) ? 1 : 0,
          new Date().toISOString(),
          id,
        )
      if (role !== 'coach') this.sql('DELETE FROM coach_assignments WHERE coach_id = ?').run(id)
    })()
    return this.get(id) as UserRecord
  }

  setPassword(id: string, passwordHash: string): void {
    this.db
      .prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?')
      .run(passwordHash, new Date().toISOString(), id)
  }

  setCoachAssignments(id: string, jurisdictionIds: string[]): UserRecord {
    const user = this.get(id)
    if (!user) throw ApiError.notFound('No such person')
    if (user.role !== 'coach') throw ApiError.badRequest('Only coaches are assigned to jurisdictions')
    const unique = [...new Set(jurisdictionIds)]
    for (const j of unique) this.assertJurisdiction(j)
    this.db.transaction(() => {
      this.sql('DELETE FROM coach_assignments WHERE coach_id = ?').run(id)
      const insert = this.sql('INSERT INTO coach_assignments (coach_id, jurisdiction_id) VALUES (?, ?)')
      for (const j of unique) insert.run(id, j)
    })()
    return this.get(id) as UserRecord
  }

  /** Members belong to exactly one jurisdiction; facilitators and coaches to none. */
  private checkTeam(role: Role, jurisdictionId: string | null): string | null {
    if (role !== 'member') return null
    if (!jurisdictionId) throw ApiError.badRequest('A team member belongs to a jurisdiction')
    this.assertJurisdiction(jurisdictionId)
    return jurisdictionId
  }

  private assertJurisdiction(id: string): void {
    if (!this.sql('SELECT 1 FROM jurisdictions WHERE id = ?').get(id)) {
      throw ApiError.badRequest(`No jurisdiction "${id}"`)
    }
  }

  private toRecord(row: UserRow): UserRecord {
    const coachOf =
      row.role === 'coach'
        ? (
            this.db
              .prepare('SELECT jurisdiction_id FROM coach_assignments WHERE coach_id = ? ORDER BY jurisdiction_id')
              .all(row.id) as Array<{ jurisdiction_id: string }>
          ).map((r) => r.jurisdiction_id)
        : []
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      jurisdictionId: row.jurisdiction_id,
      coachOf,
      active: row.active === 1,
      color: colorForUser(row.id),
      hasPassword: row.password_hash !== null,
      passwordHash: row.password_hash,
    }
  }
}

/** A user as the API shows it (never the password hash). */
export function publicUser(record: UserRecord | User): User {
  const { passwordHash: _omit, ...user } = record as UserRecord
  return user
}
