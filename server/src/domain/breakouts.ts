import { newId, SessionModel, type Transfer } from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import type * as Y from 'yjs'
import { preparedStatements } from '../db/preparedStatements.ts'

export interface GroupRecord {
  id: string
  sessionId: string
  name: string
  prompt: string
  draftId: string
  removed: boolean
  members: string[]
}

interface GroupRow {
  id: string
  session_id: string
  name: string
  prompt: string
  draft_id: string
  removed: number
}

/**
 * Breakout groups as the server knows them: mirrored from the session document (which the
 * facilitator edits) into SQLite, because group membership is the permission to edit a draft.
 */
export class BreakoutService {
  private readonly sql: (sql: string) => Statement

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
  }

  /** Copies the groups of a session document into SQLite. Returns the draft ids whose access may have changed. */
  mirror(sessionId: string, doc: Y.Doc): string[] {
    const model = new SessionModel(doc)
    const groups = model.groups.list().filter((g) => g.id && g.draftId)
    const now = new Date().toISOString()
    const touched: string[] = []
    this.db.transaction(() => {
      const known = new Set(groups.map((g) => g.id))
      for (const row of this.db
        .prepare('SELECT id, draft_id FROM breakout_groups WHERE session_id = ? AND removed = 0')
        .all(sessionId) as Array<{
        id: string
        draft_id: string
      }>) {
        if (!known.has(row.id)) {
          this.sql('UPDATE breakout_groups SET removed = 1 WHERE id = ?').run(row.id)
          this.sql('UPDATE breakout_members SET current = 0 WHERE group_id = ?').run(row.id)
          touched.push(row.draft_id)
        }
      }
      for (const g of groups) {
        const existing = this.sql('SELECT session_id, draft_id FROM breakout_groups WHERE id = ?').get(g.id) as
          | { session_id: string; draft_id: string }
          | undefined
        if (existing && existing.session_id !== sessionId) continue // ids belong to one session only
        if (existing) {
          this.db
            .prepare('UPDATE breakout_groups SET name = ?, prompt = ?, removed = 0 WHERE id = ?')
            .run(g.name, g.prompt, g.id)
        } else {
          const clash = this.sql('SELECT 1 FROM breakout_groups WHERE draft_id = ?').get(g.draftId)
          if (clash) continue
          this.db
            .prepare('INSERT INTO breakout_groups (id, session_id, name, prompt, draft_id) VALUES (?, ?, ?, ?, ?)')
            .run(g.id, sessionId, g.name, g.prompt, g.draftId)
        }
        const members = new Set(g.members)
        this.sql('UPDATE breakout_members SET current = 0 WHERE group_id = ?').run(g.id)
        for (const userId of members) {
          this.db
            .prepare(
              `INSERT INTO breakout_members (group_id, user_id, added_at, current) VALUES (?, ?, ?, 1)
               ON CONFLICT (group_id, user_id) DO UPDATE SET current = 1`,
            )
            .run(g.id, userId, now)
        }
        touched.push(existing?.draft_id ?? g.draftId)
      }
    })()
    return touched
  }

  groups(sessionId: string, includeRemoved = false): GroupRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM breakout_groups WHERE session_id = ? ${includeRemoved ? '' : 'AND removed = 0'} ORDER BY name, id`,
      )
      .all(sessionId) as GroupRow[]
    return rows.map((r) => this.toRecord(r))
  }

  groupByDraft(draftId: string): GroupRecord | null {
    const row = this.sql('SELECT * FROM breakout_groups WHERE draft_id = ?').get(draftId) as GroupRow | undefined
    return row ? this.toRecord(row) : null
  }

  /** Everyone ever placed in a group of the session, with the group (attendance per group). */
  memberships(sessionId: string): Array<{ userId: string; groupId: string; groupName: string; current: boolean }> {
    return (
      this.db
        .prepare(
          `SELECT m.user_id, g.id AS group_id, g.name, m.current FROM breakout_members m
           JOIN breakout_groups g ON g.id = m.group_id WHERE g.session_id = ? ORDER BY g.name, m.user_id`,
        )
        .all(sessionId) as Array<{ user_id: string; group_id: string; name: string; current: number }>
    ).map((r) => ({ userId: r.user_id, groupId: r.group_id, groupName: r.name, current: r.current === 1 }))
  }

  recordTransfer(
    t: Omit<Transfer, 'id' | 'createdAt' | 'planTitle' | 'groupName'> & {
      sessionId: string
      groupId: string
      userId: string
    },
  ): void {
    this.db
      .prepare(
        `INSERT INTO draft_transfers (id, draft_id, session_id, group_id, plan_id, jurisdiction_id, user_id, user_name, kind, summary, target, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        newId(),
        t.draftId,
        t.sessionId,
        t.groupId,
        t.planId,
        t.jurisdictionId,
        t.userId,
        t.userName,
        t.kind,
        t.summary,
        t.target,
        new Date().toISOString(),
      )
  }

  transfers(sessionId: string): Transfer[] {
    return (
      this.db
        .prepare(
          `SELECT t.*, p.title AS plan_title, g.name AS group_name FROM draft_transfers t
           JOIN plans p ON p.id = t.plan_id JOIN breakout_groups g ON g.id = t.group_id
           WHERE t.session_id = ? ORDER BY t.jurisdiction_id, t.created_at`,
        )
        .all(sessionId) as Array<Record<string, string>>
    ).map((r) => ({
      id: r.id as string,
      draftId: r.draft_id as string,
      groupName: r.group_name as string,
      planId: r.plan_id as string,
      planTitle: r.plan_title as string,
      jurisdictionId: r.jurisdiction_id as string,
      userName: r.user_name as string,
      kind: r.kind as 'card' | 'prose',
      summary: r.summary as string,
      target: r.target as string,
      createdAt: r.created_at as string,
    }))
  }

  private toRecord(row: GroupRow): GroupRecord {
    const members = (
      this.db
        .prepare('SELECT user_id FROM breakout_members WHERE group_id = ? AND current = 1 ORDER BY user_id')
        .all(row.id) as Array<{
        user_id: string
      }>
    ).map((m) => m.user_id)
    return {
      id: row.id,
      sessionId: row.session_id,
      name: row.name,
      prompt: row.prompt,
      draftId: row.draft_id,
      removed: row.removed === 1,
      members,
    }
  }
}
