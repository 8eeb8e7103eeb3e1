/**
 * Version history on a large plan: what one stored version costs on disk (compressed full state),
 * how long taking one takes, and how long building a comparison and a restore take.
 *
 *   pnpm --filter @lever/bench versions
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  comparePlans,
  openDatabase,
  restoreInto,
  sqliteImmediateRunner,
  sqliteQueries,
  VersionStore,
} from '@lever/server'
import { PLAN_SECTIONS, PlanModel } from '@lever/shared'
import * as Y from 'yjs'

const SECTIONS_PARAGRAPHS = 40
const INITIATIVES = 40
const VERSIONS = 30
const EDITS_PER_VERSION = 200

const words = 'wages benefits scheduling safety learning voice culture purpose county contract apprenticeship'.split(
  ' ',
)
let seed = 7
const rnd = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const sentence = (n: number) => Array.from({ length: n }, () => words[Math.floor(rnd() * words.length)]).join(' ')

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  t.insert(0, text)
  p.insert(0, [t])
  return p
}

/** A large plan: every section with 40 paragraphs, 40 initiatives with descriptions and fields. */
function largePlan(): Y.Doc {
  const doc = new Y.Doc()
  const model = PlanModel.initialize(doc, { title: 'A large plan', jurisdictionId: 'bench' })
  doc.transact(() => {
    for (const s of PLAN_SECTIONS) {
      model.section(s.id).insert(
        0,
        Array.from({ length: SECTIONS_PARAGRAPHS }, () => paragraph(sentence(40))),
      )
    }
    for (let i = 0; i < INITIATIVES; i++) {
      const initiative = model.addInitiative(['procurement', 'hrPractices', 'policy', 'empowerment'][i % 4] as string, {
        title: `Initiative ${i}`,
      })
      initiative.text('owner')?.insert(0, 'Office of economic development')
      initiative.description?.insert(0, [paragraph(sentence(80)), paragraph(sentence(60))])
      initiative.setComponent('wages', true)
    }
  })
  return doc
}

/** Typing-like edits spread over the plan, from another client. */
function edit(doc: Y.Doc, count: number): void {
  const model = new PlanModel(doc)
  for (let i = 0; i < count; i++) {
    const section = model.section((PLAN_SECTIONS[Math.floor(rnd() * PLAN_SECTIONS.length)] as { id: 'problem' }).id)
    const p = section.get(Math.floor(rnd() * section.length)) as Y.XmlElement
    const t = p.get(0) as Y.XmlText
    const at = Math.floor(rnd() * t.length)
    if (rnd() < 0.3 && t.length > 10) t.delete(at, Math.min(5, t.length - at))
    else t.insert(at, `${words[Math.floor(rnd() * words.length)]} `)
  }
  const initiative = model.initiatives()[Math.floor(rnd() * INITIATIVES)]
  initiative?.setStatus(['onTrack', 'atRisk', 'done'][Math.floor(rnd() * 3)] as 'done')
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-versions-bench-'))
const db = openDatabase({ dataDir: dir, synchronous: 'FULL' })
db.prepare(
  "INSERT INTO jurisdictions (id, name, kind, state, agency) VALUES ('bench', 'Bench', 'city', 'CO', 'x')",
).run()
db.prepare(
  "INSERT INTO plans (id, jurisdiction_id, title, doc_name, created_at, updated_at) VALUES ('p', 'bench', 'Bench', 'plan:p', '', '')",
).run()
const store = new VersionStore(sqliteQueries(db), { locked: sqliteImmediateRunner(db) })

const live = largePlan()
const writer = new Y.Doc()
Y.applyUpdate(writer, Y.encodeStateAsUpdate(live))
const add: number[] = []
const ids: string[] = []
for (let v = 0; v < VERSIONS; v++) {
  edit(writer, EDITS_PER_VERSION)
  Y.applyUpdate(live, Y.encodeStateAsUpdate(writer, Y.encodeStateVector(live)))
  const t = process.hrtime.bigint()
  ids.push((await store.add({ planId: 'p', kind: 'auto', doc: live, authors: ['bench'] })).id)
  add.push(ms(t))
}
const versions = await store.list('p')
const stateBytes = median(versions.map((v) => v.stateBytes))
const storedBytes = median(versions.map((v) => v.storedBytes))

const who = (client: number) => (client === writer.clientID ? { id: 'w', name: 'Writer' } : null)
const compare: number[] = []
const compareOld: number[] = []
const load: number[] = []
for (let i = 0; i < 10; i++) {
  let t = process.hrtime.bigint()
  const older = (await store.loadVersionDoc('p', ids[0] as string)) as Y.Doc
  load.push(ms(t))
  const newer = (await store.loadVersionDoc('p', ids[VERSIONS - 2] as string)) as Y.Doc
  t = process.hrtime.bigint()
  comparePlans(newer, live, who, { from: { id: 'a', label: 'a' }, to: { id: 'b', label: 'b' } })
  compare.push(ms(t))
  t = process.hrtime.bigint()
  comparePlans(older, live, who, { from: { id: 'a', label: 'a' }, to: { id: 'b', label: 'b' } })
  compareOld.push(ms(t))
  older.destroy()
  newer.destroy()
}
const restore: number[] = []
for (let i = 0; i < 5; i++) {
  const target = (await store.loadVersionDoc('p', ids[i] as string)) as Y.Doc
  const t = process.hrtime.bigint()
  live.transact(() => restoreInto(live, target, { kind: 'all' }))
  restore.push(ms(t))
}

const print = (line: string) => process.stdout.write(`${line}\n`)
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`
const textChars = PLAN_SECTIONS.length * SECTIONS_PARAGRAPHS * 280 + INITIATIVES * 1000
print(
  `Version history on a large plan (~${Math.round(textChars / 1000)}k characters of prose, ${INITIATIVES} initiatives; ${VERSIONS} versions, ${EDITS_PER_VERSION} edits between versions; medians)\n`,
)
print('| figure | value |')
print('| --- | --- |')
print(`| full state per version, uncompressed | ${kib(stateBytes)} |`)
print(`| stored per version (zlib) | ${kib(storedBytes)} |`)
print(`| all ${VERSIONS} versions stored | ${kib(await store.storedBytes('p'))} |`)
print(`| take a version (encode, compress, insert, fsync) | ${median(add).toFixed(1)} ms |`)
print(`| load a version into a Y.Doc | ${median(load).toFixed(1)} ms |`)
print(`| compare: previous version → now | ${median(compare).toFixed(1)} ms |`)
print(
  `| compare: first version → now (${VERSIONS * EDITS_PER_VERSION} edits apart) | ${median(compareOld).toFixed(1)} ms |`,
)
print(`| restore a whole version into the live plan | ${median(restore).toFixed(1)} ms |`)
db.close()
fs.rmSync(dir, { recursive: true, force: true })
