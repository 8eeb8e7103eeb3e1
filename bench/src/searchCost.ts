/**
 * What full-text search costs: the time to rewrite one plan's rows in the index (what the search
 * hook does a second after a plan's changes stop), and the time of a query over a cohort of 60 plans
 * × 40 initiatives, for a person who may read every plan (the facilitator: the most rows to rank).
 * It runs on a real SQLite file in a temporary folder with the server's own migrations.
 *
 *   pnpm --filter @lever/bench search
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openDatabase, SearchIndex, sqliteQueries } from '@lever/server'
import { PlanModel, sectionField } from '@lever/shared'
import * as Y from 'yjs'

const PLANS = 60
const INITIATIVES = 40
const WORDS = [
  'wage',
  'apprenticeship',
  'procurement',
  'childcare',
  'scheduling',
  'benefits',
  'safety',
  'training',
  'union',
  'contract',
  'transit',
  'equity',
  'county',
  'janitorial',
  'home care',
  'prevailing',
  'pathway',
  'career',
  'stipend',
  'ordinance',
]

function sentence(seed: number, words: number): string {
  let s = ''
  for (let i = 0; i < words; i++) s += `${WORDS[(seed * 31 + i * 7) % WORDS.length]} `
  return s.trim()
}

function planDoc(p: number): Y.Doc {
  const doc = new Y.Doc()
  const plan = PlanModel.initialize(doc, { title: `Plan ${p}`, jurisdictionId: 'boulder-co' })
  const para = new Y.XmlElement('paragraph')
  para.insert(0, [new Y.XmlText(sentence(p, 400))])
  doc.getXmlFragment(sectionField('problem')).insert(0, [para])
  const levers = plan.leverList()
  for (let i = 0; i < INITIATIVES; i++) {
    const initiative = plan.addInitiative(levers[i % levers.length]?.id as string, {
      title: `${sentence(p + i, 4)} ${i}`,
    })
    const d = new Y.XmlElement('paragraph')
    d.insert(0, [new Y.XmlText(sentence(p * i, 60))])
    initiative.description?.insert(0, [d])
    initiative.text('owner')?.insert(0, 'Department of Human Resources')
    initiative.milestones.add(`m${i}`).title?.insert(0, sentence(i, 5))
  }
  return doc
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-search-bench-'))
const db = openDatabase({ dataDir: dir, synchronous: 'NORMAL' })
const index = new SearchIndex(sqliteQueries(db))
const docs = Array.from({ length: PLANS }, (_, p) => planDoc(p))
const planIds = docs.map((_, p) => `plan-${p}`)
const insertPlan = db.prepare(
  "INSERT INTO plans (id, jurisdiction_id, title, doc_name, created_at, updated_at) VALUES (?, 'boulder-co', ?, ?, '', '')",
)
db.prepare(
  "INSERT OR IGNORE INTO jurisdictions (id, name, kind, state, agency) VALUES ('boulder-co', 'Boulder', 'city', 'CO', 'x')",
).run()
for (const id of planIds) insertPlan.run(id, id, `plan:${id}`)

const refresh: number[] = []
for (const [p, doc] of docs.entries()) {
  const start = process.hrtime.bigint()
  await index.indexPlan(planIds[p] as string, doc)
  refresh.push(Number(process.hrtime.bigint() - start) / 1e6)
}
// A second pass: rewriting a plan that is already indexed (what happens after each burst of edits).
const rewrite: number[] = []
for (const [p, doc] of docs.entries()) {
  const start = process.hrtime.bigint()
  await index.indexPlan(planIds[p] as string, doc)
  rewrite.push(Number(process.hrtime.bigint() - start) / 1e6)
}

const queries = [
  'wage',
  'apprenticeship pathway',
  'prevailing wa',
  'county janitorial contract',
  'childcare stipend 12',
  'zzz',
  'equity',
]
const timings: number[] = []
let results = 0
for (let round = 0; round < 30; round++) {
  for (const q of queries) {
    const start = process.hrtime.bigint()
    results += (await index.search(q, planIds)).length
    timings.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
}
const rows = (db.prepare('SELECT count(*) AS n FROM search_rows').get() as { n: number }).n
const out = [
  `search index: ${PLANS} plans × ${INITIATIVES} initiatives, ${rows} rows`,
  `index a plan (first time):   median ${median(refresh).toFixed(2)} ms, p95 ${p95(refresh).toFixed(2)} ms`,
  `refresh an indexed plan:     median ${median(rewrite).toFixed(2)} ms, p95 ${p95(rewrite).toFixed(2)} ms`,
  `query (${timings.length} queries):     median ${median(timings).toFixed(2)} ms, p95 ${p95(timings).toFixed(2)} ms (${results} results in all)`,
]
process.stdout.write(`${out.join('\n')}\n`)
db.close()
fs.rmSync(dir, { recursive: true, force: true })
