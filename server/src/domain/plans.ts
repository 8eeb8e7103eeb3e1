import { DocKind, docNameFor, ErrorCode, newId, PlanModel, type PlanSummary, type User } from '@lever/shared'
import { sql } from 'kysely'
import * as Y from 'yjs'
import { type Db, dialectOf } from '../db/queries.ts'
import { type QueryScript, run } from '../db/queryScripts.ts'
import { ApiError } from '../http/ApiError.ts'
import type { DocStore } from '../storage/DocStore.ts'

/**
 * Plans a team member may start in an hour. A team starts a plan or two a year; the bound keeps
 * one account from filling the disk with plans (and each plan's versions). Facilitators, who run
 * the cohort, are not bound.
 */
export const MAX_PLANS_PER_PERSON_PER_HOUR = 20

/** Plans a team may hold before a facilitator has to start any more (plans are never deleted). */
export const MAX_PLANS_PER_JURISDICTION = 100

/** Plans with the title of the template they started from. */
function selectPlans(db: Db) {
  return db
    .selectFrom('plans')
    .leftJoin('templates', 'templates.id', 'plans.template_id')
    .select([
      'plans.id',
      'plans.jurisdiction_id',
      'plans.title',
      'plans.doc_name',
      'plans.created_at',
      'plans.updated_at',
      'plans.shared_with_cohort',
      'plans.template_id',
      'plans.template_version',
      'templates.title as template_title',
    ])
}

type PlanRow = Awaited<ReturnType<ReturnType<typeof selectPlans>['executeTakeFirstOrThrow']>>

/** A plan's metadata; the API adds what the caller may do with it (`access`). */
export type PlanRecord = Omit<PlanSummary, 'access'>

function toRecord(row: PlanRow): PlanRecord {
  return {
    id: row.id,
    jurisdictionId: row.jurisdiction_id,
    title: row.title,
    docName: row.doc_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    sharedWithCohort: row.shared_with_cohort === 1,
    ...(row.template_id !== null && row.template_version !== null
      ? { template: { id: row.template_id, title: row.template_title ?? '', version: row.template_version } }
      : {}),
  }
}

