/** Longest query text read; the rest is ignored. */
export const MAX_QUERY_CHARS = 200
/** Most words a query keeps. */
export const MAX_QUERY_TERMS = 12
/** Shortest query that searches (shorter ones answer no results). */
export const MIN_QUERY_CHARS = 2

/** A word: letters, digits and combining marks of any script (what FTS5's unicode61 keeps). */
const WORD = /[\p{L}\p{N}\p{M}]+/gu

/**
 * Turns what a person typed into an FTS5 MATCH expression that cannot fail: every word becomes a
 * quoted string (so `AND`, `NEAR`, `-`, `*`, `:` and quotes are ordinary text), the words must all
 * appear, and the last one matches as a prefix (results appear while typing). Returns null when
 * nothing is left to search for.
 */
export function buildMatchQuery(input: string): string | null {
  const text = input.normalize('NFKC').slice(0, MAX_QUERY_CHARS)
  const words = (text.match(WORD) ?? []).slice(0, MAX_QUERY_TERMS)
  if (words.join('').length < MIN_QUERY_CHARS) return null
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
