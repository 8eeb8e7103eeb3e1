/**
 * How long `GET /api/cohort/overview` takes for a full cohort: 20 jurisdictions × 3 plans × 40
 * initiatives (each with funding, a metric, components and a check-in). Measured twice: warm
 * (every plan's figures are in the projection: the overview is one query) and cold (no figures
 * yet, as after an upgrade: the first request computes them from the stored logs, one plan
 * document in memory at a time). Lever runs in this process with SQLite on a temporary folder.
 *
 *   pnpm --filter @lever/bench overview
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServer, quietLogger } from '@lever/server'
import { CheckInsModel, newId, PlanModel, periodOf, todayIso } from '@lever/shared'

const PLANS_PER_JURISDICTION = Number(process.env.PLANS ?? 3)
const INITIATIVES = Number(process.env.INITIATIVES ?? 40)
const RUNS = Number(process.env.RUNS ?? 200)
const LEVERS = ['procurement', 'hrPractices', 'policy', 'empowerment'] as const
const COMPONENTS = ['wages', 'benefits', 'scheduling', 'safety', 'learning', 'voice', 'culture', 'purpose'] as const
const STATUSES = ['notStarted', 'onTrack', 'atRisk', 'offTrack', 'done'] as const

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-bench-overview-'))
const server = await createServer({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  staticDir: undefined,
  logger: quietLogger(),
  collab: { unloadGraceMs: 0 },
  auth: { demo: true, scryptN: 2 ** 12 },
})

const login = await fetch(`${server.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ email: 'facilitator@demo.test', password: 'demo-password' }),
})
const { token } = (await login.json()) as { token: string }
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }

const period = periodOf(todayIso(), 'monthly')
const setupStart = performance.now()
let planCount = 0
const jurisdictionList = await server.jurisdictions.list()
for (const j of jurisdictionList) {
  for (let p = 0; p < PLANS_PER_JURISDICTION; p++) {
    const res = await fetch(`${server.url}/api/jurisdictions/${j.id}/plans`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ title: `${j.name} plan ${p + 1}` }),
    })
    const plan = (await res.json()) as { docName: string }
    await server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => {
        const model = new PlanModel(doc)
        const checkIns = new CheckInsModel(doc)
        for (let i = 0; i < INITIATIVES; i++) {
          const initiative = model.addInitiative(LEVERS[i % 4] as string, { title: `Initiative ${i + 1}` })
          initiative.setStatus(STATUSES[i % 5] as (typeof STATUSES)[number])
          initiative.setComponent(COMPONENTS[i % 8] as (typeof COMPONENTS)[number], true)
          initiative.setComponent(COMPONENTS[(i + 3) % 8] as (typeof COMPONENTS)[number], true)
          const line = initiative.funding.add(newId())
          line.setSource(i % 2 ? 'slfrf' : 'local')
          line.setAmount('budgeted', 10_000 * (i + 1))
          line.setAmount('obligated', 5_000 * (i + 1))
          const metric = initiative.metrics.add(newId())
          metric.text('name')?.insert(0, `Metric ${i + 1}`)
          if (i % 2 === 0) {
            checkIns.setStatus(period, initiative.id, 'onTrack')
            checkIns.setMetricActual(period, initiative.id, metric.id, { value: i, date: todayIso() })
          }
        }
      }),
    )
    planCount++
  }
}
await server.figures.flush()
const setupMs = performance.now() - setupStart

async function overview(): Promise<{ ms: number; bytes: number; plans: number }> {
  const start = performance.now()
  const res = await fetch(`${server.url}/api/cohort/overview`, { headers })
  const text = await res.text()
  const ms = performance.now() - start
  if (res.status !== 200) throw new Error(`overview answered ${res.status}: ${text}`)
  const body = JSON.parse(text) as { jurisdictions: Array<{ plans: unknown[] }> }
  return { ms, bytes: text.length, plans: body.jurisdictions.reduce((n, j) => n + j.plans.length, 0) }
}

const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number
const fmt = (ms: number) => `${ms.toFixed(2)} ms`

for (let i = 0; i < 20; i++) await overview() // warm up
const times: number[] = []
let last = { ms: 0, bytes: 0, plans: 0 }
for (let i = 0; i < RUNS; i++) {
  last = await overview()
  times.push(last.ms)
}
times.sort((a, b) => a - b)
const roomsLoaded = server.rooms.size

// Cold: as after an upgrade, no plan has figures; the first request computes them all.
server.db?.prepare('DELETE FROM plan_figures').run()
const rssBefore = process.memoryUsage().rss
const cold = await overview()
const rssAfter = process.memoryUsage().rss

const out = [
  `Cohort overview: ${jurisdictionList.length} jurisdictions × ${PLANS_PER_JURISDICTION} plans × ${INITIATIVES} initiatives (${planCount} plans, setup ${(setupMs / 1000).toFixed(1)} s)`,
  `  warm (projection):  p50 ${fmt(pct(times, 0.5))}  p95 ${fmt(pct(times, 0.95))}  max ${fmt(times.at(-1) as number)}  over ${RUNS} requests; ${(last.bytes / 1024).toFixed(1)} KiB, ${last.plans} plans; rooms loaded meanwhile: ${roomsLoaded}`,
  `  cold (no figures):  ${fmt(cold.ms)} for the first request (computes ${planCount} plans from their stored logs); RSS ${((rssAfter - rssBefore) / 1048576).toFixed(1)} MiB more; rooms loaded after: ${server.rooms.size}`,
]
process.stdout.write(`${out.join('\n')}\n`)
await server.close()
fs.rmSync(dataDir, { recursive: true, force: true })
