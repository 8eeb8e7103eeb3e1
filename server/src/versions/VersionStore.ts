import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { newId, type VersionKind, type VersionSummary } from '@lever/shared'
import type { Database } from 'better-sqlite3'
import * as Y from 'yjs'
import { preparedStatements } from '../db/preparedStatements.ts'
import { contentKey } from './contentKey.ts'

interface VersionRow {
  id: string
  plan_id: string
  kind: VersionKind
  name: string | null
  created_by: string | null
  created_at: number
  authors: string
  state_bytes: number
  stored_bytes: number
}

/** One stored version without its state. */
export interface VersionRecord {
  id: string
  planId: string
  kind: VersionKind
  name: string | null
  createdBy: string | null
  createdAt: number
  /** Ids of the people who changed the plan since the previous version. */
  authors: string[]
  /** Size of the state before and after compression. */
  stateBytes: number
  storedBytes: number
}

export interface NewVersion {
  planId: string
  kind: VersionKind
  name?: string | null
  createdBy?: string | null
  authors?: Iterable<string>
  /** The document to store (its full state), or its state already encoded as one update. */
  doc: Y.Doc | Uint8Array
  /** With an encoded state: its content snapshot (`contentSnapshot`) if already known. */
  snapshot?: Uint8Array
  at?: number
}

const COLUMNS = 'id, plan_id, kind, name, created_by, created_at, authors, state_bytes, length(state) AS stored_bytes'

function toRecord(row: VersionRow): VersionRecord {
  return {
    id: row.id,
    planId: row.plan_id,
    kind: row.kind,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    authors: JSON.parse(row.authors) as string[],
    stateBytes: row.state_bytes,
    storedBytes: row.stored_bytes,
  }
}

/** The state vector and delete set of a document: equal for equal content, whatever the encoding. */
export function contentSnapshot(doc: Y.Doc): Uint8Array {
  return Y.encodeSnapshot(Y.snapshot(doc))
}

/**
 * Version history of plans, beside the update log (table `plan_versions`): each version is the
 * plan's full state as one Yjs update, compressed with zlib (raw deflate), so any version can be
 * shown, compared or thinned on its own and compaction of the live log never touches it.
 */
