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
import type { Database, Statement } from 'better-sqlite3'
import type { z } from 'zod'
import { SERVER_SRC } from '../config.ts'
import { preparedStatements } from '../db/preparedStatements.ts'

/** The program's evidence entries, loaded at startup (`evidence.seed.json` next to this file). */
export const EVIDENCE_SEED_FILE = path.join(SERVER_SRC, 'library', 'evidence.seed.json')

interface EntryRow {
  id: string
  title: string
  summary: string
  source_name: string
  source_url: string
  rating_scheme: string | null
  rating_value: string | null
  outcome_domains: string
  populations: string
  components: string
  levers: string
  suggested_tier: string | null
  checked_on: string | null
  checked_where: string | null
  revision: number
  seeded: number
  edited: number
  created_by: string | null
  created_at: string
  updated_at: string
}

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

/**
 * Evidence entries in SQLite. Every change raises the entry's revision (citations in plans
 * compare it with the revision they cited) and a changed rating is kept in the rating history.
 */
export class EvidenceLibrary {
  private readonly sql: (sql: string) => Statement

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
  }

  list(query: EvidenceQuery = {}): EvidenceEntry[] {
    const rows = this.sql('SELECT * FROM evidence_entries ORDER BY title COLLATE NOCASE, id').all() as EntryRow[]
    return rows.map(toEntry).filter((entry) => matchesEvidenceQuery(entry, query))
  }

  get(id: string): EvidenceEntry | null {
    const row = this.sql('SELECT * FROM evidence_entries WHERE id = ?').get(id) as EntryRow | undefined
    return row ? toEntry(row) : null
  }

  /** Every rating an entry has had, oldest first. */
  ratingHistory(id: string): Array<{ revision: number; rating: { scheme: string; value: string } | null; at: string }> {
    const rows = this.sql(
      'SELECT revision, scheme, value, changed_at FROM evidence_rating_history WHERE entry_id = ? ORDER BY revision, id',
    ).all(id) as Array<{ revision: number; scheme: string | null; value: string | null; changed_at: string }>
    return rows.map((r) => ({
      revision: r.revision,
      rating: r.scheme !== null && r.value !== null ? { scheme: r.scheme, value: r.value } : null,
      at: r.changed_at,
    }))
  }

  create(
    fields: EvidenceFields,
    userId: string | null,
    options: { id?: string; seeded?: boolean } = {},
  ): EvidenceEntry {
    const id = options.id ?? entryId(fields.title)
    const now = new Date().toISOString()
    this.db.transaction(() => {
      this.sql(
        `INSERT INTO evidence_entries (id, title, summary, source_name, source_url, rating_scheme, rating_value,
           outcome_domains, populations, components, levers, suggested_tier, checked_on, checked_where,
           revision, seeded, edited, created_by, updated_by, created_at, updated_at)
         VALUES (@id, @title, @summary, @source_name, @source_url, @rating_scheme, @rating_value,
           @outcome_domains, @populations, @components, @levers, @suggested_tier, @checked_on, @checked_where,
           1, @seeded, 0, @user, @user, @now, @now)`,
      ).run({ id, ...columns(fields), seeded: options.seeded ? 1 : 0, user: userId, now })
      this.recordRating(id, 1, fields.rating, userId, now)
    })()
    return this.get(id) as EvidenceEntry
  }

  /** Applies a facilitator's change; returns null when there is no such entry. */
  update(id: string, patch: z.output<typeof updateEvidenceRequestSchema>, userId: string | null): EvidenceEntry | null {
    const current = this.get(id)
    if (!current) return null
    const next = evidenceFieldsSchema.parse({ ...fieldsOf(current), ...patch })
    this.write(current, next, userId, { edited: true })
    return this.get(id)
  }

  /**
   * Loads the program's entries: adds those missing by id, brings entries from the file that no
   * facilitator has edited up to date with it, and leaves edited ones (and facilitators' own) alone.
   */
  seed(file: EvidenceSeedFile): { added: number; updated: number } {
    let added = 0
    let updated = 0
    this.db.transaction(() => {
      for (const { id, ...rest } of file.entries) {
        const fields = evidenceFieldsSchema.parse(rest)
        const row = this.sql('SELECT seeded, edited FROM evidence_entries WHERE id = ?').get(id) as
          | { seeded: number; edited: number }
          | undefined
        if (!row) {
          this.create(fields, null, { id, seeded: true })
          added++
          continue
        }
        if (row.seeded !== 1 || row.edited === 1) continue
        const current = this.get(id) as EvidenceEntry
        if (JSON.stringify(fieldsOf(current)) === JSON.stringify(fields)) continue
        this.write(current, fields, null, { edited: false })
        updated++
      }
    })()
    return { added, updated }
  }

  private write(current: EvidenceEntry, next: EvidenceFields, userId: string | null, { edited }: { edited: boolean }) {
    const now = new Date().toISOString()
    const revision = current.revision + 1
    this.db.transaction(() => {
      this.sql(
        `UPDATE evidence_entries SET title = @title, summary = @summary, source_name = @source_name,
           source_url = @source_url, rating_scheme = @rating_scheme, rating_value = @rating_value,
           outcome_domains = @outcome_domains, populations = @populations, components = @components,
           levers = @levers, suggested_tier = @suggested_tier, checked_on = @checked_on,
           checked_where = @checked_where, revision = @revision, edited = max(edited, @edited),
           updated_by = @user, updated_at = @now
         WHERE id = @id`,
      ).run({ id: current.id, ...columns(next), revision, edited: edited ? 1 : 0, user: userId, now })
      if (JSON.stringify(current.rating) !== JSON.stringify(next.rating)) {
        this.recordRating(current.id, revision, next.rating, userId, now)
      }
    })()
  }

  private recordRating(
    id: string,
    revision: number,
    rating: EvidenceFields['rating'],
    userId: string | null,
    at: string,
  ): void {
    this.sql(
      'INSERT INTO evidence_rating_history (entry_id, revision, scheme, value, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, revision, rating?.scheme ?? null, rating?.value ?? null, userId, at)
  }
}
