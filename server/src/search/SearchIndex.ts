import {
  labelOf,
  PLAN_SECTIONS,
  PlanModel,
  SEARCH_RESULT_KINDS,
  type SearchResult,
  type SearchResultKind,
  THREAD_VISIBILITIES,
  ThreadsModel,
  type ThreadVisibility,
  threadDocName,
} from '@lever/shared'
import type { Database, Statement } from 'better-sqlite3'
import type * as Y from 'yjs'
import { preparedStatements } from '../db/preparedStatements.ts'
import { buildMatchQuery, indexableText, MATCH_END, MATCH_START, snippetHtml } from './searchQuery.ts'

/**
 * The layout of the rows a plan document turns into. Change it whenever `planRows` changes what it
 * writes: at startup, an index written with another layout is rebuilt from the stored documents.
 */
export const SEARCH_INDEX_LAYOUT = 2

/** What a result can be. */
export const SEARCH_KINDS = SEARCH_RESULT_KINDS
export type SearchKind = SearchResultKind

/** One row of the index, as a plan document or a table produces it. */
export interface SearchRow {
  kind: SearchKind
  planId: string | null
  jurisdictionId: string | null
  /** The id of the thing within its kind (section id, initiative id, thread id, session id…). */
  ref: string
  title: string
  body: string
}

/** A row as stored, to compare with what a document turns into now. */
interface StoredRow {
  id: number
  kind: string
  ref: string
  jurisdictionId: string | null
  title: string
  body: string
}

/** Results per query at most. */
const MAX_RESULTS = 40
/** Title matches weigh this much more than body matches in the ranking (bm25 column weights). */
const TITLE_WEIGHT = 8

/** The rows of one plan: the plan itself, each prose section, each initiative (threads: `threadRows`). */
export function planRows(planId: string, doc: Y.Doc): SearchRow[] {
  const plan = new PlanModel(doc)
  const snapshot = plan.snapshot()
  const jurisdictionId = snapshot.jurisdictionId || null
  const row = (kind: SearchKind, ref: string, title: string, body: string): SearchRow => ({
    kind,
    planId,
    jurisdictionId,
    ref,
    title: indexableText(title),
    body: indexableText(body),
  })
  const rows: SearchRow[] = [row('plan', planId, snapshot.title, '')]
  for (const section of PLAN_SECTIONS) {
    const text = snapshot.sections[section.id] ?? ''
    if (text.trim())
      rows.push(row('section', section.id, `${labelOf(PLAN_SECTIONS, section.id)} · ${snapshot.title}`, text))
  }
  for (const i of snapshot.initiatives) {
    const body = [
      i.description,
      i.owner,
      i.partners,
      i.risks,
      ...i.milestones.map((m) => m.title),
      ...i.metrics.map((m) => m.name),
      ...i.funding.map((f) => f.program),
      i.evidence.citation,
    ]
    rows.push(row('initiative', i.id, i.title || 'Untitled initiative', body.filter(Boolean).join('\n')))
  }
  return rows
}

/** The rows of a plan's comment threads of one visibility (its thread document). */
export function threadRows(planId: string, jurisdictionId: string | null, doc: Y.Doc): SearchRow[] {
  const rows: SearchRow[] = []
  const row = (ref: string, title: string, body: string): SearchRow => ({
    kind: 'thread',
    planId,
    jurisdictionId,
    ref,
    title: indexableText(title),
    body: indexableText(body),
  })
  for (const model of new ThreadsModel(doc).list()) {
    const t = model.snapshot()
    if (!t.id) continue
    const comments = t.comments.filter((c) => !c.deleted).map((c) => c.body)
    if (comments.length === 0) continue
    const quote = t.anchor?.kind === 'text' ? t.anchor.quote : ''
    const title = quote ? `“${quote.slice(0, 80)}”` : `Comment by ${t.authorName || 'someone'}`
    rows.push(row(t.id, title, [quote, ...comments].filter(Boolean).join('\n')))
  }
  return rows
}

/** Where a result opens in the app. */
export function resultHref(row: Pick<SearchRow, 'kind' | 'planId' | 'ref'>): string {
  const plan = row.planId ? `/plans/${encodeURIComponent(row.planId)}` : ''
  const ref = encodeURIComponent(row.ref)
  switch (row.kind) {
    case 'plan':
      return plan
    case 'section':
      return `${plan}#heading-section-${ref}`
    case 'initiative':
      return `${plan}#initiative-${ref}`
    case 'thread':
      return `${plan}?thread=${ref}`
    case 'session':
      return `/sessions/${ref}`
    case 'jurisdiction':
      return `/jurisdictions/${ref}`
    case 'evidence':
      return `/library/evidence/${ref}`
    case 'resource':
      return `/library/resources#resource-${ref}`
  }
}

