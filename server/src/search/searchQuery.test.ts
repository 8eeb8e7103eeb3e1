import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { randomInput, rng } from '../testing/hostileInput.ts'
import { buildMatchQuery, MATCH_END, MATCH_START, snippetHtml, snippetOf } from './searchQuery.ts'

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

describe('snippetOf', () => {
  const marked = (s: string) => s.replaceAll(MATCH_START, '[').replaceAll(MATCH_END, ']')

  it('marks the words of the query in the body, the last one as a prefix, case and accents aside', () => {
    expect(marked(snippetOf('Title', 'Prevailing wages in Zürich contracts', ['prevailing', 'zur']))).toBe(
      '[Prevailing] wages in [Zürich] contracts',
    )
  })

  it('marks letters PostgreSQL folds without a decomposition, and the parts of URLs and addresses', () => {
    expect(marked(snippetOf('T', 'Straße, Ærø and Łódź', ['strasse', 'aero', 'lodz']))).toBe(
      '[Straße], [Ærø] and [Łódź]',
    )
    expect(marked(snippetOf('T', 'See https://example.org/jobs or ann@tulsa.gov', ['example', 'jobs', 'tulsa']))).toBe(
      'See https://[example].org/[jobs] or ann@[tulsa].gov',
    )
  })

  it('falls back to the title when the body does not hold the words', () => {
    expect(marked(snippetOf('Childcare stipends', 'Evening shifts', ['childcare']))).toBe('[Childcare] stipends')
  })

  it('cuts 16 words around the matches, with an ellipsis where the text goes on', () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`)
    words[30] = 'turnover'
    const snippet = marked(snippetOf('T', words.join(' '), ['turnover']))
    expect(snippet).toBe('…w23 w24 w25 w26 w27 w28 w29 [turnover] w31 w32 w33 w34 w35 w36 w37 w38…')
    // Near the end the window ends with the text, near the start it begins with it.
    words[30] = 'w30'
    words[58] = 'turnover'
    expect(marked(snippetOf('T', words.join(' '), ['turnover'])).endsWith('[turnover] w59')).toBe(true)
    expect(marked(snippetOf('T', `turnover ${words.join(' ')}`, ['turnover'])).startsWith('[turnover] w0')).toBe(true)
  })

  it('prefers the window holding the most distinct words of the query', () => {
    const text = `wage ${Array.from({ length: 30 }, (_, i) => `f${i}`).join(' ')} wage theft`
    expect(marked(snippetOf('T', text, ['wage', 'theft']))).toContain('[wage] [theft]')
  })
})
