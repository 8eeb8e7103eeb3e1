import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { newId, type VersionKind, type VersionSummary } from '@lever/shared'
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely'
import * as Y from 'yjs'
import { type Db, dialectOf } from '../db/queries.ts'
import { first, type QueryScript, rows, run, type ScriptRunner } from '../db/queryScripts.ts'

import type { Tables } from '../db/tables.ts'
import { contentKey } from './contentKey.ts'
import { DEFAULT_MAX_VERSION_BYTES_PER_PLAN } from './retention.ts'

interface VersionRow {
  id: string
  plan_id: string
  kind: string
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

/**
 * A new version read off its document at once: everything the insert needs, so the live
 * document may go on changing (or be destroyed) while the version is being written.
 */
export interface PreparedVersion {
  planId: string
  kind: VersionKind
  name: string | null
  createdBy: string | null
  authors: string[]
  at: number
  /** The content snapshot (encoded) and its key. */
  snapshot: Uint8Array
  key: string
  /** The state, encoded as one update (compressed when written). */
  state: Uint8Array
}

function toRecord(row: VersionRow): VersionRecord {
  return {
    id: row.id,
    planId: row.plan_id,
    kind: row.kind as VersionKind,
    name: row.name,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    authors: JSON.parse(row.authors) as string[],
    stateBytes: row.state_bytes,
    storedBytes: Number(row.stored_bytes),
  }
}

/** The state vector and delete set of a document: equal for equal content, whatever the encoding. */
export function contentSnapshot(doc: Y.Doc): Uint8Array {
  return Y.encodeSnapshot(Y.snapshot(doc))
}

/** The kinds of version `makeRoom` deletes to stay within a plan's budget, in this order (never `named`). */
const REMOVED_FIRST: readonly VersionKind[] = ['auto', 'event', 'before-restore']

/** SQLite's parameter limit is ~999 per statement: look people up in chunks of this many. */
const CHUNK = 500

/**
 * A version the plan's history has no room for: its stored versions would pass the plan's budget
 * even without its oldest automatic versions. Nothing was stored or deleted.
 */
export class VersionHistoryFull extends Error {
  constructor(
    readonly planId: string,
    /** The plan's budget of stored bytes. */
    readonly maxBytes: number,
  ) {
    super(`the version history of plan ${planId} is full (${maxBytes} stored bytes)`)
    this.name = 'VersionHistoryFull'
  }
}

/**
 * The authors to write when the versions in `drop` are deleted: each one's authors go to the next
 * newer version kept, so "who changed the plan since the previous version" stays true.
 */
function authorsHandedOn(
  oldestFirst: ReadonlyArray<{ id: string; authors: string[] }>,
  drop: ReadonlySet<string>,
): { updates: Map<string, string[]>; left: string[] } {
  const updates = new Map<string, string[]>()
  let carried = new Set<string>()
  for (const v of oldestFirst) {
    if (drop.has(v.id)) for (const a of v.authors) carried.add(a)
    else if (carried.size > 0) {
      updates.set(v.id, [...new Set([...v.authors, ...carried])].sort())
      carried = new Set()
    }
  }
  // Deleted after the newest version kept: nobody newer to take them.
  return { updates, left: [...carried].sort() }
}

/**
 * Version history of plans, beside the update log (table `plan_versions`): each version is the
 * plan's full state as one Yjs update, compressed with zlib (raw deflate), so any version can be
 * shown, compared or thinned on its own and compaction of the live log never touches it.
 */
export class VersionStore {
  /** Runs `addOnce`'s script under the database's write lock (see `locked`). */
  readonly locked: ScriptRunner
  /** Stored (compressed) bytes of versions one plan may hold (see `makeRoom`). */
  readonly maxBytesPerPlan: number

  /**
   * `options.locked`: on SQLite, `sqliteImmediateRunner` of the connection under `db` (the
   * default takes the write lock through the query layer, fine for one connection per database).
   * `options.maxBytesPerPlan`: the plan's budget of stored bytes (default
   * `DEFAULT_MAX_VERSION_BYTES_PER_PLAN`).
   */
  constructor(
    private readonly db: Db,
    options: { locked?: ScriptRunner; maxBytesPerPlan?: number } = {},
  ) {
    this.locked = options.locked ?? ((script) => this.lockedWithQueries(script))
    this.maxBytesPerPlan = options.maxBytesPerPlan ?? DEFAULT_MAX_VERSION_BYTES_PER_PLAN
  }

