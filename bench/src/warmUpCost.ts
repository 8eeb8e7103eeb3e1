/**
 * What the start-up warm-up (`warmUpYjs`) leaves for the first plan a fresh server process opens:
 * the time to apply a compacted plan of 100,000 keystrokes in a new process, right after the
 * warm-up, for a plan written by a client id V8 keeps as a small integer and one it does not (three
 * in four random Yjs ids). Code compiled during the warm-up for one kind of id is thrown away at the
 * first plan of the other, which then runs unoptimised while it is compiled again.
 *
 *   pnpm --filter @lever/bench warmup [starts per kind, default 8]
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { warmUpYjs } from '@lever/server'
import * as Y from 'yjs'
import { summarize } from './stats.ts'

const KEYSTROKES = 100_000
/** Client ids on either side of V8's small integers (2^30 on 64-bit builds). */
const IDS = { small: 0x1001, large: 0xf000_0001 }

/** A plan-like document typed a character at a time by one client, a backspace every 20th. */
function typedState(clientID: number): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = clientID
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  doc.getXmlFragment('section:problem').insert(0, [paragraph])
  let at = 0
  for (let i = 0; i < KEYSTROKES; i++) {
    if (i % 20 === 19) text.delete(--at, 1)
    else text.insert(at++, 'abcdefghijklmnopqrstuvwxyz '[i % 27] as string)
  }
  return Y.encodeStateAsUpdate(doc)
}

/** In a fresh process: the warm-up, a pause as before a first client, then one timed apply. */
async function child(file: string): Promise<void> {
  const bytes = fs.readFileSync(file)
  // The stores hand Yjs plain Uint8Array views of their rows.
  const state = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  warmUpYjs()
  await new Promise((resolve) => setTimeout(resolve, 300))
  const started = performance.now()
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  process.stdout.write(`${performance.now() - started}\n`)
}

function main(): void {
  const starts = Number(process.argv[2] ?? 8)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-warmup-'))
  const self = fileURLToPath(import.meta.url)
  try {
    const lines = [
      `| first apply after the warm-up (ms), ${starts} fresh processes each | median | min–max |`,
      '| --- | ---: | ---: |',
    ]
    for (const [kind, id] of Object.entries(IDS)) {
      const file = path.join(dir, `${kind}.bin`)
      fs.writeFileSync(file, typedState(id))
      const times: number[] = []
      for (let n = 0; n < starts; n++) {
        const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', file], { encoding: 'utf8' })
        times.push(Number(out.trim()))
      }
      const s = summarize(times)
      lines.push(
        `| plan written by a ${kind} client id | ${s.median.toFixed(1)} | ${s.min.toFixed(1)}–${s.max.toFixed(1)} |`,
      )
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as string)
else main()
