/**
 * What one loaded plan document holds on to in Lever's server, after garbage collection: the
 * retained part of the benchmark's "RSS per loaded document", which also counts heap the collector
 * has not handed back yet. Runs the server in this process (the peers cannot be asked to collect).
 *
 *   pnpm --filter @lever/bench heap [documents]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServer, type LeverServer, quietLogger } from '@lever/server'
import { PlanModel } from '@lever/shared'
import * as Y from 'yjs'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with node --expose-gc (the "heap" script does)')
const documents = Number(process.argv[2] ?? 400)
const keystrokes = 1000
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-heap-'))

async function start(): Promise<LeverServer> {
  return createServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logger: quietLogger(),
    collab: { unloadGraceMs: 3_600_000 },
    auth: { demo: true },
  })
}

async function settle(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 5; i++) {
    gc?.()
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return process.memoryUsage()
}

// Plans with prose typed one keystroke at a time, written and then unloaded.
const first = await start()
const names: string[] = []
for (let i = 0; i < documents; i++) {
  const plan = await first.plans.create({ jurisdictionId: 'boulder-co', title: `Plan ${i}` })
  names.push(plan.docName)
  await first.rooms.withRoom(plan.docName, (room) => {
    room.transactServer((doc) => {
      const text = new Y.XmlText()
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [text])
      new PlanModel(doc).section('problem').insert(0, [paragraph])
    })
    const text = (new PlanModel(room.doc).section('problem').get(0) as Y.XmlElement).get(0) as Y.XmlText
    for (let k = 0; k < keystrokes; k++) room.transactServer(() => text.insert(text.length, 'x'))
  })
}
await first.close()

// A fresh server loads them all from storage and keeps them.
const server = await start()
const [warm, ...rest] = names
if (warm) await server.rooms.get(warm).loaded
const before = await settle()
for (const name of rest) await server.rooms.get(name).loaded
await new Promise((resolve) => setTimeout(resolve, 2500)) // past the metadata/index refresh
const after = await settle()
const perDoc = (a: number, b: number) => ((b - a) / rest.length / 1024).toFixed(1)
process.stdout.write(
  `${rest.length} plan documents of ${keystrokes} keystrokes loaded from storage: ` +
    `heap ${perDoc(before.heapUsed, after.heapUsed)} KiB/document, ` +
    `RSS ${perDoc(before.rss, after.rss)} KiB/document after garbage collection\n`,
)
await server.close()
fs.rmSync(dataDir, { recursive: true, force: true })
