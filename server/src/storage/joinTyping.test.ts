import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { rng } from '../testing/hostileInput.ts'
import { applyStoredLog } from './joinTyping.ts'

const SEED = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
const REMOTE = 'remote'

/** The document as the server has always built it: every row applied as stored, in one transaction. */
function applyEachRow(rows: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row)
  })
  return doc
}

function applyJoined(rows: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc()
  applyStoredLog(doc, rows)
  return doc
}

/** How many updates the log is applied as, once typed runs are joined. */
function joinedCount(rows: readonly Uint8Array[]): number {
  return applyStoredLog(new Y.Doc(), rows)
}

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'))

/** Both documents hold the same thing, byte for byte in the state they would send. */
function expectSameDocument(actual: Y.Doc, expected: Y.Doc): void {
  expect(actual.store.pendingStructs === null).toBe(expected.store.pendingStructs === null)
  expect(actual.store.pendingDs === null).toBe(expected.store.pendingDs === null)
  expect(actual.getXmlFragment('body').toJSON()).toBe(expected.getXmlFragment('body').toJSON())
  expect(actual.getMap('meta').toJSON()).toEqual(expected.getMap('meta').toJSON())
  expect(Y.encodeStateVector(actual)).toEqual(Y.encodeStateVector(expected))
  if (expected.store.pendingStructs === null && expected.store.pendingDs === null) {
    expect(Y.encodeStateAsUpdate(actual)).toEqual(Y.encodeStateAsUpdate(expected))
  }
}

/** A client typing one character per update into its own paragraph, with a backspace every 20th. */
function typedLog(keystrokes: number): Uint8Array[] {
  const doc = new Y.Doc()
  const rows: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => rows.push(update))
  const paragraph = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  paragraph.insert(0, [text])
  doc.getXmlFragment('body').insert(0, [paragraph])
  let cursor = 0
  for (let i = 0; i < keystrokes; i++) {
    if (i % 20 === 19) text.delete(--cursor, 1)
    else text.insert(cursor++, 'abcdefghij klmnop'[i % 17] as string)
  }
  return rows
}

const LETTERS = ['a', 'b', ' ', 'é', '中', '😀', '\n', 'xyz', 'Z']

/**
 * Several people editing one plan body at once, syncing now and then, so that some type at the
 * same place concurrently: typing runs, typing elsewhere, deletions, bold, new paragraphs and map
 * changes. The log is every local update in the order it was made (each person has seen the rows
 * before their sync point), as the server stores them.
 */
function concurrentLog(next: () => number, steps: number): Uint8Array[] {
  const log: Uint8Array[] = []
  const people = Array.from({ length: 2 + Math.floor(next() * 3) }, () => {
    const doc = new Y.Doc()
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== REMOTE) log.push(update)
    })
    return { doc, seen: 0, cursor: 0, text: null as Y.XmlText | null }
  })
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const sync = (person: (typeof people)[number]) => {
    const missing = log.slice(person.seen)
    person.seen = log.length
    Y.transact(
      person.doc,
      () => {
        for (const row of missing) Y.applyUpdate(person.doc, row, REMOTE)
      },
      REMOTE,
    )
  }
  for (let step = 0; step < steps; step++) {
    const person = pick(people)
    const body = person.doc.getXmlFragment('body')
    const roll = next()
    if (roll < 0.1) {
      sync(person)
      // Half the time the person goes on typing where they were, now next to what others typed.
      if (next() < 0.5) person.text = null
    } else if (roll < 0.15 || body.length === 0) {
      const paragraph = new Y.XmlElement('paragraph')
      const text = new Y.XmlText()
      paragraph.insert(0, [text])
      body.insert(Math.floor(next() * (body.length + 1)), [paragraph])
      person.text = text
      person.cursor = 0
    } else if (roll < 0.2) {
      person.doc.getMap('meta').set(pick(['status', 'owner']), pick(['draft', 'final', 1, null]))
    } else {
      if (!person.text || person.text.doc === null) {
        const paragraph = body.get(Math.floor(next() * body.length))
        const text = paragraph instanceof Y.XmlElement ? paragraph.get(0) : null
        if (!(text instanceof Y.XmlText)) continue
        person.text = text
        person.cursor = Math.floor(next() * (text.length + 1))
      }
      const text = person.text
      person.cursor = Math.min(person.cursor, text.length)
      if (roll < 0.28 && person.cursor > 0) {
        const length = 1 + Math.floor(next() * Math.min(3, person.cursor))
        text.delete(person.cursor - length, length)
        person.cursor -= length
      } else if (roll < 0.31 && text.length > 0) {
        const at = Math.floor(next() * text.length)
        text.format(at, Math.min(1 + Math.floor(next() * 4), text.length - at), { bold: true })
      } else if (roll < 0.35) {
        person.cursor = Math.floor(next() * (text.length + 1))
      } else {
        const letter = pick(LETTERS)
        text.insert(person.cursor, letter)
        person.cursor += letter.length
      }
    }
  }
  return log
}

