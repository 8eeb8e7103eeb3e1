import {
  COACHING_PHASES,
  type CoachingAllowances,
  type CoachingPhase,
  type CoachingSession,
  type CoachingSummary,
  type coachingSessionInputSchema,
  DEFAULT_ALLOWANCE_MINUTES,
  newId,
  type User,
} from '@lever/shared'
import type { z } from 'zod'
import type { Db } from '../db/queries.ts'

interface SessionRow {
  id: string
  jurisdiction_id: string
  coach_id: string
  coach_name: string | null
  held_on: string
  minutes: number
  phase: string
  topic_levers: string
  topic_components: string
  notes: string
  follow_ups: string
  created_at: string
  updated_at: string
}

/** The most sessions one list answers with (a cohort logs a few hundred in a year). */
export const LIST_LIMIT = 2000

export type CoachingInput = z.output<typeof coachingSessionInputSchema>

function parseList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json)
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
  } catch {
    return []
  }
}

/**
 * Who may read a session's notes and follow-ups: the coach who wrote it, facilitators, and the
 * team of its jurisdiction; never other teams or other coaches.
 */
export function mayReadNotes(user: User, session: { coachId: string; jurisdictionId: string }): boolean {
  if (!user.active) return false
  if (user.role === 'facilitator') return true
  if (user.role === 'coach') return session.coachId === user.id
  return user.jurisdictionId === session.jurisdictionId
}

/** Which jurisdictions' coaching log a person may see (null: every jurisdiction). */
export function visibleJurisdictions(user: User): readonly string[] | null {
  if (!user.active) return []
  if (user.role === 'facilitator') return null
  if (user.role === 'coach') return user.coachOf
  return user.jurisdictionId ? [user.jurisdictionId] : []
}

/** Coaches log for the jurisdictions assigned to them; facilitators for any. */
export function mayLogFor(user: User, jurisdictionId: string): boolean {
  if (!user.active) return false
  return user.role === 'facilitator' || (user.role === 'coach' && user.coachOf.includes(jurisdictionId))
}

/** The phases in their order, for allowances the database has no row for yet. */
const PHASES: readonly CoachingPhase[] = COACHING_PHASES.map((p) => p.id)

/** How many jurisdictions one list query names (bounded well under SQLite's parameter limit). */
const IDS_PER_QUERY = 500

/**
 * One-on-one coaching sessions, and each phase's allowance per team. A phase without an
 * allowance row has the default allowance; without a settings row the current phase is phase 1.
 */
export class CoachingLog {
  constructor(private readonly db: Db) {}

  private select() {
    return this.db
      .selectFrom('coaching_sessions as s')
      .leftJoin('users as u', 'u.id', 's.coach_id')
      .selectAll('s')
      .select('u.name as coach_name')
  }

  private toSession(row: SessionRow, viewer: User): CoachingSession {
    const base = {
      id: row.id,
      jurisdictionId: row.jurisdiction_id,
      coachId: row.coach_id,
      coachName: row.coach_name ?? 'A former coach',
      date: row.held_on,
      minutes: row.minutes,
      phase: row.phase as CoachingPhase,
      topics: { levers: parseList(row.topic_levers), components: parseList(row.topic_components) },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
    const readable = mayReadNotes(viewer, base)
    return { ...base, notes: readable ? row.notes : null, followUps: readable ? parseList(row.follow_ups) : null }
  }

  async get(id: string, viewer: User): Promise<CoachingSession | null> {
    const row = await this.select().where('s.id', '=', id).executeTakeFirst()
    return row ? this.toSession(row, viewer) : null
  }

  /** Sessions of the given jurisdictions (all when null), newest first, at most `LIST_LIMIT`. */
  async list(jurisdictionIds: readonly string[] | null, viewer: User): Promise<CoachingSession[]> {
    const newestFirst = () =>
      this.select().orderBy('s.held_on', 'desc').orderBy('s.created_at', 'desc').limit(LIST_LIMIT)
    let rows: SessionRow[]
    if (!jurisdictionIds) {
      rows = await newestFirst().execute()
    } else {
      const ids = [...new Set(jurisdictionIds)]
      rows = []
      for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
        rows.push(
          ...(await newestFirst()
            .where('s.jurisdiction_id', 'in', ids.slice(i, i + IDS_PER_QUERY))
            .execute()),
        )
      }
      if (ids.length > IDS_PER_QUERY) {
        rows.sort((a, b) =>
          a.held_on !== b.held_on ? (a.held_on < b.held_on ? 1 : -1) : a.created_at < b.created_at ? 1 : -1,
        )
        rows = rows.slice(0, LIST_LIMIT)
      }
    }
    return rows.map((r) => this.toSession(r, viewer))
  }

