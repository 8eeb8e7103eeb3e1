import fs from 'node:fs'
import path from 'node:path'
import { type Jurisdiction, jurisdictionKindSchema } from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import { z } from 'zod'
import { SERVER_SRC } from '../config.ts'
import { preparedStatements } from '../db/preparedStatements.ts'

/** The cohort's jurisdictions, copied from the program's seed data (shared/data/jurisdictions.json). */
export const JURISDICTIONS_SEED_FILE = path.join(SERVER_SRC, 'seed', 'jurisdictions.json')

const seedSchema = z.object({
  jurisdictions: z.array(
    z.object({
      slug: z.string().regex(/^[a-z0-9-]+$/),
      name: z.string().min(1),
      kind: jurisdictionKindSchema,
      state: z.string().min(2),
      agency: z.string(),
    }),
  ),
})

export const jurisdictionIdSchema = z.string().regex(/^[a-z0-9-]{1,80}$/, 'Not a jurisdiction id')

interface JurisdictionRow {
  id: string
  name: string
  kind: Jurisdiction['kind']
  state: string
  agency: string
  plan_count: number
}

function toJurisdiction(row: JurisdictionRow): Jurisdiction {
  return { id: row.id, name: row.name, kind: row.kind, state: row.state, agency: row.agency, planCount: row.plan_count }
}

const SELECT = `
  SELECT j.id, j.name, j.kind, j.state, j.agency,
         (SELECT COUNT(*) FROM plans p WHERE p.jurisdiction_id = j.id) AS plan_count
  FROM jurisdictions j`

export class JurisdictionService {
  private readonly sql: (sql: string) => Statement

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
  }

  /** Inserts the seed jurisdictions that are missing; returns how many were added. */
  seed(file = JURISDICTIONS_SEED_FILE): number {
    const data = seedSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')))
    const insert = this.sql(
      'INSERT OR IGNORE INTO jurisdictions (id, name, kind, state, agency) VALUES (@slug, @name, @kind, @state, @agency)',
    )
    return this.db.transaction(() => data.jurisdictions.reduce((n, j) => n + insert.run(j).changes, 0))()
  }

  list(): Jurisdiction[] {
    return (this.sql(`${SELECT} ORDER BY j.name`).all() as JurisdictionRow[]).map(toJurisdiction)
  }

  get(id: string): Jurisdiction | null {
    const row = this.sql(`${SELECT} WHERE j.id = ?`).get(id) as JurisdictionRow | undefined
    return row ? toJurisdiction(row) : null
  }
}