describe('joinTyping', () => {
  it('joins a typed log into a few updates that make the same document, byte for byte', () => {
    const rows = typedLog(5000)
    // The paragraph and the first key (no origin) stay as stored; every keystroke after them joins.
    expect(joinedCount(rows)).toBeLessThanOrEqual(3)
    expectSameDocument(applyJoined(rows), applyEachRow(rows))
  })

  it('leaves a single row and rows of other shapes as they are', () => {
    const doc = new Y.Doc()
    const rows: Uint8Array[] = []
    doc.on('update', (update: Uint8Array) => rows.push(update))
    doc.getMap('meta').set('status', 'draft')
    doc.getMap('meta').set('status', 'final')
    doc.getXmlFragment('body').insert(0, [new Y.XmlElement('paragraph')])
    expect(joinedCount(rows)).toBe(rows.length)
    expect(joinedCount(rows.slice(0, 1))).toBe(1)
    expect(joinedCount([])).toBe(0)
    expectSameDocument(applyJoined(rows), applyEachRow(rows))
  })

  it('keeps a keystroke apart from the run before it when someone typed in between', () => {
    // A types "wx"; B, having seen it, types "q" after x; A, having seen that, types "y" between
    // x and q. A's "y" follows A's "x" in clock and origin but has q as its right origin: joined
    // into "xy", it would lose where it goes (for one order of client ids, "wxqy").
    for (const [first, second] of [
      [1, 2],
      [2, 1],
    ] as const) {
      const log: Uint8Array[] = []
      const [a, b] = [first, second].map((clientID) => {
        const doc = new Y.Doc()
        doc.clientID = clientID
        doc.on('update', (update: Uint8Array, origin: unknown) => {
          if (origin !== REMOTE) log.push(update)
        })
        return doc
      }) as [Y.Doc, Y.Doc]
      a.getText('body').insert(0, 'w')
      a.getText('body').insert(1, 'x')
      Y.applyUpdate(b, Y.encodeStateAsUpdate(a), REMOTE)
      b.getText('body').insert(2, 'q')
      Y.applyUpdate(a, Y.encodeStateAsUpdate(b), REMOTE)
      a.getText('body').insert(2, 'y')
      expect(a.getText('body').toString()).toBe('wxyq')
      const joined = applyJoined(log)
      expect(joined.getText('body').toString()).toBe('wxyq')
      expect(Y.encodeStateAsUpdate(joined)).toEqual(Y.encodeStateAsUpdate(applyEachRow(log)))
    }
  })

  it('does not join string items set one after another under a map key', () => {
    // Hand-made rows a client could send: meta.k = 1, then the string "x" with that value as its
    // origin, then "y" with "x" as its origin. Each takes the key and replaces the one before, so
    // 1 and "x" are deleted; joined into "xy", "x" would not be. Then a row deletes "y".
    const rows = [
      hex('010101002801046d657461016b017d0100'),
      hex('01010101840100017800'),
      hex('01010102840101017900'),
      hex('000101010201'),
    ]
    for (const log of [rows.slice(0, 3), rows]) {
      expect(joinedCount(log)).toBe(log.length)
      expectSameDocument(applyJoined(log), applyEachRow(log))
    }
    expect(applyJoined(rows.slice(0, 3)).getMap('meta').toJSON()).toEqual({ k: 'y' })
  })

  it(`makes the same document as row by row for concurrent editing, shuffled and repeated logs (seed ${SEED})`, {
    timeout: 60_000,
  }, () => {
    const next = rng(SEED)
    let stored = 0
    let applied = 0
    for (let round = 0; round < 25; round++) {
      const log = concurrentLog(next, 150 + Math.floor(next() * 250))
      stored += log.length
      applied += joinedCount(log)
      const variants: Uint8Array[][] = [log]
      // Out of order (a row before what it builds on) and with rows stored twice.
      const shuffled = [...log]
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[shuffled[i], shuffled[j]] = [shuffled[j] as Uint8Array, shuffled[i] as Uint8Array]
      }
      variants.push(shuffled)
      variants.push(log.flatMap((row) => (next() < 0.1 ? [row, row] : [row])))
      for (const rows of variants) {
        expect(joinedCount(rows)).toBeLessThanOrEqual(rows.length)
        expectSameDocument(applyJoined(rows), applyEachRow(rows))
      }
    }
    // The logs had typing to join (so the cases above were exercised, not passed through).
    expect(applied).toBeLessThan(stored * 0.8)
  })

  it(`makes the same document as row by row from logs with a damaged row, wherever Yjs reads them (seed ${SEED})`, () => {
    const next = rng(SEED + 1)
    let compared = 0
    for (let round = 0; round < 200; round++) {
      const rows = typedLog(40 + Math.floor(next() * 40))
      // One row cut short or with a byte changed: usually one of the keystrokes this reads.
      const at = 2 + Math.floor(next() * (rows.length - 2))
      const row = rows[at] as Uint8Array
      const damaged = next() < 0.3 ? row.slice(0, Math.floor(next() * row.length)) : Uint8Array.from(row)
      if (damaged.length > 0) damaged[Math.floor(next() * damaged.length)] = Math.floor(next() * 256)
      rows[at] = damaged
      let expected: Y.Doc
      try {
        expected = applyEachRow(rows)
      } catch {
        continue
      }
      expectSameDocument(applyJoined(rows), expected)
      compared++
    }
    expect(compared).toBeGreaterThan(20)
  })
})
