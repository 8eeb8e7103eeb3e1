import type { sessionFieldsSchema } from '@lever/shared'
import { type CohortSession, DocKind, docNameFor, newId } from '@lever/shared'
import type { Selectable } from 'kysely'
import type { z } from 'zod'
import type { Db } from '../db/queries.ts'
import type { CohortSessionsTable } from '../db/tables.ts'
import { CURRICULUM } from '../seed/curriculum.ts'

type SessionFields = z.output<typeof sessionFieldsSchema>
type SessionRow = Selectable<CohortSessionsTable>

function toSession(row: SessionRow): CohortSession {
  let focus: string[] = []
  try {
    const parsed = JSON.parse(row.focus)
    if (Array.isArray(parsed)) focus = parsed.filter((f): f is string => typeof f === 'string')
  } catch {
    focus = []
  }
  return {
    id: row.id,
    title: row.title,
    topic: row.topic,
    phase: row.phase as CohortSession['phase'],
    startsAt: row.starts_at,
    durationMinutes: row.duration_minutes,
    agenda: row.agenda,
    prework: row.prework,
    focus,
    status: row.status as CohortSession['status'],
    breakoutsOpen: row.breakouts_open === 1,
    docName: docNameFor(DocKind.Session, row.id),
    startedAt: row.started_at,
    endedAt: row.ended_at,
  }
}

/** The columns of a session's editable fields (those present in `fields`). */
function fieldColumns(fields: Partial<SessionFields>) {
  return {
    ...(fields.title !== undefined && { title: fields.title }),
    ...(fields.topic !== undefined && { topic: fields.topic }),
    ...(fields.phase !== undefined && { phase: fields.phase }),
    ...(fields.startsAt !== undefined && { starts_at: new Date(fields.startsAt).toISOString() }),
    ...(fields.durationMinutes !== undefined && { duration_minutes: fields.durationMinutes }),
    ...(fields.agenda !== undefined && { agenda: fields.agenda }),
    ...(fields.prework !== undefined && { prework: fields.prework }),
    ...(fields.focus !== undefined && { focus: JSON.stringify(fields.focus) }),
  }
}

/**
 * The cohort calendar: sessions with their topic, agenda, pre-work and status. Search rows of
 * sessions are kept by the database (triggers in both schemas), not here.
 */
export class CohortSessionService {
  constructor(private readonly db: Db) {}

  /**
   * Seeds the curriculum on an empty calendar; returns how many sessions were added. The seeded
   * sessions have fixed ids, so servers starting together on one database add them once.
   */
  async seedCurriculum(): Promise<number> {
    const { n } = await this.db
      .selectFrom('cohort_sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    if (Number(n) > 0) return 0
    const now = new Date().toISOString()
    const result = await this.db
      .insertInto('cohort_sessions')
      .values(
        CURRICULUM.map((s, i) => ({
          id: `curriculum-${i + 1}`,
          title: s.title,
          topic: s.topic,
          phase: s.phase,
          starts_at: new Date(s.startsAt).toISOString(),
          duration_minutes: 90,
          agenda: s.agenda,
          prework: s.prework,
          focus: JSON.stringify(s.focus),
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0)
  }

  async list(): Promise<CohortSession[]> {
    const rows = await this.db.selectFrom('cohort_sessions').selectAll().orderBy('starts_at').orderBy('id').execute()
    return rows.map(toSession)
  }

  async get(id: string): Promise<CohortSession | null> {
    const row = await this.db.selectFrom('cohort_sessions').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toSession(row) : null
  }

  async create(fields: SessionFields): Promise<CohortSession> {
    const now = new Date().toISOString()
    const row = await this.db
      .insertInto('cohort_sessions')
      .values({
        id: newId(),
        title: fields.title,
        topic: fields.topic,
        phase: fields.phase,
        starts_at: new Date(fields.startsAt).toISOString(),
        duration_minutes: fields.durationMinutes,
        agenda: fields.agenda,
        prework: fields.prework,
        focus: JSON.stringify(fields.focus),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toSession(row)
  }

  /**
   * Changes the given fields of a session that has not ended (an ended session is read-only), in
   * one statement: fields not in `patch` keep whatever they are, even if changed meanwhile.
   * Null when there is no such session or it has ended.
   */
  async update(id: string, patch: Partial<SessionFields>): Promise<CohortSession | null> {
    const row = await this.db
      .updateTable('cohort_sessions')
      .set({ ...fieldColumns(patch), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('status', '!=', 'ended')
      .returningAll()
      .executeTakeFirst()
    return row ? toSession(row) : null
  }

  /**
   * Sets the status; `at` is when it started or ended (now, unless seeding a demo). A session that
   * has ended stays ended: starting it, or scheduling it again, changes nothing and answers null,
   * so a start racing an end cannot bring the session back. Answers the session as it now is.
   */
  async setStatus(id: string, status: CohortSession['status'], at: Date = new Date()): Promise<CohortSession | null> {
    const now = at.toISOString()
    const query = this.db.updateTable('cohort_sessions').where('id', '=', id)
    const row =
      status === 'live'
        ? await query
            .set((eb) => ({ status: 'live', started_at: eb.fn.coalesce('started_at', eb.val(now)), ended_at: null }))
            .where('status', '!=', 'ended')
            .returningAll()
            .executeTakeFirst()
        : status === 'ended'
          ? await query.set({ status: 'ended', breakouts_open: 0, ended_at: now }).returningAll().executeTakeFirst()
          : await query.set({ status: 'scheduled' }).where('status', '!=', 'ended').returningAll().executeTakeFirst()
    return row ? toSession(row) : null
  }

  /**
   * Mirrors the document's "breakouts open" flag; returns true when it changed. Breakouts of an
   * ended session stay closed.
   */
  async setBreakoutsOpen(id: string, open: boolean): Promise<boolean> {
    let query = this.db
      .updateTable('cohort_sessions')
      .set({ breakouts_open: open ? 1 : 0 })
      .where('id', '=', id)
      .where('breakouts_open', '!=', open ? 1 : 0)
    if (open) query = query.where('status', '!=', 'ended')
    const result = await query.executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  /** Records that a person joined the session (the first time only); true when this was the first. */
  async recordAttendance(sessionId: string, userId: string): Promise<boolean> {
    const result = await this.db
      .insertInto('session_attendance')
      .values({ session_id: sessionId, user_id: userId, joined_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['session_id', 'user_id']).doNothing())
      .executeTakeFirst()
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
  }

  async attendance(sessionId: string): Promise<Array<{ userId: string; joinedAt: string }>> {
    const rows = await this.db
      .selectFrom('session_attendance')
      .select(['user_id', 'joined_at'])
      .where('session_id', '=', sessionId)
      .orderBy('joined_at')
      .orderBy('user_id')
      .execute()
    return rows.map((r) => ({ userId: r.user_id, joinedAt: r.joined_at }))
  }
}
