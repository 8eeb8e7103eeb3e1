import fs from 'node:fs'
import path from 'node:path'
import { type Jurisdiction, jurisdictionKindSchema } from '@lever/shared'
import { z } from 'zod'
import { SERVER_SRC } from '../config.ts'
import type { Db } from '../db/queries.ts'

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

/** Rows per insert while seeding (five parameters each, well under SQLite's limit per statement). */
const SEED_CHUNK = 100

/** Jurisdictions with how many plans each has. */
function selectJurisdictions(db: Db) {
  return db
    .selectFrom('jurisdictions as j')
    .select((eb) => [
      'j.id',
      'j.name',
      'j.kind',
      'j.state',
      'j.agency',
      eb
        .selectFrom('plans as p')
        .select(eb.fn.countAll().as('n'))
        .whereRef('p.jurisdiction_id', '=', 'j.id')
        .as('plan_count'),
    ])
}

type JurisdictionRow = Awaited<ReturnType<ReturnType<typeof selectJurisdictions>['executeTakeFirstOrThrow']>>

function toJurisdiction(row: JurisdictionRow): Jurisdiction {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as Jurisdiction['kind'],
    state: row.state,
    agency: row.agency,
    planCount: Number(row.plan_count ?? 0),
  }
}

export class JurisdictionService {
  constructor(private readonly db: Db) {}

  /**
   * Inserts the seed jurisdictions that are missing; resolves with how many were added. Servers
   * starting at once on one database each add only what is still missing.
   */
  async seed(file = JURISDICTIONS_SEED_FILE): Promise<number> {
    const data = seedSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')))
    const rows = data.jurisdictions.map((j) => ({
      id: j.slug,
      name: j.name,
      kind: j.kind,
      state: j.state,
      agency: j.agency,
    }))
    if (rows.length === 0) return 0
    return this.db.transaction().execute(async (tx) => {
      let added = 0
      for (let i = 0; i < rows.length; i += SEED_CHUNK) {
        const result = await tx
          .insertInto('jurisdictions')
          .values(rows.slice(i, i + SEED_CHUNK))
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst()
        added += Number(result.numInsertedOrUpdatedRows ?? 0n)
      }
      return added
    })
  }

  async list(): Promise<Jurisdiction[]> {
    return (await selectJurisdictions(this.db).orderBy('j.name').execute()).map(toJurisdiction)
  }

  async get(id: string): Promise<Jurisdiction | null> {
    const row = await selectJurisdictions(this.db).where('j.id', '=', id).executeTakeFirst()
    return row ? toJurisdiction(row) : null
  }
}
