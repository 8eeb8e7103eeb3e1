/** Folds ASCII letters only, as SQLite's NOCASE does. */
const fold = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())

/**
 * The library's list order: by title ignoring ASCII case, then by id. Sorted here rather than in
 * SQL, so that every engine (and every collation PostgreSQL was set up with) gives the same order.
 */
export function byTitle(a: { title: string; id: string }, b: { title: string; id: string }): number {
  const x = fold(a.title)
  const y = fold(b.title)
  if (x !== y) return x < y ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
