import * as Y from 'yjs'
import { applyStoredLog } from '../storage/joinTyping.ts'

/**
 * Runs Yjs's decoding, integration and encoding over a generated document a few times, so that the
 * first document loaded after a start does not run them unoptimised.
 *
 * A fresh process runs JavaScript in its interpreter until a function has run often enough to be
 * compiled. Loading a compacted plan of 100,000 keystrokes (200 KiB) took 82 ms in a fresh
 * process and 10 ms from the fourth time on; the first person to open a plan after a restart or a
 * deploy paid that difference. The generated document has the shapes plans have: paragraphs typed
 * a character per transaction with backspaces (deleted items), and maps of fields set and replaced.
 * It is applied both as one state and as the stream of small updates a log holds, the way a room
 * loads a log.
 */
export function warmUpYjs({ characters = 24_000, keystrokes = 600, rounds = 4 } = {}): void {
  const source = new Y.Doc()
  // Client ids are random 32-bit numbers, most of them past what V8 keeps as a small integer: the
  // decoding code compiled for small ones only is thrown away at the first large one (a load of a
  // long plan went from 5 to 35–50 ms that way). The paragraphs are written by a large id, the
  // keystrokes by a small one, so the compiled code expects both.
  source.clientID = 0xfedc_ba98
  const fragment = source.getXmlFragment('prose')
  const fields = source.getMap<unknown>('fields')
  const letters = 'abcdefghijklmnopqrstuvwxyz '
  const line = letters.repeat(Math.ceil(characters / 4 / letters.length)).slice(0, Math.ceil(characters / 4))
  // Four paragraphs with a character in twenty deleted: as many items as typing them would leave.
  for (let p = 0; p < 4; p++) {
    const paragraph = new Y.XmlElement('paragraph')
    const text = new Y.XmlText()
    paragraph.insert(0, [text])
    fragment.insert(fragment.length, [paragraph])
    text.insert(0, line)
    source.transact(() => {
      for (let at = line.length - 1; at >= 0; at -= 20) text.delete(at, 1)
    })
    fields.set(`field-${p}`, { value: p, note: line.slice(0, 40) })
  }
  // Then keystrokes, a transaction each, as a log holds them after its first row.
  const first = Y.encodeStateAsUpdate(source)
  const updates: Uint8Array[] = []
  source.on('update', (update: Uint8Array) => updates.push(update))
  source.clientID = 0x1234
  const typed = new Y.XmlText()
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [typed])
  fragment.insert(fragment.length, [paragraph])
  let cursor = 0
  for (let i = 0; i < keystrokes; i++) {
    if (i % 20 === 19) typed.delete(--cursor, 1)
    else typed.insert(cursor++, letters[i % letters.length] as string)
    if (i % 50 === 0) fields.set(`field-${i % 7}`, i)
  }
  const state = Y.encodeStateAsUpdate(source)
  source.destroy()
  for (let round = 0; round < rounds; round++) {
    const whole = new Y.Doc()
    Y.applyUpdate(whole, state)
    const vector = Y.encodeStateVector(whole)
    Y.encodeStateAsUpdate(whole)
    whole.destroy()
    // Row by row (Yjs's path for every row of other shapes), then as a room loads a log: typed
    // runs joined first (`applyStoredLog`).
    const streamed = new Y.Doc()
    streamed.transact(() => {
      Y.applyUpdate(streamed, first)
      for (const update of updates) Y.applyUpdate(streamed, update)
    })
    Y.encodeStateAsUpdate(streamed, vector)
    streamed.destroy()
    const joined = new Y.Doc()
    applyStoredLog(joined, [first, ...updates])
    Y.encodeStateAsUpdate(joined, vector)
    joined.destroy()
  }
}