  async create(input: CoachingInput, coach: User): Promise<CoachingSession> {
    const now = new Date().toISOString()
    const row = await this.db
      .insertInto('coaching_sessions')
      .values({
        id: newId(),
        jurisdiction_id: input.jurisdictionId,
        coach_id: coach.id,
        held_on: input.date,
        minutes: input.minutes,
        phase: input.phase ?? (await this.currentPhase()),
        topic_levers: JSON.stringify([...new Set(input.topics.levers)]),
        topic_components: JSON.stringify([...new Set(input.topics.components)]),
        notes: input.notes,
        follow_ups: JSON.stringify(input.followUps),
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return this.toSession({ ...row, coach_name: coach.name }, coach)
  }

  /**
   * Changes the given fields in one statement (the others keep what they are then). Null: no such
   * session (it was deleted meanwhile).
   */
  async update(id: string, change: Partial<CoachingInput>, viewer: User): Promise<CoachingSession | null> {
    const result = await this.db
      .updateTable('coaching_sessions')
      .set({
        ...(change.jurisdictionId !== undefined ? { jurisdiction_id: change.jurisdictionId } : {}),
        ...(change.date !== undefined ? { held_on: change.date } : {}),
        ...(change.minutes !== undefined ? { minutes: change.minutes } : {}),
        ...(change.phase !== undefined ? { phase: change.phase } : {}),
        ...(change.topics
          ? {
              topic_levers: JSON.stringify([...new Set(change.topics.levers)]),
              topic_components: JSON.stringify([...new Set(change.topics.components)]),
            }
          : {}),
        ...(change.notes !== undefined ? { notes: change.notes } : {}),
        ...(change.followUps ? { follow_ups: JSON.stringify(change.followUps) } : {}),
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) return null
    return this.get(id, viewer)
  }

  /** False when there was no such session. */
  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('coaching_sessions').where('id', '=', id).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /** The coach who logged a session, and its jurisdiction (for permission checks). */
  async owner(id: string): Promise<{ coachId: string; jurisdictionId: string } | null> {
    const row = await this.db
      .selectFrom('coaching_sessions')
      .select(['coach_id', 'jurisdiction_id'])
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? { coachId: row.coach_id, jurisdictionId: row.jurisdiction_id } : null
  }

  async currentPhase(): Promise<CoachingPhase> {
    const row = await this.db
      .selectFrom('coaching_settings')
      .select('current_phase')
      .where('id', '=', 1)
      .executeTakeFirst()
    return (row?.current_phase as CoachingPhase | undefined) ?? 'phase1'
  }

  async allowances(): Promise<CoachingAllowances> {
    const [currentPhase, rows] = await Promise.all([
      this.currentPhase(),
      this.db.selectFrom('coaching_allowances').select(['phase', 'allowance_minutes']).execute(),
    ])
    const set = new Map(rows.map((r) => [r.phase, r.allowance_minutes]))
    return {
      currentPhase,
      phases: PHASES.map((phase) => ({ phase, allowanceMinutes: set.get(phase) ?? DEFAULT_ALLOWANCE_MINUTES })),
    }
  }

  /** Sets allowances and the current phase together (all or nothing). */
  async setAllowances(
    change: { currentPhase?: CoachingPhase; phases?: Array<{ phase: CoachingPhase; allowanceMinutes: number }> },
    by: User,
  ): Promise<void> {
    const now = new Date().toISOString()
    await this.db.transaction().execute(async (tx) => {
      for (const p of change.phases ?? []) {
        await tx
          .insertInto('coaching_allowances')
          .values({ phase: p.phase, allowance_minutes: p.allowanceMinutes, updated_by: by.id, updated_at: now })
          .onConflict((oc) =>
            oc.column('phase').doUpdateSet((eb) => ({
              allowance_minutes: eb.ref('excluded.allowance_minutes'),
              updated_by: eb.ref('excluded.updated_by'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute()
      }
      if (change.currentPhase) {
        await tx
          .insertInto('coaching_settings')
          .values({ id: 1, current_phase: change.currentPhase })
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({ current_phase: eb.ref('excluded.current_phase') })),
          )
          .execute()
      }
    })
  }

  /** Minutes used in the current phase against its allowance, for each of the given jurisdictions. */
  async summary(jurisdictions: ReadonlyArray<{ id: string; name: string }>): Promise<CoachingSummary> {
    const { currentPhase: phase, phases } = await this.allowances()
    const allowance = phases.find((p) => p.phase === phase)?.allowanceMinutes ?? 0
    const rows = await this.db
      .selectFrom('coaching_sessions')
      .select((eb) => [
        'jurisdiction_id as id',
        eb.fn.sum<number>('minutes').as('used'),
        eb.fn.countAll<number>().as('sessions'),
        eb.fn.max('held_on').as('last'),
      ])
      .where('phase', '=', phase)
      .groupBy('jurisdiction_id')
      .execute()
    const byId = new Map(rows.map((r) => [r.id, r]))
    return {
      phase,
      jurisdictions: jurisdictions.map((j) => {
        const row = byId.get(j.id)
        return {
          id: j.id,
          name: j.name,
          allowanceMinutes: allowance,
          usedMinutes: Number(row?.used ?? 0),
          sessions: Number(row?.sessions ?? 0),
          lastSessionOn: row?.last ?? null,
        }
      }),
    }
  }
}
