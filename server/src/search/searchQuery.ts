/** Longest query text read; the rest is ignored. */
export const MAX_QUERY_CHARS = 200
/** Most words a query keeps. */
export const MAX_QUERY_TERMS = 12
/** Shortest query that searches (shorter ones answer no results). */
export const MIN_QUERY_CHARS = 2

/** A word: letters, digits and combining marks of any script (what FTS5's unicode61 keeps). */
const WORD = /[\p{L}\p{N}\p{M}]+/gu

/**
 * The words of what a person typed, as a search looks for them: letters, digits and marks only (so
 * no operator, quote or bracket of either engine survives), at most `MAX_QUERY_TERMS` of them from
 * the first `MAX_QUERY_CHARS` characters. Null when nothing is left to search for.
 */
export function queryWords(input: string): string[] | null {
  const text = input.normalize('NFKC').slice(0, MAX_QUERY_CHARS)
  const words = (text.match(WORD) ?? []).slice(0, MAX_QUERY_TERMS)
  return words.join('').length < MIN_QUERY_CHARS ? null : words
}

/**
 * Turns what a person typed into an FTS5 MATCH expression that cannot fail: every word becomes a
 * quoted string (so `AND`, `NEAR`, `-`, `*`, `:` and quotes are ordinary text), the words must all
 * appear, and the last one matches as a prefix (results appear while typing). Returns null when
 * nothing is left to search for.
 */
export function buildMatchQuery(input: string): string | null {
  const words = queryWords(input)
  return words && ftsMatchQuery(words)
}

/** The FTS5 MATCH expression of `queryWords`' words. */
export function ftsMatchQuery(words: readonly string[]): string {
  // Words hold no quotes (WORD excludes them), so wrapping them in quotes is all the escaping needed.
  return words.map((w, i) => (i === words.length - 1 ? `"${w}"*` : `"${w}"`)).join(' ')
}

/** Characters that mark the match in snippets: control characters that indexed text never holds. */
export const MATCH_START = '\u0001'
export const MATCH_END = '\u0002'

/** Removes the match markers (and other C0 controls but tab and newline) from text to be indexed. */
export function indexableText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/**
 * A snippet as safe HTML: the text is escaped first, then the match markers become `<mark>`.
 * Unbalanced markers (a snippet cut inside a match) are closed.
 */
export function snippetHtml(snippet: string): string {
  const escaped = snippet.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch)
  let open = false
  let out = ''
  for (const ch of escaped) {
    if (ch === MATCH_START) {
      if (!open) out += '<mark>'
      open = true
    } else if (ch === MATCH_END) {
      if (open) out += '</mark>'
      open = false
    } else out += ch
  }
  return open ? `${out}</mark>` : out
}

/** Tokens of a snippet around its first matches, as FTS5's `snippet()` cuts them. */
export const SNIPPET_TOKENS = 16

/**
 * Letters without a decomposition that PostgreSQL's `unaccent` folds all the same (it folds the
 * indexed words there), so that the snippet marks what the search found.
 */
const UNACCENT_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
}

/** How a word compares with a query word: case and accents aside (as both engines index). */
function foldWord(word: string): string {
  return word
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþıħŧ]/g, (ch) => UNACCENT_LETTERS[ch] ?? ch)
}

/**
 * A snippet of a row, as FTS5's `snippet(…, 16)` gives it: up to `SNIPPET_TOKENS` words of the
 * column where the query's words appear (the body, else the title), from where most of them
 * appear together, the matching words between `MATCH_START` and `MATCH_END`, `…` where the text
 * was cut. For an engine without FTS5's snippets (PostgreSQL).
 */
export function snippetOf(title: string, body: string, words: readonly string[]): string {
  const terms = words.map(foldWord)
  const last = terms.length - 1
  /** Which query word a token matches (-1: none); the last query word matches as a prefix. */
  const termOf = (token: string): number => {
    const folded = foldWord(token)
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i] as string
      if (folded === term || (i === last && folded.startsWith(term))) return i
    }
    return -1
  }
  const tokensOf = (text: string) =>
    [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, term: termOf(m[0]) }))
  let text = body
  let tokens = tokensOf(body)
  if (!tokens.some((t) => t.term >= 0)) {
    text = title
    tokens = tokensOf(title)
  }
  if (tokens.length === 0) return text.slice(0, 200)
  // The window of SNIPPET_TOKENS tokens from a match holding the most distinct query words
  // (earliest wins), then moved back so its matches sit in the middle.
  let from = 0
  let best = -1
  for (let i = 0; i < tokens.length; i++) {
    if ((tokens[i]?.term ?? -1) < 0) continue
    const ahead = tokens.slice(i, i + SNIPPET_TOKENS)
    const found = new Set(ahead.map((t) => t.term).filter((t) => t >= 0)).size
    if (found <= best) continue
    best = found
    let lastMatch = 0
    ahead.forEach((t, k) => {
      if (t.term >= 0) lastMatch = k
    })
    const centred = i - Math.floor((SNIPPET_TOKENS - (lastMatch + 1)) / 2)
    from = Math.max(0, Math.min(centred, tokens.length - SNIPPET_TOKENS))
  }
  const window = tokens.slice(from, from + SNIPPET_TOKENS)
  const first = window[0]
  const end = window.at(-1)
  if (!first || !end) return ''
  const cutStart = from > 0
  const cutEnd = from + SNIPPET_TOKENS < tokens.length
  let out = cutStart ? '…' : text.slice(0, first.start)
  let at = first.start
  for (const t of window) {
    out += text.slice(at, t.start)
    const word = text.slice(t.start, t.end)
    out += t.term >= 0 ? `${MATCH_START}${word}${MATCH_END}` : word
    at = t.end
  }
  return out + (cutEnd ? '…' : text.slice(at))
}
