import { DocKind, docNameFor, newId, PlanModel, type PlanSummary } from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import * as Y from 'yjs'
import { preparedStatements } from '../db/preparedStatements.ts'
import type { DocStore } from '../storage/DocStore.ts'

interface PlanRow {
  id: string
  jurisdiction_id: string
  title: string
  doc_name: string
  created_at: string
  updated_at: string
  shared_with_cohort: number
  template_id: string | null
  template_version: number | null
  template_title: string | null
}

/** Plans with the title of the template they started from. */
const SELECT_PLANS =
  'SELECT plans.*, templates.title AS template_title FROM plans LEFT JOIN templates ON templates.id = plans.template_id'

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

/** Plan metadata in SQLite; the plan's content is its collaboration document. */
export class PlanService {
  private readonly sql: (sql: string) => Statement

  constructor(
    private readonly db: Database,
    private readonly store: DocStore,
  ) {
    this.sql = preparedStatements(db)
  }

  list(jurisdictionId: string): PlanRecord[] {
    const rows = this.db
      .prepare(`${SELECT_PLANS} WHERE plans.jurisdiction_id = ? ORDER BY plans.created_at, plans.id`)
      .all(jurisdictionId) as PlanRow[]
    return rows.map(toRecord)
  }

  get(id: string): PlanRecord | null {
    const row = this.sql(`${SELECT_PLANS} WHERE plans.id = ?`).get(id) as PlanRow | undefined
    return row ? toRecord(row) : null
  }

  getByDocName(docName: string): PlanRecord | null {
    const row = this.sql(`${SELECT_PLANS} WHERE plans.doc_name = ?`).get(docName) as PlanRow | undefined
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
  }): Promise<PlanRecord> {
    const id = newId()
    const docName = docNameFor(DocKind.Plan, id)
    const now = new Date().toISOString()
    this.db
      .prepare(
        'INSERT INTO plans (id, jurisdiction_id, title, doc_name, created_by, created_at, updated_at, template_id, template_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        input.jurisdictionId,
        input.title,
        docName,
        input.createdBy ?? null,
        now,
        now,
        input.template?.id ?? null,
        input.template?.version ?? null,
      )
    try {
      await this.store.append(
        docName,
        initialPlanUpdate(input.title, input.jurisdictionId, input.createdBy, input.template?.fill),
      )
    } catch (error) {
      // No plan without its document (a full disk, say): the request changes nothing.
      this.db.prepare('DELETE FROM plans WHERE id = ?').run(id)
      throw error
    }
    return this.get(id) as PlanRecord
  }

  /** Mirrors the document's title into the metadata and records the time of the last change. */
  touch(id: string, title: string | null, at = new Date()): void {
    if (title) {
      this.sql('UPDATE plans SET title = ?, updated_at = ? WHERE id = ?').run(title, at.toISOString(), id)
    } else {
      this.sql('UPDATE plans SET updated_at = ? WHERE id = ?').run(at.toISOString(), id)
    }
  }

  /** Mirrors the document's "shared with the cohort" flag; returns true when it changed. */
  setShared(id: string, shared: boolean): boolean {
    return (
      this.db
        .prepare('UPDATE plans SET shared_with_cohort = ? WHERE id = ? AND shared_with_cohort != ?')
        .run(shared ? 1 : 0, id, shared ? 1 : 0).changes > 0
    )
  }

  /** Plans of several jurisdictions at once. */
  listAll(): PlanRecord[] {
    return (
      this.sql(`${SELECT_PLANS} ORDER BY plans.jurisdiction_id, plans.created_at, plans.id`).all() as PlanRow[]
    ).map(toRecord)
  }
}