/** Where a result is, as the palette shows it under the title. */
function contextOf(r: ResultRow): string {
  if (r.kind === 'evidence') return 'Evidence library'
  if (r.kind === 'resource') return 'Library resources'
  if (r.kind === 'jurisdiction') return ''
  return [r.plan_title, r.jurisdiction_name].filter(Boolean).join(' · ')
}

interface ResultRow {
  kind: SearchKind
  plan_id: string | null
  jurisdiction_id: string | null
  ref: string
  title: string
  snip: string
  plan_title: string | null
  jurisdiction_name: string | null
}

/**
 * The full-text index (SQLite FTS5, external content over `search_rows`). Plans are indexed from
 * their documents, one transaction per plan; sessions are kept current by triggers on their table;
 * jurisdictions are copied at startup. Who may see a result is decided at query time from the
 * plans the caller may read now, so sharing and coach assignments apply without reindexing.
 */
export class SearchIndex {
  private readonly sql: (sql: string) => Statement
  private readonly replacePlan: (planId: string, rows: SearchRow[]) => void
  private readonly replaceThreads: (planId: string, visibility: ThreadVisibility, rows: SearchRow[]) => void

  constructor(private readonly db: Database) {
    this.sql = preparedStatements(db)
    this.replacePlan = db.transaction((planId: string, rows: SearchRow[]) => {
      const stored = this.sql(
        "SELECT id, kind, ref, jurisdiction_id AS jurisdictionId, title, body FROM search_rows WHERE plan_id = ? AND kind != 'thread'",
      ).all(planId) as StoredRow[]
      this.rewrite(stored, rows, null)
    })
    // Team-only threads are rows with the audience 'team': found only by those who may read them.
    this.replaceThreads = db.transaction((planId: string, visibility: ThreadVisibility, rows: SearchRow[]) => {
      const stored = this.sql(
        "SELECT id, kind, ref, jurisdiction_id AS jurisdictionId, title, body FROM search_rows WHERE plan_id = ? AND kind = 'thread' AND coalesce(audience, 'all') = ?",
      ).all(planId, visibility) as StoredRow[]
      this.rewrite(stored, rows, visibility === 'team' ? 'team' : null)
    })
  }