/** The initial content of a new plan document, as one Yjs update. */
export function initialPlanUpdate(
  title: string,
  jurisdictionId: string,
  createdBy?: string,
  fill?: (model: PlanModel) => void,
): Uint8Array {
  const doc = new Y.Doc()
  const model = PlanModel.initialize(doc, { title, jurisdictionId, createdBy })
  fill?.(model)
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

/** Plan metadata (SQLite or PostgreSQL); the plan's content is its collaboration document. */
export class PlanService {
  constructor(
    private readonly db: Db,
    private readonly store: DocStore,
  ) {}

  async list(jurisdictionId: string): Promise<PlanRecord[]> {
    const rows = await selectPlans(this.db)
      .where('plans.jurisdiction_id', '=', jurisdictionId)
      .orderBy('plans.created_at')
      .orderBy('plans.id')
      .execute()
    return rows.map(toRecord)
  }

  async get(id: string): Promise<PlanRecord | null> {
    const row = await selectPlans(this.db).where('plans.id', '=', id).executeTakeFirst()
    return row ? toRecord(row) : null
  }

  /**
   * Refuses a new plan of `jurisdictionId` by `user` past the bounds above (429 when they started
   * too many in the last hour, 409 when the team holds too many): call before `create`.
   */
  async checkMayStart(user: User, jurisdictionId: string, db: Db = this.db): Promise<void> {
    if (user.role === 'facilitator') return
    const since = new Date(Date.now() - 60 * 60 * 1000).toISOString()
    /** Plans whose `column` is `value`, started at or after `after` (an ISO time) if given. */
    const count = async (column: 'created_by' | 'jurisdiction_id', value: string, after?: string) => {
      const row = await db
        .selectFrom('plans')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(column, '=', value)
        .$if(after !== undefined, (q) => q.where('created_at', '>=', after as string))
        .executeTakeFirstOrThrow()
      return Number(row.n)
    }
    if ((await count('created_by', user.id, since)) >= MAX_PLANS_PER_PERSON_PER_HOUR) {
      throw new ApiError(
        429,
        ErrorCode.RateLimited,
        `You have started ${MAX_PLANS_PER_PERSON_PER_HOUR} plans in the last hour; try again later.`,
      )
    }
    if ((await count('jurisdiction_id', jurisdictionId)) >= MAX_PLANS_PER_JURISDICTION) {
      throw new ApiError(
        409,
        ErrorCode.Conflict,
        `This team already has ${MAX_PLANS_PER_JURISDICTION} plans; ask a facilitator to start another.`,
      )
    }
  }

  async getByDocName(docName: string): Promise<PlanRecord | null> {
    const row = await selectPlans(this.db).where('plans.doc_name', '=', docName).executeTakeFirst()
    return row ? toRecord(row) : null
  }

  /**
   * Creates a plan: its metadata row, then its document with the standard structure, written
   * once here on the server (clients never seed). Resolves once both are durable.
   */
  async create(input: {
    jurisdictionId: string
    title: string
    createdBy?: string
    /** The template the plan starts from: its content is written into the new document. */
    template?: { id: string; version: number; fill: (model: PlanModel) => void }
    /**
     * The person starting it, held to `checkMayStart`'s bounds in the transaction that inserts
     * (a team's plans are counted under a lock of the team on PostgreSQL, and SQLite runs one
     * transaction at a time), so requests sent at once cannot all pass the same count.
     */
    startedBy?: User
  }): Promise<PlanRecord> {
    const id = newId()
    const docName = docNameFor(DocKind.Plan, id)
    const now = new Date().toISOString()
    await this.db.transaction().execute(async (tx) => {
      if (input.startedBy && input.startedBy.role !== 'facilitator') {
        if (dialectOf(this.db) === 'postgres') {
          await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`plans:${input.jurisdictionId}`}, 0))`.execute(tx)
        }
        await this.checkMayStart(input.startedBy, input.jurisdictionId, tx)
      }
      await tx
        .insertInto('plans')
        .values({
          id,
          jurisdiction_id: input.jurisdictionId,
          title: input.title,
          doc_name: docName,
          created_by: input.createdBy ?? null,
          created_at: now,
          updated_at: now,
          template_id: input.template?.id ?? null,
          template_version: input.template?.version ?? null,
        })
        .execute()
    })
    try {
      await this.store.append(
        docName,
        initialPlanUpdate(input.title, input.jurisdictionId, input.createdBy, input.template?.fill),
      )
    } catch (error) {
      // No plan without its document (a full disk, say): the request changes nothing.
      await this.db.deleteFrom('plans').where('id', '=', id).execute()
      throw error
    }
    return (await this.get(id)) as PlanRecord
  }

  /**
   * Mirrors the document's title into the metadata and records the time of the last change: a
   * derived write, run by a `ScriptRunner` (`write(plans.touch(id, title))`).
   */
  touch(id: string, title: string | null, at = new Date()): () => QueryScript<number> {
    const db = this.db
    const updatedAt = at.toISOString()
    return function* () {
      return yield* run(
        db
          .updateTable('plans')
          .set(title ? { title, updated_at: updatedAt } : { updated_at: updatedAt })
          .where('id', '=', id),
      )
    }
  }

  /** Mirrors the document's "shared with the cohort" flag; resolves true when it changed. */
  async setShared(id: string, shared: boolean): Promise<boolean> {
    const flag = shared ? 1 : 0
    const result = await this.db
      .updateTable('plans')
      .set({ shared_with_cohort: flag })
      .where('id', '=', id)
      .where('shared_with_cohort', '!=', flag)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Plans of several jurisdictions at once. */
  async listAll(): Promise<PlanRecord[]> {
    const rows = await selectPlans(this.db)
      .orderBy('plans.jurisdiction_id')
      .orderBy('plans.created_at')
      .orderBy('plans.id')
      .execute()
    return rows.map(toRecord)
  }
}
