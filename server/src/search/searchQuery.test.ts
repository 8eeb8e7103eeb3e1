import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { buildMatchQuery, MATCH_END, MATCH_START, snippetHtml } from './searchQuery.ts'

/** A small deterministic generator (mulberry32), seeded from LEVER_SEED or a fresh seed. */
function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const HOSTILE = [
  '"',
  "'",
  '*',
  '^',
  ':',
  '(',
  ')',
  '-',
  '+',
  'AND',
  'OR',
  'NOT',
  'NEAR',
  'NEAR(',
  '{',
  '}',
  '\\',
  '\u0000',
  '\u0001',
  '\u0002',
  'title:',
  'body:',
  '😀',
  '\uD800',
  'é',
  '\u0301',
  '中文',
  ' ',
  '\t',
  '\n',
  'job-quality',
  '""',
  '***',
]

function randomInput(next: () => number): string {
  let s = ''
  const parts = Math.floor(next() * 12)
  for (let i = 0; i < parts; i++) {
    if (next() < 0.5) s += HOSTILE[Math.floor(next() * HOSTILE.length)]
    else {
      const len = 1 + Math.floor(next() * 8)
      for (let j = 0; j < len; j++) {
        const r = next()
        // ASCII, Latin-1, Greek/Cyrillic, CJK, astral (emoji), and lone surrogates
        const code =
          r < 0.5
            ? 0x20 + Math.floor(next() * 0x5f)
            : r < 0.7
              ? 0xa0 + Math.floor(next() * 0x500)
              : r < 0.85
                ? 0x4e00 + Math.floor(next() * 0x5000)
                : r < 0.95
                  ? 0x1f300 + Math.floor(next() * 0x300)
                  : 0xd800 + Math.floor(next() * 0x800)
        s += String.fromCodePoint(code)
      }
    }
  }
  return s
}

function ftsDatabase() {
  const db = new Database(':memory:')
  db.exec(`CREATE VIRTUAL TABLE t USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')`)
  db.prepare('INSERT INTO t (title, body) VALUES (?, ?)').run('Job-quality standards', 'prevailing wage in contracts')
  db.prepare('INSERT INTO t (title, body) VALUES (?, ?)').run('Apprenticeship AND pathways', 'Tulsa "quoted" text 中文')
  return db
}

describe('SQLite full-text search', () => {
  it('has FTS5 compiled into the SQLite that better-sqlite3 ships', () => {
    const db = new Database(':memory:')
    const options = db.prepare('SELECT compile_options FROM pragma_compile_options').pluck().all() as string[]
    expect(options).toContain('ENABLE_FTS5')
  })
})

describe('buildMatchQuery', () => {
  it('quotes every word, joins them so all must appear, and matches the last word as a prefix', () => {
    expect(buildMatchQuery('prevailing wa')).toBe('"prevailing" "wa"*')
  })

  it('treats operators, hyphens and unbalanced quotes as ordinary text', () => {
    expect(buildMatchQuery('job-quality')).toBe('"job" "quality"*')
    expect(buildMatchQuery('AND')).toBe('"AND"*')
    expect(buildMatchQuery('"unbalanced')).toBe('"unbalanced"*')
    expect(buildMatchQuery('NEAR(a b)')).toBe('"NEAR" "a" "b"*')
  })

  it('answers null for empty, too short or punctuation-only input, and caps words and length', () => {
    expect(buildMatchQuery('')).toBeNull()
    expect(buildMatchQuery('a')).toBeNull()
    expect(buildMatchQuery('"*^()')).toBeNull()
    expect(buildMatchQuery('w '.repeat(50))?.split(' ')).toHaveLength(12)
    expect(buildMatchQuery('x'.repeat(10_000))?.length).toBeLessThanOrEqual(203)
  })

  it('never produces a query FTS5 refuses, for thousands of seeded hostile inputs', () => {
    const seed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const next = rng(seed)
    const db = ftsDatabase()
    const search = db.prepare('SELECT rowid FROM t WHERE t MATCH ?')
    for (let i = 0; i < 3000; i++) {
      const input = randomInput(next)
      const query = buildMatchQuery(input)
      if (query === null) continue
      try {
        search.all(query)
      } catch (error) {
        throw new Error(`seed ${seed}, case ${i}: ${JSON.stringify(input)} → ${query}: ${String(error)}`)
      }
    }
  })

  it('finds words as a person means them: hyphenated, accented, prefix, CJK', () => {
    const db = ftsDatabase()
    const hits = (q: string) => db.prepare('SELECT title FROM t WHERE t MATCH ?').all(buildMatchQuery(q)).length
    expect(hits('job-quality')).toBe(1)
    expect(hits('prevail')).toBe(1)
    expect(hits('AND')).toBe(1)
    expect(hits('"quoted')).toBe(1)
    expect(hits('中文')).toBe(1)
    expect(hits('nothing here')).toBe(0)
  })
})

describe('snippetHtml', () => {
  it('escapes the text before marking the match, so indexed markup never becomes HTML', () => {
    const raw = `<script>x</script> & ${MATCH_START}wage${MATCH_END} "quoted"`
    expect(snippetHtml(raw)).toBe('&lt;script&gt;x&lt;/script&gt; &amp; <mark>wage</mark> &quot;quoted&quot;')
  })

  it('closes a match cut off at the end of the snippet', () => {
    expect(snippetHtml(`a ${MATCH_START}wa`)).toBe('a <mark>wa</mark>')
  })
})
