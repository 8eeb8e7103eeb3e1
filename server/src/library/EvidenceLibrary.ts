import fs from 'node:fs'
import path from 'node:path'
import {
  type EvidenceEntry,
  type EvidenceFields,
  type EvidenceQuery,
  type EvidenceSeedFile,
  evidenceFieldsSchema,
  evidenceSeedFileSchema,
  matchesEvidenceQuery,
  newId,
  type updateEvidenceRequestSchema,
} from '@lever/shared'
import type { Selectable } from 'kysely'
import type { z } from 'zod'
import { SERVER_SRC } from '../config.ts'
import type { Db, Queries } from '../db/queries.ts'
import type { EvidenceEntriesTable } from '../db/tables.ts'
import { ApiError } from '../http/ApiError.ts'
import { byTitle } from './titleOrder.ts'

/** The program's evidence entries, loaded at startup (`evidence.seed.json` next to this file). */
export const EVIDENCE_SEED_FILE = path.join(SERVER_SRC, 'library', 'evidence.seed.json')

type EntryRow = Selectable<EvidenceEntriesTable>

function toEntry(row: EntryRow): EvidenceEntry {
  return {
    id: row.id,
    title: row.title,
    summary: row.summary,
    source: { name: row.source_name, url: row.source_url },
    rating:
      row.rating_scheme !== null && row.rating_value !== null
        ? { scheme: row.rating_scheme, value: row.rating_value }
        : null,
    outcomeDomains: JSON.parse(row.outcome_domains) as string[],
    populations: JSON.parse(row.populations) as string[],
    components: JSON.parse(row.components) as string[],
    levers: JSON.parse(row.levers) as string[],
    suggestedTier: row.suggested_tier,
    checked: row.checked_on !== null ? { on: row.checked_on, where: row.checked_where ?? '' } : null,
    revision: row.revision,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
  }
}

/** The column values of an entry's fields. */
function columns(fields: EvidenceFields) {
  return {
    title: fields.title,
    summary: fields.summary,
    source_name: fields.source.name,
    source_url: fields.source.url,
    rating_scheme: fields.rating?.scheme ?? null,
    rating_value: fields.rating?.value ?? null,
    outcome_domains: JSON.stringify(fields.outcomeDomains),
    populations: JSON.stringify(fields.populations),
    components: JSON.stringify(fields.components),
    levers: JSON.stringify(fields.levers),
    suggested_tier: fields.suggestedTier,
    checked_on: fields.checked?.on ?? null,
    checked_where: fields.checked?.where ?? null,
  }
}

function fieldsOf(entry: EvidenceEntry): EvidenceFields {
  return evidenceFieldsSchema.parse({
    title: entry.title,
    summary: entry.summary,
    source: entry.source,
    rating: entry.rating,
    outcomeDomains: entry.outcomeDomains,
    populations: entry.populations,
    components: entry.components,
    levers: entry.levers,
    suggestedTier: entry.suggestedTier,
    checked: entry.checked,
  })
}

/** A readable id for a new entry: its title as a slug, and a random tail. */
function entryId(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  const tail = newId().slice(0, 6)
  return slug ? `${slug}-${tail}` : `entry-${tail}`
}

/** Reads and checks the data file; a file that does not fit stops the server with the reason. */
export function loadEvidenceSeed(file: string = EVIDENCE_SEED_FILE): EvidenceSeedFile {
  if (!fs.existsSync(file)) return { schemaVersion: 1, entries: [] }
  let json: unknown
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`The evidence data file ${file} is not JSON: ${(error as Error).message}`)
  }
  const parsed = evidenceSeedFileSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    throw new Error(
      `The evidence data file ${file} does not fit its schema: ${first ? `${first.path.join('.')}: ${first.message}` : ''}`,
    )
  }
  return parsed.data
}

/** How often a facilitator's change is tried against an entry others keep changing at that moment. */
const UPDATE_ATTEMPTS = 5

/** A change of an entry's fields, written only while the entry is still at `revision`. */
interface Write {
  current: EvidenceEntry
  next: EvidenceFields
  userId: string | null
  /** A facilitator's change marks the entry edited; the data file's does not, and never touches an edited entry. */
  edited: boolean
}

/**
 * Evidence entries. Every change raises the entry's revision (citations in plans compare it with
 * the revision they cited) and a changed rating is kept in the rating history, in one transaction.
 * The database keeps the entries' search rows itself (triggers in both schemas).
 */
export class EvidenceLibrary {
  constructor(private readonly db: Db) {}

  async list(query: EvidenceQuery = {}): Promise<EvidenceEntry[]> {
    const rows = await this.db.selectFrom('evidence_entries').selectAll().execute()
    return rows
      .sort(byTitle)
      .map(toEntry)
      .filter((entry) => matchesEvidenceQuery(entry, query))
  }

  async get(id: string): Promise<EvidenceEntry | null> {
    return this.read(this.db, id)
  }

  private async read(db: Queries, id: string): Promise<EvidenceEntry | null> {
    const row = await db.selectFrom('evidence_entries').selectAll().where('id', '=', id).executeTakeFirst()
    return row ? toEntry(row) : null
  }