  /**
   * Turns the stored rows of one part of a plan into `rows`, writing only the differences: each
   * row written costs the full-text index a delete and an insert of all its words, and a plan
   * being typed in is re-read every second or so with one of its fields changed.
   */
  private rewrite(stored: StoredRow[], rows: SearchRow[], audience: string | null): void {
    const keyOf = (r: { kind: string; ref: string }) => `${r.kind}\u0000${r.ref}`
    const byKey = new Map<string, StoredRow[]>()
    for (const r of stored) {
      const same = byKey.get(keyOf(r))
      if (same) same.push(r)
      else byKey.set(keyOf(r), [r])
    }
    for (const r of rows) {
      const old = byKey.get(keyOf(r))?.pop()
      if (!old) {
        this.sql(
          'INSERT INTO search_rows (kind, plan_id, jurisdiction_id, ref, title, body, audience) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(r.kind, r.planId, r.jurisdictionId, r.ref, r.title, r.body, audience)
      } else if (old.title !== r.title || old.body !== r.body || old.jurisdictionId !== r.jurisdictionId) {
        this.sql('UPDATE search_rows SET title = ?, body = ?, jurisdiction_id = ? WHERE id = ?').run(
          r.title,
          r.body,
          r.jurisdictionId,
          old.id,
        )
      }
    }
    for (const left of byKey.values())
      for (const old of left) this.sql('DELETE FROM search_rows WHERE id = ?').run(old.id)
  }

  /** Replaces a plan's rows (but its threads') with what its document holds now. */
  indexPlan(planId: string, doc: Y.Doc): void {
    this.replacePlan(planId, planRows(planId, doc))
  }

  /** The rows of a plan's threads, as their document (of either visibility) holds them now. */
  threadRowsOf(planId: string, doc: Y.Doc): SearchRow[] {
    const jurisdictionId = this.sql('SELECT jurisdiction_id FROM plans WHERE id = ?').get(planId) as
      | { jurisdiction_id: string }
      | undefined
    return threadRows(planId, jurisdictionId?.jurisdiction_id ?? null, doc)
  }

  /** Replaces the rows of a plan's threads of one visibility with what their document holds now. */
  indexThreads(planId: string, visibility: ThreadVisibility, doc: Y.Doc): void {
    this.replaceThreads(planId, visibility, this.threadRowsOf(planId, doc))
  }

  /** Replaces a plan's own rows with `rows` (computed by `planRows`). */
  writePlanRows(planId: string, rows: SearchRow[]): void {
    this.replacePlan(planId, rows)
  }

  /** Replaces the rows of a plan's threads of one visibility with `rows` (from `threadRowsOf`). */
  writeThreadRows(planId: string, visibility: ThreadVisibility, rows: SearchRow[]): void {
    this.replaceThreads(planId, visibility, rows)
  }

  /** Removes a plan's rows (the plan was deleted). */
  removePlan(planId: string): void {
    this.replacePlan(planId, [])
  }

  /** Copies the jurisdictions (names, states, agencies) into the index. */
  indexJurisdictions(list: ReadonlyArray<{ id: string; name: string; state: string; agency: string }>): void {
    this.db.transaction(() => {
      this.sql("DELETE FROM search_rows WHERE kind = 'jurisdiction'").run()
      const insert = this.sql(
        "INSERT INTO search_rows (kind, jurisdiction_id, ref, title, body) VALUES ('jurisdiction', ?, ?, ?, ?)",
      )
      for (const j of list) insert.run(j.id, j.id, indexableText(j.name), indexableText(`${j.state} ${j.agency}`))
    })()
  }

  /** The layout the stored plan rows were written with (null: never indexed). */
  storedLayout(): number | null {
    const row = this.sql("SELECT value FROM search_state WHERE key = 'layout'").get() as { value: string } | undefined
    return row ? Number(row.value) : null
  }

  /**
   * Rebuilds every plan's rows (and its threads') with `loadDoc` (by document name) when they
   * were written with another layout.
   */
  async rebuildIfStale(
    planIds: readonly string[],
    loadDoc: (docName: string) => Promise<Y.Doc | null>,
  ): Promise<number> {
    if (this.storedLayout() === SEARCH_INDEX_LAYOUT) return 0
    this.sql('DELETE FROM search_rows WHERE plan_id IS NOT NULL').run()
    let count = 0
    for (const planId of planIds) {
      const doc = await loadDoc(`plan:${planId}`)
      if (!doc) continue
      try {
        this.indexPlan(planId, doc)
        count++
      } finally {
        doc.destroy()
      }
      for (const visibility of THREAD_VISIBILITIES) {
        const threads = await loadDoc(threadDocName(planId, visibility))
        if (!threads) continue
        try {
          this.indexThreads(planId, visibility, threads)
        } finally {
          threads.destroy()
        }
      }
    }
    this.sql("INSERT OR REPLACE INTO search_state (key, value) VALUES ('layout', ?)").run(String(SEARCH_INDEX_LAYOUT))
    return count
  }

  /**
   * Searches what the caller may read: rows of the plans in `readablePlanIds` (team-only threads
   * only of the plans in `teamPlanIds`), and rows that belong to no plan (sessions,
   * jurisdictions, the library: every signed-in person reads those). Never throws on what a
   * person typed.
   */
  search(
    text: string,
    readablePlanIds: readonly string[],
    kind?: SearchKind,
    teamPlanIds: readonly string[] = [],
  ): SearchResult[] {
    const match = buildMatchQuery(text)
    if (match === null) return []
    const rows = this.sql(
      `SELECT r.kind, r.plan_id, r.jurisdiction_id, r.ref, r.title,
              snippet(search_fts, -1, ?, ?, '…', 16) AS snip,
              p.title AS plan_title, j.name AS jurisdiction_name
         FROM search_fts JOIN search_rows r ON r.id = search_fts.rowid
         LEFT JOIN plans p ON p.id = r.plan_id
         LEFT JOIN jurisdictions j ON j.id = r.jurisdiction_id
        WHERE search_fts MATCH ?
          AND (r.plan_id IS NULL OR r.plan_id IN (SELECT value FROM json_each(?)))
          AND (r.audience IS NULL OR r.plan_id IN (SELECT value FROM json_each(?)))
          AND (? IS NULL OR r.kind = ?)
        ORDER BY bm25(search_fts, ${TITLE_WEIGHT}, 1)
        LIMIT ${MAX_RESULTS}`,
    ).all(
      MATCH_START,
      MATCH_END,
      match,
      JSON.stringify(readablePlanIds),
      JSON.stringify(teamPlanIds),
      kind ?? null,
      kind ?? null,
    ) as ResultRow[]
    return rows.map((r) => ({
      kind: r.kind,
      title: r.title,
      snippet: snippetHtml(r.snip),
      ...(r.plan_id ? { planId: r.plan_id } : {}),
      ...(r.jurisdiction_id ? { jurisdictionId: r.jurisdiction_id } : {}),
      context: contextOf(r),
      href: resultHref({ kind: r.kind, planId: r.plan_id, ref: r.ref }),
    }))
  }
}
