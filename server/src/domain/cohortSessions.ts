import type { sessionFieldsSchema } from '@lever/shared'
import { type CohortSession, DocKind, docNameFor, newId } from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import type { z } from 'zod'
import { preparedStatements } from '../db/preparedStatements.ts'
import { CURRICULUM } from '../seed/curriculum.ts'

type SessionFields = z.output<typeof sessionFieldsSchema>

interface SessionRow {
  id: string
  title: string
  topic: string
  phase: CohortSession['phase']
  starts_at: string
  duration_minutes: number
  agenda: string
  prework: string
  focus: string
  status: CohortSession['status']
  breakouts_open: number
  started_at: string | null
  ended_at: string | null
}

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
    phase: row.phase,
    startsAt: row.starts_at,
    durationMinutes: row.duration_minutes,
    agenda: row.agenda,
    prework: row.prework,
    focus,
    status: row.status,
    breakoutsOpen: row.breakouts_open === 1,
    docName: docNameFor(DocKind.Session, row.id),
    startedAt: row.started_at,
    endedAt: row.ended_at,
  }
}

/** The cohort calendar: sessions with their topic, agenda, pre-work and status. */
export class CohortSessionService {
  private readonly sql: (sql: string) => Statement

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
  }

  /** Seeds the curriculum on an empty calendar; returns how many sessions were added. */
  seedCurriculum(): number {
    const count = (this.sql('SELECT COUNT(*) AS n FROM cohort_sessions').get() as { n: number }).n
    if (count > 0) return 0
    this.db.transaction(() => {
      for (const s of CURRICULUM) this.create({ ...s, durationMinutes: 90 })
    })()
    return CURRICULUM.length
  }

  list(): CohortSession[] {
    return (this.sql('SELECT * FROM cohort_sessions ORDER BY starts_at, id').all() as SessionRow[]).map(toSession)
  }

  get(id: string): CohortSession | null {
    const row = this.sql('SELECT * FROM cohort_sessions WHERE id = ?').get(id) as SessionRow | undefined
    return row ? toSession(row) : null
  }

  create(fields: SessionFields): CohortSession {
    const id = newId()
    const now = new Date().toISOString()
    this.db
      .prepare(
        `INSERT INTO cohort_sessions (id, title, topic, phase, starts_at, duration_minutes, agenda, prework, focus, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        fields.title,
        fields.topic,
        fields.phase,
        new Date(fields.startsAt).toISOString(),
        fields.durationMinutes,
        fields.agenda,
        fields.prework,
        JSON.stringify(fields.focus),
        now,
        now,
      )
    return this.get(id) as CohortSession
  }

  update(id: string, patch: Partial<SessionFields>): CohortSession | null {
    const current = this.get(id)
    if (!current) return null
    const next = { ...current, ...patch }
    this.db
      .prepare(
        `UPDATE cohort_sessions SET title = ?, topic = ?, phase = ?, starts_at = ?, duration_minutes = ?, agenda = ?, prework = ?,
         focus = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        next.title,
        next.topic,
        next.phase,
        new Date(next.startsAt).toISOString(),
        next.durationMinutes,
        next.agenda,
        next.prework,
        JSON.stringify(next.focus),
        new Date().toISOString(),
        id,
      )
    return this.get(id)
  }

  /** Sets the status; `at` is when it started or ended (now, unless seeding a demo). */
  setStatus(id: string, status: CohortSession['status'], at: Date = new Date()): void {
    const now = at.toISOString()
    if (status === 'live') {
      this.db
        .prepare(
          "UPDATE cohort_sessions SET status = 'live', started_at = COALESCE(started_at, ?), ended_at = NULL WHERE id = ?",
        )
        .run(now, id)
    } else if (status === 'ended') {
      this.db
        .prepare("UPDATE cohort_sessions SET status = 'ended', breakouts_open = 0, ended_at = ? WHERE id = ?")
        .run(now, id)
    } else {
      this.sql("UPDATE cohort_sessions SET status = 'scheduled' WHERE id = ?").run(id)
    }
  }

  /** Mirrors the document's "breakouts open" flag; returns true when it changed. */
  setBreakoutsOpen(id: string, open: boolean): boolean {
    return (
      this.db
        .prepare('UPDATE cohort_sessions SET breakouts_open = ? WHERE id = ? AND breakouts_open != ?')
        .run(open ? 1 : 0, id, open ? 1 : 0).changes > 0
    )
  }

  recordAttendance(sessionId: string, userId: string): void {
    this.db
      .prepare('INSERT OR IGNORE INTO session_attendance (session_id, user_id, joined_at) VALUES (?, ?, ?)')
      .run(sessionId, userId, new Date().toISOString())
  }

  attendance(sessionId: string): Array<{ userId: string; joinedAt: string }> {
    return (
      this.db
        .prepare('SELECT user_id, joined_at FROM session_attendance WHERE session_id = ? ORDER BY joined_at')
        .all(sessionId) as Array<{
        user_id: string
        joined_at: string
      }>
    ).map((r) => ({ userId: r.user_id, joinedAt: r.joined_at }))
  }
}