  /**
   * Reads a new version off its document now (synchronously): the caller may change or destroy
   * the document as soon as this returns.
   */
  prepare(input: NewVersion): PreparedVersion {
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
    return {
      planId: input.planId,
      kind: input.kind,
      name: input.name ?? null,
      createdBy: input.createdBy ?? null,
      authors: [...new Set(input.authors ?? [])].sort(),
      at: input.at ?? Date.now(),
      snapshot: encoded,
      key: contentKey(encoded),
      state: input.doc instanceof Y.Doc ? Y.encodeStateAsUpdate(input.doc) : input.doc,
    }
  }

  /**
   * Stores a version and returns it (named and before-restore versions: always, a person asked
   * for them). The document is read before this returns. Rejects with `VersionHistoryFull` when
   * the plan's history has no room for it (see `makeRoom`).
   */
  async add(input: NewVersion | PreparedVersion): Promise<VersionRecord> {
    const version = 'key' in input ? input : this.prepare(input)
    const stored = await this.locked(() => this.addOnceScript(version, { always: true }))
    return this.stored(version, stored)
  }

  /**
   * Stores an automatic or event version, unless one of the plan's versions already holds exactly
   * this content: then nothing is stored and `authors` are merged into that version. The
   * document is read before this returns.
   *
   * Several Lever servers may have the same plan open, each taking its versions (an idle pause, a
   * room unloading, a status change reach every one of them), all writing one database. The
   * look-up and the insert run in one transaction that first takes a lock only one server holds
   * at a time (see `addOnceScript`), and each one reads what the one before it committed. So of
   * two servers storing the same content, the second sees the first's version and stores
   * nothing. The authors are merged because each server knows best who wrote through its own
   * connections: the second server may know of people the first did not (yet).
   *
   * Any version of the plan counts, not only the newest: the state vector of a plan only grows, so
   * equal content means the same moment of the plan, even when a server a few changes behind stored
   * an older moment in between.
   *
   * Rejects with `VersionHistoryFull` when the plan's history has no room for a new version.
   */
  addOnce(input: NewVersion | PreparedVersion): Promise<{ version: VersionRecord; added: boolean }> {
    const version = 'key' in input ? input : this.prepare(input)
    return this.addPrepared(version)
  }

  /**
   * `addOnce` during continuous editing: nothing is stored when the newest version was taken
   * after `since` and less than `withinMs` ago (another server took this interval's version);
   * `newerAt` then says when it was taken. Decided under the same lock as the insert. Rejects
   * with `VersionHistoryFull` when the plan's history has no room for it.
   */
  async addUnlessNewer(
    version: PreparedVersion,
    unlessNewer: { since: number; withinMs: number },
  ): Promise<{ version: VersionRecord | null; added: boolean; newerAt?: number }> {
    const outcome = await this.locked(() => this.addOnceScript(version, { unlessNewer }))
    if (outcome.full) throw new VersionHistoryFull(version.planId, this.maxBytesPerPlan)
    return outcome
  }

  private async addPrepared(version: PreparedVersion): Promise<{ version: VersionRecord; added: boolean }> {
    const seen = await this.withContent(this.db, version.planId, version.key)
    // Nothing changed since a version that knows these authors: the common case, without a write.
    if (seen && version.authors.every((a) => seen.authors.includes(a))) return { version: seen, added: false }
    const outcome = await this.locked(() => this.addOnceScript(version))
    return { version: this.stored(version, outcome), added: outcome.added }
  }

  /** The version a script found or stored (without `unlessAny` or `unlessNewer` it always has one, unless full). */
  private stored(version: PreparedVersion, outcome: { version: VersionRecord | null; full?: true }): VersionRecord {
    if (outcome.full || !outcome.version) throw new VersionHistoryFull(version.planId, this.maxBytesPerPlan)
    return outcome.version
  }

