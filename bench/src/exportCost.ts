/**
 * Time and peak memory of each export format for a large plan (international text, a 2,000-word
 * section, 60 initiatives with funding, milestones and metrics), made by a real in-process server
 * through the same service the API uses. Memory is the peak resident size of this process above
 * its level before the export, plus, for PDF, the peak of the Chromium processes it starts.
 *
 *   pnpm --filter @lever/bench export            (ROUNDS=3 by default)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServer, quietLogger } from '@lever/server'
import { PLAN_EXPORT_FORMATS } from '@lever/shared'
import { writeLargePlan } from '../../tests/support/planFixtures.ts'
import { rssBytes } from './procStats.ts'

const rounds = Number(process.env.ROUNDS ?? 3)
const gc = (globalThis as { gc?: () => void }).gc

/** Process ids of every descendant of `pid` (Chromium's browser, renderer and helper processes). */
function descendants(pid: number): number[] {
  const out: number[] = []
  let tasks: string[] = []
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`)
  } catch {
    return out
  }
  for (const task of tasks) {
    let children = ''
    try {
      children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
    } catch {
      continue
    }
    for (const child of children.split(' ').filter(Boolean).map(Number)) out.push(child, ...descendants(child))
  }
  return out
}

function childrenRss(): number {
  let total = 0
  for (const pid of descendants(process.pid)) {
    try {
      total += rssBytes(pid)
    } catch {
      // the process ended between listing and reading
    }
  }
  return total
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-export-bench-'))
const server = await createServer({ port: 0, dataDir, staticDir: undefined, logger: quietLogger() })
try {
  const record = await server.plans.create({ jurisdictionId: 'boulder-co', title: 'Bench plan' })
  await server.rooms.withRoom(record.docName, (room) => room.transactServer((doc) => writeLargePlan(doc)))

  process.stdout.write(
    `Export of a large plan (60 initiatives, 2,000-word section), ${rounds} rounds, ${os.cpus().length} cores\n\n`,
  )
  process.stdout.write(
    `${'format'.padEnd(6)} ${'median ms'.padStart(10)} ${'max ms'.padStart(8)} ${'size KiB'.padStart(9)} ${'peak Δ RSS MiB'.padStart(15)} ${'browser MiB'.padStart(12)}\n`,
  )
  for (const format of PLAN_EXPORT_FORMATS) {
    if (format.id === 'pdf' && !fs.existsSync(server.config.export.chromiumPath)) {
      process.stdout.write(`${format.id.padEnd(6)} skipped: no Chromium at ${server.config.export.chromiumPath}\n`)
      continue
    }
    const times: number[] = []
    let size = 0
    let peak = 0
    let browserPeak = 0
    for (let round = 0; round < rounds; round++) {
      gc?.()
      const base = process.memoryUsage().rss
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss - base)
        if (format.id === 'pdf') browserPeak = Math.max(browserPeak, childrenRss())
      }, 5)
      const start = performance.now()
      const file = await server.exports.planFile(record, format.id)
      times.push(performance.now() - start)
      clearInterval(sampler)
      peak = Math.max(peak, process.memoryUsage().rss - base)
      size = typeof file.body === 'string' ? Buffer.byteLength(file.body) : file.body.byteLength
    }
    times.sort((a, b) => a - b)
    const median = times[Math.floor(times.length / 2)] ?? 0
    const mib = (n: number) => (n / 1024 / 1024).toFixed(1)
    process.stdout.write(
      `${format.id.padEnd(6)} ${median.toFixed(0).padStart(10)} ${(times.at(-1) ?? 0).toFixed(0).padStart(8)} ${(size / 1024).toFixed(0).padStart(9)} ${mib(peak).padStart(15)} ${(format.id === 'pdf' ? mib(browserPeak) : '-').padStart(12)}\n`,
    )
  }
} finally {
  await server.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
}
