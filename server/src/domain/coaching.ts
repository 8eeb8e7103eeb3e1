import {
  type CoachingAllowances,
  type CoachingPhase,
  type CoachingSession,
  type CoachingSummary,
  type coachingSessionInputSchema,
  newId,
  type User,
} from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import type { z } from 'zod'
import { preparedStatements } from '../db/preparedStatements.ts'

interface SessionRow {
  id: string
  jurisdiction_id: string
  coach_id: string
  coach_name: string | null
  held_on: string
  minutes: number
  phase: CoachingPhase
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

/** One-on-one coaching sessions in SQLite, and each phase's allowance per team. */
export class CoachingLog {
  private readonly sql: (sql: string) => Statement

  constructor(db: Database) {
    this.sql = preparedStatements(db)
  }

  private static readonly SELECT =
    'SELECT s.*, u.name AS coach_name FROM coaching_sessions s LEFT JOIN users u ON u.id = s.coach_id'

  private toSession(row: SessionRow, viewer: User): CoachingSession {
    const base = {
      id: row.id,
      jurisdictionId: row.jurisdiction_id,
      coachId: row.coach_id,
      coachName: row.coach_name ?? 'A former coach',
      date: row.held_on,
      minutes: row.minutes,
      phase: row.phase,
      topics: { levers: parseList(row.topic_levers), components: parseList(row.topic_components) },
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }
    const readable = mayReadNotes(viewer, base)
    return { ...base, notes: readable ? row.notes : null, followUps: readable ? parseList(row.follow_ups) : null }
  }

  get(id: string, viewer: User): CoachingSession | null {
    const row = this.sql(`${CoachingLog.SELECT} WHERE s.id = ?`).get(id) as SessionRow | undefined
    return row ? this.toSession(row, viewer) : null
  }

  /** Sessions of the given jurisdictions (all when null), newest first, at most `LIST_LIMIT`. */
  list(jurisdictionIds: readonly string[] | null, viewer: User): CoachingSession[] {
    const rows = (
      jurisdictionIds
        ? this.sql(
            `${CoachingLog.SELECT} WHERE s.jurisdiction_id IN (SELECT value FROM json_each(?))
               ORDER BY s.held_on DESC, s.created_at DESC LIMIT ${LIST_LIMIT}`,
          ).all(JSON.stringify(jurisdictionIds))
        : this.sql(`${CoachingLog.SELECT} ORDER BY s.held_on DESC, s.created_at DESC LIMIT ${LIST_LIMIT}`).all()
    ) as SessionRow[]
    return rows.map((r) => this.toSession(r, viewer))
  }