  /**
   * `addOnce` as a script of queries, to run with a `ScriptRunner` (along with the document
   * store's next commit on SQLite, in a transaction on PostgreSQL) or by `addOnce` itself.
   * `unlessAny`: store nothing when the plan has any version already (its first version, taken
   * by every server that loads the plan). `unlessNewer`: store nothing when the plan's newest
   * version was taken after `since` and less than `withinMs` before this one (during continuous
   * editing, when another server took the interval's version first); `newerAt` then says when.
   * `always`: store even when a version holds this content already (named and before-restore
   * versions: a person asked for them). Nothing is stored either when the plan's history has no
   * room for the version (`full`, see `makeRoom`).
   *
   * On PostgreSQL the script first takes a transaction-scoped advisory lock keyed on the plan's
   * versions (`pg_advisory_xact_lock`), released at commit or rollback: "look for this content,
   * then insert" is then serialised across servers for that plan only. A row lock on the plan
   * (`SELECT … FOR UPDATE`) would do as well, but would also hold up every write to the plan's
   * row (its title and `updated_at` follow each change) behind version writes. On SQLite the
   * caller runs the script holding the database's write lock (`BEGIN IMMEDIATE` in `addOnce`, the
   * group commit's transaction otherwise), which serialises writers across processes.
   */
  *addOnceScript(
    version: PreparedVersion,
    options: { unlessAny?: boolean; unlessNewer?: { since: number; withinMs: number }; always?: boolean } = {},
  ): QueryScript<{ version: VersionRecord | null; added: boolean; newerAt?: number; full?: true }> {
    const db = this.db
    if (dialectOf(db) === 'postgres') {
      const key = `plan_versions:${version.planId}`
      yield* first(db.selectNoFrom(sql`pg_advisory_xact_lock(hashtextextended(${key}, 0))`.as('locked')))
    }
    if (options.unlessAny) {
      const any = yield* first(
        db.selectFrom('plan_versions').select('id').where('plan_id', '=', version.planId).limit(1),
      )
      if (any) return { version: null, added: false }
    }
    if (options.unlessNewer) {
      const { since, withinMs } = options.unlessNewer
      const newest = yield* first(
        db
          .selectFrom('plan_versions')
          .select('created_at')
          .where('plan_id', '=', version.planId)
          .orderBy('created_at', 'desc')
          .limit(1),
      )
      const at = newest ? Number(newest.created_at) : null
      if (at !== null && at > since && version.at - at < withinMs) return { version: null, added: false, newerAt: at }
    }
    const row = options.always
      ? undefined
      : yield* first(
          this.newestFirst(
            this.columns(db).where('plan_id', '=', version.planId).where('content_key', '=', version.key),
            db,
          ).limit(1),
        )
    if (row) {
      const same = toRecord(row)
      const merged = [...new Set([...same.authors, ...version.authors])].sort()
      if (merged.length === same.authors.length) return { version: same, added: false }
      yield* run(
        db
          .updateTable('plan_versions')
          .set({ authors: JSON.stringify(merged) })
          .where('id', '=', same.id),
      )
      return { version: { ...same, authors: merged }, added: false }
    }
    const compressed = deflateRawSync(version.state)
    const handedOn = yield* this.makeRoom(version.planId, compressed.byteLength, version.kind)
    if (handedOn === null) return { version: null, added: false, full: true }
    const authors = handedOn.length > 0 ? [...new Set([...version.authors, ...handedOn])].sort() : version.authors
    const id = newId()
    yield* run(db.insertInto('plan_versions').values(this.rowOf(id, { ...version, authors }, compressed)))
    return {
      version: {
        id,
        planId: version.planId,
        kind: version.kind,
        name: version.name,
        createdBy: version.createdBy,
        createdAt: version.at,
        authors,
        stateBytes: version.state.byteLength,
        storedBytes: compressed.byteLength,
      },
      added: true,
    }
  }

  /**
   * Makes room for a new version of `bytes` stored bytes within the plan's budget
   * (`maxBytesPerPlan`): when the plan's versions and the new one would pass it, deletes the plan's
   * oldest versions that nobody named until they fit: automatic ones first, then those taken at
   * events (a status change, a session's end), then those taken before restores. A named version
   * is never deleted. Answers the authors of deleted versions that no older-than-new version kept
   * took over (`remove` hands authors to the next newer version; past the newest, that is the new
   * one), or null when even deleting every unnamed version would not make room (named versions
   * fill the budget): then nothing is deleted, except for a version taken before a restore, which
   * is stored anyway (a restore must stay possible; the next one deletes it first, so the history
   * passes its budget by one version at most). Part of `addOnceScript`, under its lock, so two
   * versions stored at once cannot both take the last room.
   */
  private *makeRoom(planId: string, bytes: number, kind: VersionKind): QueryScript<string[] | null> {
    const db = this.db
    const total = yield* first(
      db
        .selectFrom('plan_versions')
        .select(sql<number>`coalesce(sum(length(state)), 0)`.as('bytes'))
        .where('plan_id', '=', planId),
    )
    let over = Number(total?.bytes ?? 0) + bytes - this.maxBytesPerPlan
    if (over <= 0) return []
    const versions = yield* rows(
      this.newestFirst(
        db
          .selectFrom('plan_versions')
          .select((eb) => ['id', 'kind', 'authors', eb.fn<number>('length', ['state']).as('stored_bytes')])
          .where('plan_id', '=', planId),
        db,
      ),
    )
    const oldestFirst = versions.reverse().map((v) => ({ ...v, authors: JSON.parse(v.authors) as string[] }))
    const drop = new Set<string>()
    for (const kindToDrop of REMOVED_FIRST) {
      for (const v of oldestFirst) {
        if (over <= 0) break
        if (v.kind !== kindToDrop) continue
        drop.add(v.id)
        over -= Number(v.stored_bytes)
      }
    }
    if (over > 0 && kind !== 'before-restore') return null
    for (const id of drop) yield* run(db.deleteFrom('plan_versions').where('id', '=', id))
    // The new version comes after every one kept: it takes what the newest deleted ones carried.
    const { updates, left } = authorsHandedOn(oldestFirst, drop)
    for (const [id, authors] of updates) {
      yield* run(
        db
          .updateTable('plan_versions')
          .set({ authors: JSON.stringify(authors) })
          .where('id', '=', id),
      )
    }
    return left
  }

