/** Hostile search input for tests: what people (or attackers) may type into a search box. */

/** A small deterministic generator (mulberry32), seeded from LEVER_SEED or a fresh seed. */
export function rng(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const HOSTILE = [
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

export function randomInput(next: () => number): string {
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
