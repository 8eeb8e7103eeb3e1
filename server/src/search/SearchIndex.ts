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
import { type Expression, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely'
import type * as Y from 'yjs'
import { type Db, dialectOf } from '../db/queries.ts'
import { rows as allRows, first, type QueryScript, run, transactionRunner } from '../db/queryScripts.ts'
import {
  ftsMatchQuery,
  indexableText,
  MATCH_END,
  MATCH_START,
  queryWords,
  snippetHtml,
  snippetOf,
} from './searchQuery.ts'

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
/** Rows inserted per statement when copying the jurisdictions (5 parameters each). */
const INSERT_CHUNK = 100

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

/** The full-text table of SQLite (FTS5, external content over `search_rows`), for joining to it. */
type FtsTables = { search_fts: { rowid: number } }

/** How one engine matches, ranks and cuts snippets: the one part of a search that differs. */
interface TextMatch {
  /** Adds the engine's full-text table to the query, if it has one. */
  // biome-ignore lint/suspicious/noExplicitAny: joined on the shared query, whose type it does not change
  join(query: SelectQueryBuilder<any, any, any>): SelectQueryBuilder<any, any, any>
  /** True for rows holding every word (the last as a prefix). */
  matches: Expression<SqlBool>
  /** Lower ranks first. */
  rank: Expression<number>
  /** What the snippet is made from (`snip` of the row). */
  snippetSource: RawBuilder<string>
  /** The snippet, as safe HTML, of a result row. */
  snippet(row: ResultRow): string
  /** True for rows whose column `column` is one of `ids`. */
  among(column: string, ids: readonly string[]): Expression<SqlBool>
}

/**
 * A `to_tsquery('simple', …)` of `queryWords`' words as PostgreSQL's indexed words hold them: each
 * word folded by `lever_search_fold` (as the index folds titles and bodies: lower case, no accents,
 * a break at every run of other characters than letters and digits) and quoted, so a word that
 * folds into several (a Devanagari word, whose vowel signs break words on both engines) is a phrase
 * of them and one that folds into none is left out, as FTS5 reads its quoted words; the last one a
 * prefix (of each of its parts, where FTS5 has only its last part a prefix). Every word is a bound parameter, and
 * folded words hold only letters, digits and spaces, so nothing in them is an operator.
 * `operator` joins the words: `&` (all of them, for matching) or `|` (for ranking, see below).
 */
function tsQuery(words: readonly string[], operator: '&' | '|'): RawBuilder<unknown> {
  const last = words.length - 1
  const operands = words.map((w, i) => {
    const quoted = sql`quote_literal(' ' || lever_search_fold(${w}) || ' ')`
    return i === last ? sql`${quoted} || ':*'` : quoted
  })
  return sql`to_tsquery('simple', ${sql.join(operands, sql.raw(` || ' ${operator} ' || `))})`
}

/** `ts_rank`'s normalization: the rank divided by 1 + the logarithm of the row's length in words. */
const RANK_BY_LOG_LENGTH = 1

/**
 * Full-text matching per engine. SQLite: FTS5 `MATCH` of quoted words, `bm25` with the title
 * weighing `TITLE_WEIGHT` times the body, FTS5's `snippet`. PostgreSQL: the generated `words`
 * tsvector (title weight A, body B, folded as FTS5 folds) against the same words (`tsQuery`), the
 * snippet cut here (`snippetOf`). Its rank comes close to bm25: `ts_rank` with A weighing
 * `TITLE_WEIGHT` times B, of the words joined by `|` (ts_rank sums what each word's occurrences
 * weigh, with diminishing returns, as bm25 sums its terms' scores; given `&` it would score the
 * distance between the words instead), divided by the log of the row's length (bm25 favours a
 * shorter row holding the same matches). Both engines then order ties by row id. Id lists go as
 * one JSON or array parameter, however many plans a person may read.
 */
function textMatch(db: Db, words: readonly string[]): TextMatch {
  if (dialectOf(db) === 'postgres') {
    // Weights of D, C, B (body), A (title).
    const weights = sql.raw(`'{0.1, 0.1, ${1 / TITLE_WEIGHT}, 1}'::float4[]`)
    const normalization = sql.raw(String(RANK_BY_LOG_LENGTH))
    return {
      join: (q) => q,
      matches: sql<SqlBool>`r.words @@ ${tsQuery(words, '&')}`,
      rank: sql<number>`-ts_rank(${weights}, r.words, ${tsQuery(words, '|')}, ${normalization})`,
      snippetSource: sql<string>`r.body`,
      snippet: (row) => snippetHtml(snippetOf(row.title, row.snip, words)),
      among: (column, ids) => sql<SqlBool>`${sql.ref(column)} = ANY(${[...ids]}::text[])`,
    }
  }
  return {
    join: (q) => q.innerJoin('search_fts', 'search_fts.rowid', 'r.id'),
    matches: sql<SqlBool>`search_fts MATCH ${ftsMatchQuery(words)}`,
    rank: sql<number>`bm25(search_fts, ${sql.raw(String(TITLE_WEIGHT))}, 1)`,
    snippetSource: sql<string>`snippet(search_fts, -1, ${MATCH_START}, ${MATCH_END}, '…', 16)`,
    snippet: (row) => snippetHtml(row.snip),
    among: (column, ids) => sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`,
  }
}

/** The columns of a stored row that `rewrite` compares. */
function storedColumns(db: Db) {
  return db
    .selectFrom('search_rows')
    .select(['id', 'kind', 'ref', 'jurisdiction_id as jurisdictionId', 'title', 'body'])
}

/**
 * Turns the stored rows of one part of a plan into `rows`, writing only the differences: each
 * row written costs the full-text index a delete and an insert of all its words, and a plan
 * being typed in is re-read every second or so with one of its fields changed.
 */
function* rewrite(db: Db, stored: StoredRow[], rows: SearchRow[], audience: string | null): QueryScript<void> {
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
      yield* run(
        db.insertInto('search_rows').values({
          kind: r.kind,
          plan_id: r.planId,
          jurisdiction_id: r.jurisdictionId,
          ref: r.ref,
          title: r.title,
          body: r.body,
          audience,
        }),
      )
    } else if (old.title !== r.title || old.body !== r.body || old.jurisdictionId !== r.jurisdictionId) {
      yield* run(
        db
          .updateTable('search_rows')
          .set({ title: r.title, body: r.body, jurisdiction_id: r.jurisdictionId })
          .where('id', '=', old.id),
      )
    }
  }
  for (const left of byKey.values())
    for (const old of left) yield* run(db.deleteFrom('search_rows').where('id', '=', old.id))
}

/**
 * The full-text index: `search_rows`, matched by SQLite's FTS5 table over it or PostgreSQL's
 * generated tsvector. Plans are indexed from their documents, each plan's part in one script
 * (`planRowsScript`, `threadRowsScript`: atomic, and in the server written along with the
 * document store's commit); sessions and the library are kept current by triggers on their
 * tables; jurisdictions are copied at startup. Who may see a result is decided at query time from
 * the plans the caller may read now, so sharing and coach assignments apply without reindexing.
 */
export class SearchIndex {
  private readonly write

  constructor(readonly db: Db) {
    this.write = transactionRunner(db)
  }

  /** The script replacing a plan's rows (but its threads') with `rows` (computed by `planRows`). */
  planRowsScript(planId: string, rows: SearchRow[]): QueryScript<void> {
    const db = this.db
    return (function* () {
      const stored = yield* allRows(storedColumns(db).where('plan_id', '=', planId).where('kind', '!=', 'thread'))
      yield* rewrite(db, stored, rows, null)
    })()
  }

  /**
   * The script replacing the rows of a plan's threads of one visibility with `rows` (computed by
   * `threadRows`), in the plan's jurisdiction as stored now. Team-only threads are rows with the
   * audience 'team': found only by those who may read them.
   */
  threadRowsScript(planId: string, visibility: ThreadVisibility, rows: SearchRow[]): QueryScript<void> {
    const db = this.db
    return (function* () {
      const plan = yield* first(db.selectFrom('plans').select('jurisdiction_id').where('id', '=', planId))
      const jurisdictionId = plan?.jurisdiction_id ?? null
      const stored = yield* allRows(
        storedColumns(db)
          .where('plan_id', '=', planId)
          .where('kind', '=', 'thread')
          .where(sql<string>`coalesce(audience, 'all')`, '=', visibility),
      )
      yield* rewrite(
        db,
        stored,
        rows.map((r) => ({ ...r, jurisdictionId })),
        visibility === 'team' ? 'team' : null,
      )
    })()
  }

  /** Replaces a plan's rows (but its threads') with what its document holds now. */
  async indexPlan(planId: string, doc: Y.Doc): Promise<void> {
    const rows = planRows(planId, doc)
    await this.write(() => this.planRowsScript(planId, rows))
  }

  /** Replaces the rows of a plan's threads of one visibility with what their document holds now. */
  async indexThreads(planId: string, visibility: ThreadVisibility, doc: Y.Doc): Promise<void> {
    const rows = threadRows(planId, null, doc)
    await this.write(() => this.threadRowsScript(planId, visibility, rows))
  }

  /** Removes a plan's rows, its threads' too (the plan was deleted). */
  async removePlan(planId: string): Promise<void> {
    await this.db.deleteFrom('search_rows').where('plan_id', '=', planId).execute()
  }

  /** Copies the jurisdictions (names, states, agencies) into the index. */
  async indexJurisdictions(
    list: ReadonlyArray<{ id: string; name: string; state: string; agency: string }>,
  ): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx.deleteFrom('search_rows').where('kind', '=', 'jurisdiction').execute()
      for (let i = 0; i < list.length; i += INSERT_CHUNK) {
        await tx
          .insertInto('search_rows')
          .values(
            list.slice(i, i + INSERT_CHUNK).map((j) => ({
              kind: 'jurisdiction',
              jurisdiction_id: j.id,
              ref: j.id,
              title: indexableText(j.name),
              body: indexableText(`${j.state} ${j.agency}`),
            })),
          )
          .execute()
      }
    })
  }

  /** The layout the stored plan rows were written with (null: never indexed). */
  async storedLayout(): Promise<number | null> {
    const row = await this.db.selectFrom('search_state').select('value').where('key', '=', 'layout').executeTakeFirst()
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
    if ((await this.storedLayout()) === SEARCH_INDEX_LAYOUT) return 0
    await this.db.deleteFrom('search_rows').where('plan_id', 'is not', null).execute()
    let count = 0
    for (const planId of planIds) {
      const doc = await loadDoc(`plan:${planId}`)
      if (!doc) continue
      let rows: SearchRow[]
      try {
        rows = planRows(planId, doc)
      } finally {
        doc.destroy()
      }
      await this.write(() => this.planRowsScript(planId, rows))
      count++
      for (const visibility of THREAD_VISIBILITIES) {
        const threads = await loadDoc(threadDocName(planId, visibility))
        if (!threads) continue
        let threadRowsNow: SearchRow[]
        try {
          threadRowsNow = threadRows(planId, null, threads)
        } finally {
          threads.destroy()
        }
        await this.write(() => this.threadRowsScript(planId, visibility, threadRowsNow))
      }
    }
    await this.db
      .insertInto('search_state')
      .values({ key: 'layout', value: String(SEARCH_INDEX_LAYOUT) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(SEARCH_INDEX_LAYOUT) }))
      .execute()
    return count
  }

  /**
   * Searches what the caller may read: rows of the plans in `readablePlanIds` (team-only threads
   * only of the plans in `teamPlanIds`), and rows that belong to no plan (sessions,
   * jurisdictions, the library: every signed-in person reads those). Never throws on what a
   * person typed.
   */
  async search(
    text: string,
    readablePlanIds: readonly string[],
    kind?: SearchKind,
    teamPlanIds: readonly string[] = [],
  ): Promise<SearchResult[]> {
    const words = queryWords(text)
    if (words === null) return []
    const match = textMatch(this.db, words)
    const rows = (await match
      .join(this.db.withTables<FtsTables>().selectFrom('search_rows as r'))
      .leftJoin('plans as p', 'p.id', 'r.plan_id')
      .leftJoin('jurisdictions as j', 'j.id', 'r.jurisdiction_id')
      .select([
        'r.kind',
        'r.plan_id',
        'r.jurisdiction_id',
        'r.ref',
        'r.title',
        match.snippetSource.as('snip'),
        'p.title as plan_title',
        'j.name as jurisdiction_name',
      ])
      .where(match.matches)
      .where((eb) => eb.or([eb('r.plan_id', 'is', null), match.among('r.plan_id', readablePlanIds)]))
      .where((eb) => eb.or([eb('r.audience', 'is', null), match.among('r.plan_id', teamPlanIds)]))
      .$if(kind !== undefined, (q) => q.where('r.kind', '=', kind))
      .orderBy(match.rank)
      .orderBy('r.id')
      .limit(MAX_RESULTS)
      .execute()) as ResultRow[]
    return rows.map((r) => ({
      kind: r.kind,
      title: r.title,
      snippet: match.snippet(r),
      ...(r.plan_id ? { planId: r.plan_id } : {}),
      ...(r.jurisdiction_id ? { jurisdictionId: r.jurisdiction_id } : {}),
      context: contextOf(r),
      href: resultHref({ kind: r.kind, planId: r.plan_id, ref: r.ref }),
    }))
  }
}
