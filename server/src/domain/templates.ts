import {
  AccessMode,
  DocKind,
  docNameFor,
  initializeTemplateDoc,
  migratePlanDoc,
  newId,
  PlanModel,
  type TemplateKind,
  type TemplateSummary,
  type User,
} from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import * as Y from 'yjs'
import type { DocumentType } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import { templateWriteRules } from '../collab/writeRules/templateWriteRules.ts'
import { preparedStatements } from '../db/preparedStatements.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'

interface TemplateRow {
  id: string
  kind: TemplateKind
  title: string
  description: string
  doc_name: string
  version: number
  seed_key: string | null
  created_by: string | null
  created_at: string
  updated_at: string
}

export type TemplateRecord = Omit<TemplateSummary, 'access'>

function toRecord(row: TemplateRow): TemplateRecord {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    description: row.description,
    version: row.version,
    docName: row.doc_name,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

/** What a person may do with a template's document: facilitators write, everyone signed in reads. */
export function templateAccess(user: User): AccessMode | null {
  if (!user.active) return null
  return user.role === 'facilitator' ? AccessMode.ReadWrite : AccessMode.ReadOnly
}

export interface NewTemplate {
  kind: TemplateKind
  title: string
  description?: string
  createdBy?: string
  /** Templates the server ships: created once per database, found again by this key. */
  seedKey?: string
  /** Content beyond the empty layout (an initiative template gets one empty initiative otherwise). */
  fill?: (model: PlanModel) => void
}

/** Template metadata in SQLite; the content is the template's collaboration document. */
export class TemplateService {
  private readonly sql: (sql: string) => Statement

  constructor(
    db: Database,
    private readonly store: DocStore,
  ) {
    this.sql = preparedStatements(db)
  }

  list(): TemplateRecord[] {
    return (this.sql('SELECT * FROM templates ORDER BY kind DESC, title, id').all() as TemplateRow[]).map(toRecord)
  }

  get(id: string): TemplateRecord | null {
    const row = this.sql('SELECT * FROM templates WHERE id = ?').get(id) as TemplateRow | undefined
    return row ? toRecord(row) : null
  }

  bySeedKey(key: string): TemplateRecord | null {
    const row = this.sql('SELECT * FROM templates WHERE seed_key = ?').get(key) as TemplateRow | undefined
    return row ? toRecord(row) : null
  }

  /** Creates a template: its metadata row, then its document, written once here on the server. */
  async create(input: NewTemplate): Promise<TemplateRecord> {
    const id = newId()
    const docName = docNameFor(DocKind.Template, id)
    const now = new Date().toISOString()
    this.sql(
      'INSERT INTO templates (id, kind, title, description, doc_name, version, seed_key, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?)',
    ).run(
      id,
      input.kind,
      input.title,
      input.description ?? '',
      docName,
      input.seedKey ?? null,
      input.createdBy ?? null,
      now,
      now,
    )
    try {
      const doc = new Y.Doc()
      const model = initializeTemplateDoc(doc, input.title, input.createdBy)
      doc.transact(() => {
        if (input.fill) input.fill(model)
        else if (input.kind === 'initiative') {
          const first = model.leverList()[0]
          if (first) model.addInitiative(first.id, { title: input.title, createdBy: input.createdBy })
        }
      })
      const update = Y.encodeStateAsUpdate(doc)
      doc.destroy()
      await this.store.append(docName, update)
    } catch (error) {
      this.sql('DELETE FROM templates WHERE id = ?').run(id)
      throw error
    }
    return this.get(id) as TemplateRecord
  }

  setDescription(id: string, description: string): void {
    this.sql('UPDATE templates SET description = ?, updated_at = ? WHERE id = ?').run(
      description,
      new Date().toISOString(),
      id,
    )
  }

  /** A saved change of the template's document: its version goes up, its title is mirrored. */
  changed(id: string, title: string | null, at = new Date()): void {
    if (title) {
      this.sql('UPDATE templates SET version = version + 1, title = ?, updated_at = ? WHERE id = ?').run(
        title,
        at.toISOString(),
        id,
      )
    } else {
      this.sql('UPDATE templates SET version = version + 1, updated_at = ? WHERE id = ?').run(at.toISOString(), id)
    }
  }
}

/**
 * Template documents (`template:<id>`): laid out as plans (the plan editor edits them), kept in
 * shape by the plan migrations; every saved change bumps the template's version, so a plan can
 * say which version it started from.
 */
export function templateDocumentType(templates: TemplateService, logger: Logger): DocumentType {
  return {
    kind: DocKind.Template,
    writeRules: templateWriteRules,
    exists: (id) => templates.get(id) !== null,
    access: (user) => templateAccess(user),
    onLoad(room: Room, id: string) {
      let result: ReturnType<typeof migratePlanDoc> | undefined
      room.transactServer((doc) => {
        result = migratePlanDoc(doc)
      })
      if (result?.tooNew)
        logger.warn({ template: id, version: result.from }, 'template document is newer than this server')
    },
    onChange(room: Room, id: string) {
      try {
        templates.changed(id, room.isClosed ? null : new PlanModel(room.doc).title.trim() || null)
      } catch (error) {
        logger.warn({ err: error, template: id }, 'could not record a template change')
      }
    },
  }
}