  /**
   * Runs a script of this store's queries atomically under the database's write lock: on SQLite
   * in a `BEGIN IMMEDIATE` transaction (SQLite's write lock first, so writers on other
   * connections and processes wait, `busy_timeout`, and then read what the one before committed),
   * on PostgreSQL in a transaction (the script takes its own lock).
   */
  private async lockedWithQueries<T>(script: () => QueryScript<T>): Promise<T> {
    const drive = async (conn: Kysely<Tables>) => {
      const steps = script()
      let step = steps.next()
      while (!step.done) {
        const result = await conn.executeQuery(step.value.compile())
        step = steps.next({ rows: result.rows, changes: Number(result.numAffectedRows ?? 0n) })
      }
      return step.value
    }
    if (dialectOf(this.db) === 'postgres') return this.db.transaction().execute(drive)
    // Kysely's SQLite transactions begin DEFERRED, which would take the write lock only at the
    // insert, after the look-up: a connection of its own for the duration, begun IMMEDIATE.
    return this.db.connection().execute(async (conn) => {
      await sql`BEGIN IMMEDIATE`.execute(conn)
      try {
        const value = await drive(conn)
        await sql`COMMIT`.execute(conn)
        return value
      } catch (error) {
        await sql`ROLLBACK`.execute(conn).catch(() => {})
        throw error
      }
    })
  }

  /** The newest version of a plan holding content with this key (`contentKey`), or null. */
  private async withContent(db: Kysely<Tables>, planId: string, key: string): Promise<VersionRecord | null> {
    const row = await this.newestFirst(
      this.columns(db).where('plan_id', '=', planId).where('content_key', '=', key),
      db,
    )
      .limit(1)
      .executeTakeFirst()
    return row ? toRecord(row) : null
  }

  private columns(db: Kysely<Tables>) {
    return db
      .selectFrom('plan_versions')
      .select((eb) => [
        'id',
        'plan_id',
        'kind',
        'name',
        'created_by',
        'created_at',
        'authors',
        'state_bytes',
        eb.fn<number>('length', ['state']).as('stored_bytes'),
      ])
  }

  /**
   * Newest first; versions taken in the same millisecond in the order they were stored (SQLite's
   * rowid). PostgreSQL's table has no insertion order to sort by, so there they fall back on their
   * ids (a stable order, not the insertion order).
   */
  private newestFirst<O>(
    query: SelectQueryBuilder<Tables, 'plan_versions', O>,
    db: Kysely<Tables>,
  ): SelectQueryBuilder<Tables, 'plan_versions', O> {
    const ordered = query.orderBy('created_at', 'desc')
    return dialectOf(db) === 'sqlite' ? ordered.orderBy(sql`rowid`, 'desc') : ordered.orderBy('id', 'desc')
  }

  private rowOf(id: string, version: PreparedVersion, compressed: Buffer) {
    return {
      id,
      plan_id: version.planId,
      kind: version.kind,
      name: version.name,
      created_by: version.createdBy,
      created_at: version.at,
      authors: JSON.stringify(version.authors),
      state: compressed,
      state_bytes: version.state.byteLength,
      snapshot: Buffer.from(version.snapshot),
      content_key: version.key,
    }
  }

  /** A plan's versions, newest first. */
  async list(planId: string): Promise<VersionRecord[]> {
    return this.listWith(this.db, planId)
  }

  private async listWith(db: Kysely<Tables>, planId: string): Promise<VersionRecord[]> {
    const rows = await this.newestFirst(this.columns(db).where('plan_id', '=', planId), db).execute()
    return rows.map(toRecord)
  }

  async get(planId: string, versionId: string): Promise<VersionRecord | null> {
    return this.getWith(this.db, planId, versionId)
  }

