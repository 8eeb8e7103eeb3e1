import type { PlanPerson } from '../api/comments.ts'

/** The "@name" being typed just before the caret, if any. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret)
  const at = before.lastIndexOf('@')
  if (at === -1) return null
  if (at > 0 && !/[\s(]/.test(before[at - 1] ?? '')) return null // an email address, not a mention
  const query = before.slice(at + 1)
  if (query.length > 40 || /[\n@]/.test(query)) return null
  return { start: at, query }
}

/**
 * People whose name (or a word of it) starts with the query, at most six; the writer (`selfId`)
 * comes last, since one rarely mentions oneself.
 */
export function matchPeople(people: PlanPerson[], query: string, selfId?: string): PlanPerson[] {
  const q = query.trim().toLowerCase()
  const matching = people.filter((p) => {
    const name = p.name.toLowerCase()
    return q === '' || name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q))
  })
  return [...matching.filter((p) => p.id !== selfId), ...matching.filter((p) => p.id === selfId)].slice(0, 6)
}

/** The ids of the people "@Full Name" appears for in a comment. */
export function mentionsIn(text: string, people: PlanPerson[]): string[] {
  return people.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id)
}