export class VersionStore {
  private readonly sql

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
  }

  /** Stores a version and returns it (named and before-restore versions: always, a person asked for them). */
  add(input: NewVersion): VersionRecord {
    return this.insert(input, this.contentOf(input))
  }

  /**
   * Stores an automatic or event version, unless one of the plan's versions already holds exactly
   * this content: then nothing is stored and `authors` are merged into that version.
   *
   * Several Lever servers may have the same plan open, each taking its versions (an idle pause, a
   * room unloading, a status change reach every one of them), all writing this one SQLite file.
   * The look-up and the insert run in one `BEGIN IMMEDIATE` transaction, which takes SQLite's
   * write lock first: writers are serialised across processes (the others wait, `busy_timeout`),
   * and each one reads what the one before it committed. So of two servers storing the same
   * content, the second sees the first's version and stores nothing. The authors are merged
   * because each server knows best who wrote through its own connections: the second server may
   * know of people the first did not (yet).
   *
   * Any version of the plan counts, not only the newest: the state vector of a plan only grows, so
   * equal content means the same moment of the plan, even when a server a few changes behind stored
   * an older moment in between.
   */
  addOnce(input: NewVersion): { version: VersionRecord; added: boolean } {
    const content = this.contentOf(input)
    const authors = [...new Set(input.authors ?? [])].sort()
    const seen = this.withContent(input.planId, content.key)
    // Nothing changed since a version that knows these authors: the common case, without a write.
    if (seen && authors.every((a) => seen.authors.includes(a))) return { version: seen, added: false }
    let prepared = seen ? null : this.prepared(input)
    return this.db
      .transaction(() => {
        const same = this.withContent(input.planId, content.key)
        if (same) {
          const merged = [...new Set([...same.authors, ...authors])].sort()
          if (merged.length === same.authors.length) return { version: same, added: false }
          this.sql('UPDATE plan_versions SET authors = ? WHERE id = ?').run(JSON.stringify(merged), same.id)
          return { version: { ...same, authors: merged }, added: false }
        }
        prepared ??= this.prepared(input)
        return { version: this.insert(input, content, prepared), added: true }
      })
      .immediate()
  }

  /** The newest version of a plan holding content with this key (`contentKey`), or null. */
  private withContent(planId: string, key: string): VersionRecord | null {
    const row = this.sql(
      `SELECT ${COLUMNS} FROM plan_versions WHERE plan_id = ? AND content_key = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    ).get(planId, key) as VersionRow | undefined
    return row ? toRecord(row) : null
  }

  /** The snapshot of a new version's content and its key. */
  private contentOf(input: NewVersion): { snapshot: Uint8Array; key: string } {
    let snapshot: Y.Snapshot
    if (input.doc instanceof Y.Doc) snapshot = Y.snapshot(input.doc)
    else if (input.snapshot) snapshot = Y.decodeSnapshot(input.snapshot)
    else {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, input.doc)
      snapshot = Y.snapshot(doc)
      doc.destroy()
    }
    const encoded = Y.encodeSnapshot(snapshot)
    return { snapshot: encoded, key: contentKey(encoded) }
  }

  /** A new version's state, as stored (compressed) and its size before compression. */
  private prepared(input: NewVersion): { compressed: Buffer; bytes: number } {
    const state = input.doc instanceof Y.Doc ? Y.encodeStateAsUpdate(input.doc) : input.doc
    return { compressed: deflateRawSync(state), bytes: state.byteLength }
  }

  private insert(
    input: NewVersion,
    content: { snapshot: Uint8Array; key: string },
    state = this.prepared(input),
  ): VersionRecord {
    const id = newId()
    const authors = [...new Set(input.authors ?? [])].sort()
    this.sql(
      'INSERT INTO plan_versions (id, plan_id, kind, name, created_by, created_at, authors, state, state_bytes, snapshot, content_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      id,
      input.planId,
      input.kind,
      input.name ?? null,
      input.createdBy ?? null,
      input.at ?? Date.now(),
      JSON.stringify(authors),
      state.compressed,
      state.bytes,
      content.snapshot,
      content.key,
    )
    return this.get(input.planId, id) as VersionRecord
  }

  /** A plan's versions, newest first. */
  list(planId: string): VersionRecord[] {
    const rows = this.sql(
      `SELECT ${COLUMNS} FROM plan_versions WHERE plan_id = ? ORDER BY created_at DESC, rowid DESC`,
    ).all(planId) as VersionRow[]
    return rows.map(toRecord)
  }

  get(planId: string, versionId: string): VersionRecord | null {
    const row = this.sql(`SELECT ${COLUMNS} FROM plan_versions WHERE plan_id = ? AND id = ?`).get(planId, versionId) as
      | VersionRow
      | undefined
    return row ? toRecord(row) : null
  }

  /** The newest version of a plan, or null. */
  latest(planId: string): VersionRecord | null {
    const row = this.sql(
      `SELECT ${COLUMNS} FROM plan_versions WHERE plan_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1`,
    ).get(planId) as VersionRow | undefined
    return row ? toRecord(row) : null
  }

  /** True when the plan's newest version holds exactly this content. */
  isLatest(planId: string, doc: Y.Doc): boolean {
    const row = this.sql(
      'SELECT snapshot FROM plan_versions WHERE plan_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
    ).get(planId) as { snapshot: Uint8Array } | undefined
    if (!row) return false
    return Y.equalSnapshots(Y.decodeSnapshot(row.snapshot), Y.snapshot(doc))
  }

  /** The stored state of a version as one Yjs update, or null. */
  loadState(planId: string, versionId: string): Uint8Array | null {
    const row = this.sql('SELECT state FROM plan_versions WHERE plan_id = ? AND id = ?').get(planId, versionId) as
      | { state: Uint8Array }
      | undefined
    return row ? new Uint8Array(inflateRawSync(row.state)) : null
  }

  /**
   * The plan exactly as a version holds it, as a new Y.Doc (for showing, comparing, restoring
   * and exporting a version), or null when the plan has no such version.
   */
  loadVersionDoc(planId: string, versionId: string): Y.Doc | null {
    const state = this.loadState(planId, versionId)
    if (!state) return null
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    return doc
  }

  /** Renames a version; naming an automatic one keeps it for good. */
  rename(planId: string, versionId: string, name: string): VersionRecord | null {
    this.sql(
      `UPDATE plan_versions SET name = ?, kind = CASE kind WHEN 'auto' THEN 'named' ELSE kind END WHERE plan_id = ? AND id = ?`,
    ).run(name, planId, versionId)
    return this.get(planId, versionId)
  }

  /**
   * Deletes versions and hands their authors to the next newer version kept, so "who changed the
   * plan since the previous version" stays true. Runs in one transaction.
   */
  remove(planId: string, versionIds: ReadonlySet<string>): number {
    if (versionIds.size === 0) return 0
    return this.db.transaction(() => {
      const oldestFirst = this.list(planId).reverse()
      let carried = new Set<string>()
      let removed = 0
      for (const v of oldestFirst) {
        if (versionIds.has(v.id)) {
          for (const a of v.authors) carried.add(a)
          this.sql('DELETE FROM plan_versions WHERE id = ?').run(v.id)
          removed++
        } else if (carried.size > 0) {
          const authors = [...new Set([...v.authors, ...carried])].sort()
          this.sql('UPDATE plan_versions SET authors = ? WHERE id = ?').run(JSON.stringify(authors), v.id)
          carried = new Set()
        }
      }
      return removed
    })()
  }

  /** How many versions of these kinds a plan got since `sinceMs` (to bound how fast people can add them). */
  countSince(planId: string, kinds: readonly VersionKind[], sinceMs: number): number {
    const rows = this.sql('SELECT kind FROM plan_versions WHERE plan_id = ? AND created_at >= ?').all(
      planId,
      sinceMs,
    ) as Array<{
      kind: VersionKind
    }>
    return rows.filter((r) => kinds.includes(r.kind)).length
  }

  /** Bytes stored for a plan's versions (compressed states). */
  storedBytes(planId: string): number {
    const row = this.sql('SELECT COALESCE(SUM(length(state)), 0) AS bytes FROM plan_versions WHERE plan_id = ?').get(
      planId,
    ) as { bytes: number }
    return row.bytes
  }

  /** The API shape of versions, with people's names. */
  summaries(records: VersionRecord[]): VersionSummary[] {
    const names = new Map<string, string>()
    const nameOf = (id: string) => {
      let name = names.get(id)
      if (name === undefined) {
        const row = this.sql('SELECT name FROM users WHERE id = ?').get(id) as { name: string } | undefined
        name = row?.name ?? 'Someone no longer here'
        names.set(id, name)
      }
      return { id, name }
    }
    return records.map((v) => ({
      id: v.id,
      kind: v.kind,
      name: v.name,
      createdAt: new Date(v.createdAt).toISOString(),
      createdBy: v.createdBy ? nameOf(v.createdBy) : null,
      authors: v.authors.map(nameOf),
    }))
  }
}
