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
import type { Selectable } from 'kysely'
import * as Y from 'yjs'
import type { DocumentType } from '../collab/documentTypes.ts'
import type { Room } from '../collab/Room.ts'
import { templateWriteRules } from '../collab/writeRules/templateWriteRules.ts'
import type { Db } from '../db/queries.ts'
import type { TemplatesTable } from '../db/tables.ts'
import type { Logger } from '../logger.ts'
import type { DocStore } from '../storage/DocStore.ts'

type TemplateRow = Selectable<TemplatesTable>

export type TemplateRecord = Omit<TemplateSummary, 'access'>

function toRecord(row: TemplateRow): TemplateRecord {
  return {
    id: row.id,
    kind: row.kind as TemplateKind,
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

/** Template metadata (SQLite or PostgreSQL); the content is the template's collaboration document. */
export class TemplateService {
  /**
   * Version bumps under way, per template, each resolving with the version it wrote. Per server,
   * and safe so: a bump starts on this server for every saved change its room of the template
   * sees (other servers' changes too, as they arrive), so the copies this server makes from that
   * room wait only for bumps this server started (`versionOf`).
   */
  private readonly bumps = new Map<string, Set<Promise<number | null>>>()

  constructor(
    private readonly db: Db,
    private readonly store: DocStore,
  ) {}

  async list(): Promise<TemplateRecord[]> {
    const rows = await this.db
      .selectFrom('templates')
      .selectAll()
      .orderBy('kind', 'desc')
      .orderBy('title')
      .orderBy('id')
      .execute()
    return rows.map(toRecord)
  }

  async get(id: string): Promise<TemplateRecord | null> {
    const row = await this.db.selectFrom('templates').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toRecord(row) : null
  }

  async bySeedKey(key: string): Promise<TemplateRecord | null> {
    const row = await this.db.selectFrom('templates').selectAll().where('seed_key', '=', key).executeTakeFirst()
    return row ? toRecord(row) : null
  }

  /**
   * Creates a template: its metadata row, then its document, written once here on the server.
   * A template with a seed key exists once per database: when it exists already (another server
   * starting at the same time created it first), this resolves with that one and writes nothing.
   */
  async create(input: NewTemplate): Promise<TemplateRecord> {
    return (await this.add(input)).template
  }

  /** Creates the template unless its seed key exists; says which happened. */
  async add(input: NewTemplate): Promise<{ template: TemplateRecord; created: boolean }> {
    const id = newId()
    const docName = docNameFor(DocKind.Template, id)
    const now = new Date().toISOString()
    const inserted = await this.db
      .insertInto('templates')
      .values({
        id,
        kind: input.kind,
        title: input.title,
        description: input.description ?? '',
        doc_name: docName,
        version: 1,
        seed_key: input.seedKey ?? null,
        created_by: input.createdBy ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('seed_key').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) {
      const existing = input.seedKey === undefined ? null : await this.bySeedKey(input.seedKey)
      if (!existing) throw new Error('the template could not be created')
      return { template: existing, created: false }
    }
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
      await this.db.deleteFrom('templates').where('id', '=', id).execute()
      throw error
    }
    return { template: (await this.get(id)) as TemplateRecord, created: true }
  }

  async setDescription(id: string, description: string): Promise<void> {
    await this.db
      .updateTable('templates')
      .set({ description, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute()
  }

  /**
   * A saved change of the template's document: its version goes up, its title is mirrored.
   * Resolves with the new version (null: no such template).
   */
  changed(id: string, title: string | null, at = new Date()): Promise<number | null> {
    const updatedAt = at.toISOString()
    const bump = this.db
      .updateTable('templates')
      .set((eb) => ({
        version: eb('version', '+', 1),
        updated_at: updatedAt,
        ...(title ? { title } : {}),
      }))
      .where('id', '=', id)
      .returning('version')
      .executeTakeFirst()
      .then((row) => (row ? Number(row.version) : null))
    let pending = this.bumps.get(id)
    if (!pending) {
      pending = new Set()
      this.bumps.set(id, pending)
    }
    const tracked = pending
    tracked.add(bump)
    void bump
      .catch(() => null)
      .finally(() => {
        tracked.delete(bump)
        if (tracked.size === 0 && this.bumps.get(id) === tracked) this.bumps.delete(id)
      })
    return bump
  }

  /**
   * The version of a template's content as this server's room of it holds it now: call it at the
   * moment the content is read (every saved change has started its bump by then). When bumps are
   * under way, the content is theirs: the newest they write (they can land after the read, and
   * a version read meanwhile would name the content before them). Otherwise the stored version.
   */
  versionOf(id: string): Promise<number | null> {
    const pending = [...(this.bumps.get(id) ?? [])]
    if (pending.length === 0) return this.get(id).then((t) => t?.version ?? null)
    return Promise.allSettled(pending).then(async (settled) => {
      const written = settled.flatMap((r) => (r.status === 'fulfilled' && r.value !== null ? [r.value] : []))
      // A bump that failed wrote nothing: the stored version is as far as it went.
      if (written.length < pending.length) return (await this.get(id))?.version ?? null
      return Math.max(...written)
    })
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
    exists: async (id) => (await templates.get(id)) !== null,
    access: (user) => templateAccess(user),
    onLoad(room: Room, id: string) {
      let result: ReturnType<typeof migratePlanDoc> | undefined
      room.transactServer((doc) => {
        result = migratePlanDoc(doc)
      })
      if (result?.tooNew)
        logger.warn({ template: id, version: result.from }, 'template document is newer than this server')
    },
    onChange(room: Room, id: string, change) {
      // The server that stored a change counts it; another server with the template open relays it
      // (a peer's change) and would count it once more.
      if (change.origin.kind === 'peer') return
      const failed = (error: unknown) => logger.warn({ err: error, template: id }, 'could not record a template change')
      try {
        templates.changed(id, room.isClosed ? null : new PlanModel(room.doc).title.trim() || null).catch(failed)
      } catch (error) {
        failed(error)
      }
    },
  }
}