  private async getWith(db: Kysely<Tables>, planId: string, versionId: string): Promise<VersionRecord | null> {
    const row = await this.columns(db).where('plan_id', '=', planId).where('id', '=', versionId).executeTakeFirst()
    return row ? toRecord(row) : null
  }

  /** The newest version of a plan, or null. */
  async latest(planId: string): Promise<VersionRecord | null> {
    const row = await this.newestFirst(this.columns(this.db).where('plan_id', '=', planId), this.db)
      .limit(1)
      .executeTakeFirst()
    return row ? toRecord(row) : null
  }

  /**
   * True when the plan's newest version holds exactly the content `doc` has now (read before
   * this returns: later changes to `doc` do not count).
   */
  isLatest(planId: string, doc: Y.Doc): Promise<boolean> {
    const now = Y.snapshot(doc)
    return this.newestFirst(
      this.db.selectFrom('plan_versions').select('snapshot').where('plan_id', '=', planId),
      this.db,
    )
      .limit(1)
      .executeTakeFirst()
      .then((row) => (row ? Y.equalSnapshots(Y.decodeSnapshot(row.snapshot), now) : false))
  }

  /** The stored state of a version as one Yjs update, or null. */
  async loadState(planId: string, versionId: string): Promise<Uint8Array | null> {
    const row = await this.db
      .selectFrom('plan_versions')
      .select('state')
      .where('plan_id', '=', planId)
      .where('id', '=', versionId)
      .executeTakeFirst()
    return row ? new Uint8Array(inflateRawSync(row.state)) : null
  }

  /**
   * The plan exactly as a version holds it, as a new Y.Doc (for showing, comparing, restoring
   * and exporting a version), or null when the plan has no such version.
   */
  async loadVersionDoc(planId: string, versionId: string): Promise<Y.Doc | null> {
    const state = await this.loadState(planId, versionId)
    if (!state) return null
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    return doc
  }

  /** Renames a version; naming an automatic one keeps it for good. */
  async rename(planId: string, versionId: string, name: string): Promise<VersionRecord | null> {
    await this.db
      .updateTable('plan_versions')
      .set((eb) => ({
        name,
        kind: eb.case().when('kind', '=', 'auto').then('named').else(eb.ref('kind')).end(),
      }))
      .where('plan_id', '=', planId)
      .where('id', '=', versionId)
      .execute()
    return this.get(planId, versionId)
  }

  /**
   * Deletes versions and hands their authors to the next newer version kept, so "who changed the
   * plan since the previous version" stays true. Runs in one transaction.
   */
  async remove(planId: string, versionIds: ReadonlySet<string>): Promise<number> {
    if (versionIds.size === 0) return 0
    return this.db.transaction().execute(async (tx) => {
      const oldestFirst = (await this.listWith(tx, planId)).reverse()
      let removed = 0
      for (const v of oldestFirst) {
        if (!versionIds.has(v.id)) continue
        const deleted = await tx.deleteFrom('plan_versions').where('id', '=', v.id).executeTakeFirst()
        removed += Number(deleted.numDeletedRows)
      }
      for (const [id, authors] of authorsHandedOn(oldestFirst, versionIds).updates) {
        await tx
          .updateTable('plan_versions')
          .set({ authors: JSON.stringify(authors) })
          .where('id', '=', id)
          .execute()
      }
      return removed
    })
  }

  /** How many versions of these kinds a plan got since `sinceMs` (to bound how fast people can add them). */
  async countSince(planId: string, kinds: readonly VersionKind[], sinceMs: number): Promise<number> {
    if (kinds.length === 0) return 0
    const row = await this.db
      .selectFrom('plan_versions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('plan_id', '=', planId)
      .where('created_at', '>=', sinceMs)
      .where('kind', 'in', [...kinds])
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Bytes stored for a plan's versions (compressed states). */
  async storedBytes(planId: string): Promise<number> {
    const row = await this.db
      .selectFrom('plan_versions')
      .select(sql<number>`coalesce(sum(length(state)), 0)`.as('bytes'))
      .where('plan_id', '=', planId)
      .executeTakeFirstOrThrow()
    return Number(row.bytes)
  }

  /** The API shape of versions, with people's names. */
  async summaries(records: VersionRecord[]): Promise<VersionSummary[]> {
    const ids = [...new Set(records.flatMap((v) => [...v.authors, ...(v.createdBy ? [v.createdBy] : [])]))]
    const names = new Map<string, string>()
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('users')
        .select(['id', 'name'])
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()
      for (const row of rows) names.set(row.id, row.name)
    }
    const nameOf = (id: string) => ({ id, name: names.get(id) ?? 'Someone no longer here' })
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
