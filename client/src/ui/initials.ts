/** Small words of names and of team names that do not make initials ("City of Boulder lead"). */
const PARTICLES = new Set([
  'of',
  'the',
  'and',
  'for',
  'de',
  'del',
  'la',
  'le',
  'da',
  'di',
  'du',
  'van',
  'von',
  'der',
  'y',
])

/** The words of a name that carry it: capitalised ones when there are any, without particles. */
function nameWords(name: string): string[] {
  const words = name
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter(Boolean)
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w))
  if (capitalised.length > 0) return capitalised
  const meaningful = words.filter((w) => !PARTICLES.has(w.toLowerCase()))
  return meaningful.length > 0 ? meaningful : words
}

const upperFirst = (w: string) => Array.from(w)[0]?.toUpperCase() ?? ''

/**
 * Up to two initials of a display name, from the words that carry it: "Casey Lee" → "CL",
 * "City of Boulder lead" → "CB" ("City of Atlanta lead" → "CA"), "ana de la cruz" → "AC".
 */
export function initialsOf(name: string): string {
  const words = nameWords(name)
  const first = words[0]
  if (!first) return '?'
  const last = words.length > 1 ? words.at(-1) : undefined
  return upperFirst(first) + (last ? upperFirst(last) : '')
}

/** Longer initials for a name whose two initials another name present shares, best first. */
function longerInitials(name: string): string[] {
  const words = nameWords(name)
  const first = words[0] ?? ''
  const last = words.length > 1 ? (words.at(-1) ?? '') : ''
  const middle = words.slice(1, -1).map(upperFirst).join('')
  const chars = (w: string, n: number) => Array.from(w).slice(0, n).join('')
  const lastPart = (n: number) => (last ? upperFirst(last) + chars(last, n).slice(1).toLowerCase() : '')
  const firstPart = (n: number) => upperFirst(first) + chars(first, n).slice(1).toLowerCase()
  return [
    middle ? upperFirst(first) + middle.slice(0, 1) + upperFirst(last) : '',
    last ? upperFirst(first) + lastPart(2) : '',
    last ? firstPart(2) + upperFirst(last) : '',
    last ? upperFirst(first) + lastPart(3) : '',
    firstPart(3) + (last ? upperFirst(last) : ''),
  ].filter(Boolean)
}

/**
 * Initials for the people shown together (a document's presence list), different for different
 * names wherever the names allow: two initials, and where two names share them, a third letter
 * (a middle initial, or more letters of the last or first name, as far as the names differ).
 */
export function distinctInitials(names: readonly string[]): Map<string, string> {
  const result = new Map<string, string>()
  const groups = new Map<string, string[]>()
  for (const name of new Set(names)) {
    const base = initialsOf(name)
    result.set(name, base)
    groups.set(base, [...(groups.get(base) ?? []), name])
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue
    const options = group.map(longerInitials)
    const longest = Math.max(...options.map((o) => o.length))
    for (let k = 0; k < longest; k++) {
      const picked = group.map((name, i) => options[i]?.[k] ?? result.get(name) ?? '?')
      if (new Set(picked).size === group.length) {
        for (const [i, name] of group.entries()) result.set(name, picked[i] ?? '?')
        break
      }
    }
  }
  return result
}