  create(input: CoachingInput, coach: User): CoachingSession {
    const id = newId()
    const now = new Date().toISOString()
    this.sql(
      `INSERT INTO coaching_sessions (id, jurisdiction_id, coach_id, held_on, minutes, phase, topic_levers,
         topic_components, notes, follow_ups, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      id,
      input.jurisdictionId,
      coach.id,
      input.date,
      input.minutes,
      input.phase ?? this.currentPhase(),
      JSON.stringify([...new Set(input.topics.levers)]),
      JSON.stringify([...new Set(input.topics.components)]),
      input.notes,
      JSON.stringify(input.followUps),
      now,
      now,
    )
    return this.get(id, coach) as CoachingSession
  }

  update(id: string, change: Partial<CoachingInput>, viewer: User): CoachingSession {
    const current = this.sql('SELECT * FROM coaching_sessions WHERE id = ?').get(id) as SessionRow
    const next = {
      jurisdiction_id: change.jurisdictionId ?? current.jurisdiction_id,
      held_on: change.date ?? current.held_on,
      minutes: change.minutes ?? current.minutes,
      phase: change.phase ?? current.phase,
      topic_levers: change.topics ? JSON.stringify([...new Set(change.topics.levers)]) : current.topic_levers,
      topic_components: change.topics
        ? JSON.stringify([...new Set(change.topics.components)])
        : current.topic_components,
      notes: change.notes ?? current.notes,
      follow_ups: change.followUps ? JSON.stringify(change.followUps) : current.follow_ups,
    }
    this.sql(
      `UPDATE coaching_sessions SET jurisdiction_id = ?, held_on = ?, minutes = ?, phase = ?, topic_levers = ?,
         topic_components = ?, notes = ?, follow_ups = ?, updated_at = ? WHERE id = ?`,
    ).run(
      next.jurisdiction_id,
      next.held_on,
      next.minutes,
      next.phase,
      next.topic_levers,
      next.topic_components,
      next.notes,
      next.follow_ups,
      new Date().toISOString(),
      id,
    )
    return this.get(id, viewer) as CoachingSession
  }

  delete(id: string): void {
    this.sql('DELETE FROM coaching_sessions WHERE id = ?').run(id)
  }

  /** The coach who logged a session, and its jurisdiction (for permission checks). */
  owner(id: string): { coachId: string; jurisdictionId: string } | null {
    const row = this.sql('SELECT coach_id, jurisdiction_id FROM coaching_sessions WHERE id = ?').get(id) as
      | { coach_id: string; jurisdiction_id: string }
      | undefined
    return row ? { coachId: row.coach_id, jurisdictionId: row.jurisdiction_id } : null
  }

  currentPhase(): CoachingPhase {
    const row = this.sql('SELECT current_phase FROM coaching_settings WHERE id = 1').get() as
      | { current_phase: CoachingPhase }
      | undefined
    return row?.current_phase ?? 'phase1'
  }

  allowances(): CoachingAllowances {
    const rows = this.sql('SELECT phase, allowance_minutes FROM coaching_allowances ORDER BY phase').all() as Array<{
      phase: CoachingPhase
      allowance_minutes: number
    }>
    return {
      currentPhase: this.currentPhase(),
      phases: rows.map((r) => ({ phase: r.phase, allowanceMinutes: r.allowance_minutes })),
    }
  }

  setAllowances(
    change: { currentPhase?: CoachingPhase; phases?: Array<{ phase: CoachingPhase; allowanceMinutes: number }> },
    by: User,
  ): void {
    const now = new Date().toISOString()
    for (const p of change.phases ?? []) {
      this.sql(
        `INSERT INTO coaching_allowances (phase, allowance_minutes, updated_by, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (phase) DO UPDATE SET allowance_minutes = excluded.allowance_minutes,
           updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      ).run(p.phase, p.allowanceMinutes, by.id, now)
    }
    if (change.currentPhase) {
      this.sql('UPDATE coaching_settings SET current_phase = ? WHERE id = 1').run(change.currentPhase)
    }
  }

  /** Minutes used in the current phase against its allowance, for each of the given jurisdictions. */
  summary(jurisdictions: ReadonlyArray<{ id: string; name: string }>): CoachingSummary {
    const phase = this.currentPhase()
    const allowance = this.allowances().phases.find((p) => p.phase === phase)?.allowanceMinutes ?? 0
    const rows = this.sql(
      `SELECT jurisdiction_id AS id, SUM(minutes) AS used, COUNT(*) AS sessions, MAX(held_on) AS last
         FROM coaching_sessions WHERE phase = ? GROUP BY jurisdiction_id`,
    ).all(phase) as Array<{ id: string; used: number; sessions: number; last: string | null }>
    const byId = new Map(rows.map((r) => [r.id, r]))
    return {
      phase,
      jurisdictions: jurisdictions.map((j) => {
        const row = byId.get(j.id)
        return {
          id: j.id,
          name: j.name,
          allowanceMinutes: allowance,
          usedMinutes: row?.used ?? 0,
          sessions: row?.sessions ?? 0,
          lastSessionOn: row?.last ?? null,
        }
      }),
    }
  }
}