  /** Every rating an entry has had, oldest first. */
  async ratingHistory(
    id: string,
  ): Promise<Array<{ revision: number; rating: { scheme: string; value: string } | null; at: string }>> {
    const rows = await this.db
      .selectFrom('evidence_rating_history')
      .select(['revision', 'scheme', 'value', 'changed_at'])
      .where('entry_id', '=', id)
      .orderBy('revision')
      .orderBy('id')
      .execute()
    return rows.map((r) => ({
      revision: r.revision,
      rating: r.scheme !== null && r.value !== null ? { scheme: r.scheme, value: r.value } : null,
      at: r.changed_at,
    }))
  }

  async create(
    fields: EvidenceFields,
    userId: string | null,
    options: { id?: string; seeded?: boolean } = {},
  ): Promise<EvidenceEntry> {
    const id = options.id ?? entryId(fields.title)
    return this.db.transaction().execute(async (tx) => {
      await this.insert(tx, id, fields, userId, options.seeded ?? false)
      return (await this.read(tx, id)) as EvidenceEntry
    })
  }

  /** Applies a facilitator's change; returns null when there is no such entry. */
  async update(
    id: string,
    patch: z.output<typeof updateEvidenceRequestSchema>,
    userId: string | null,
  ): Promise<EvidenceEntry | null> {
    // Another change between reading the entry and writing it makes the write miss (its revision
    // moved on): read again and apply the patch to what is there now.
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const updated = await this.db.transaction().execute(async (tx) => {
        const current = await this.read(tx, id)
        if (!current) return null
        const next = evidenceFieldsSchema.parse({ ...fieldsOf(current), ...patch })
        return (await this.write(tx, { current, next, userId, edited: true })) ? await this.read(tx, id) : undefined
      })
      if (updated !== undefined) return updated
    }
    throw ApiError.conflict('This entry is being changed by someone else: try again')
  }

  /**
   * Loads the program's entries: adds those missing by id, brings entries from the file that no
   * facilitator has edited up to date with it, and leaves edited ones (and facilitators' own) alone.
   */
  async seed(file: EvidenceSeedFile): Promise<{ added: number; updated: number }> {
    const wanted = file.entries.map(({ id, ...rest }) => ({ id, fields: evidenceFieldsSchema.parse(rest) }))
    return this.db.transaction().execute(async (tx) => {
      let added = 0
      let updated = 0
      const rows = await tx.selectFrom('evidence_entries').selectAll().where('seeded', '=', 1).execute()
      const seeded = new Map(rows.map((row) => [row.id, row]))
      for (const { id, fields } of wanted) {
        const row = seeded.get(id)
        if (!row) {
          // An id a facilitator's own entry already has stays theirs.
          if (await this.insert(tx, id, fields, null, true)) added++
          continue
        }
        if (row.edited === 1) continue
        const current = toEntry(row)
        if (JSON.stringify(fieldsOf(current)) === JSON.stringify(fields)) continue
        if (await this.write(tx, { current, next: fields, userId: null, edited: false })) updated++
      }
      return { added, updated }
    })
  }

  /** Inserts an entry at revision 1 with its first rating; false when the id is taken. */
  private async insert(
    tx: Queries,
    id: string,
    fields: EvidenceFields,
    userId: string | null,
    seeded: boolean,
  ): Promise<boolean> {
    const now = new Date().toISOString()
    const inserted = await tx
      .insertInto('evidence_entries')
      .values({
        id,
        ...columns(fields),
        revision: 1,
        seeded: seeded ? 1 : 0,
        edited: 0,
        created_by: userId,
        updated_by: userId,
        created_at: now,
        updated_at: now,
      })
      .$call((q) => (seeded ? q.onConflict((oc) => oc.column('id').doNothing()) : q))
      .executeTakeFirst()
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false
    await this.recordRating(tx, id, 1, fields.rating, userId, now)
    return true
  }

  /**
   * Writes the next fields and revision if the entry is still at the revision read (and, for the
   * data file, still unedited), with the rating history; false when it was not.
   */
  private async write(tx: Queries, { current, next, userId, edited }: Write): Promise<boolean> {
    const now = new Date().toISOString()
    const revision = current.revision + 1
    const result = await tx
      .updateTable('evidence_entries')
      .set({
        ...columns(next),
        revision,
        ...(edited ? { edited: 1 } : {}),
        updated_by: userId,
        updated_at: now,
      })
      .where('id', '=', current.id)
      .where('revision', '=', current.revision)
      .$call((q) => (edited ? q : q.where('edited', '=', 0)))
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) return false
    if (JSON.stringify(current.rating) !== JSON.stringify(next.rating)) {
      await this.recordRating(tx, current.id, revision, next.rating, userId, now)
    }
    return true
  }

  private async recordRating(
    tx: Queries,
    id: string,
    revision: number,
    rating: EvidenceFields['rating'],
    userId: string | null,
    at: string,
  ): Promise<void> {
    await tx
      .insertInto('evidence_rating_history')
      .values({
        entry_id: id,
        revision,
        scheme: rating?.scheme ?? null,
        value: rating?.value ?? null,
        changed_by: userId,
        changed_at: at,
      })
      .execute()
  }
}
