import type { ReactNode } from 'react'
import type { PlanPerson } from '../api/comments.ts'

/** The names a comment mentions, longest first (so "@Ana Lopez" wins over "@Ana"). */
function mentionedNames(mentions: string[], people: PlanPerson[], body: string): Array<{ id: string; name: string }> {
  const names = mentions.flatMap((id) => {
    const person = people.find((p) => p.id === id)
    return person && body.includes(`@${person.name}`) ? [{ id, name: person.name }] : []
  })
  return names.sort((a, b) => b.name.length - a.name.length)
}

/** A comment's text with its @mentions shown as names (and "you" emphasised). */
export function CommentBody({
  body,
  mentions,
  people,
  userId,
}: {
  body: string
  mentions: string[]
  people: PlanPerson[]
  userId: string
}) {
  const names = mentionedNames(mentions, people, body)
  const parts: ReactNode[] = []
  let rest = body
  let key = 0
  while (rest.length > 0) {
    let best: { at: number; id: string; name: string } | null = null
    for (const n of names) {
      const at = rest.indexOf(`@${n.name}`)
      if (at !== -1 && (best === null || at < best.at)) best = { at, ...n }
    }
    if (!best) {
      parts.push(rest)
      break
    }
    if (best.at > 0) parts.push(rest.slice(0, best.at))
    parts.push(
      <span key={key++} className={`mention${best.id === userId ? ' mention--me' : ''}`}>
        @{best.name}
        {best.id === userId ? <span className="visually-hidden"> (you)</span> : null}
      </span>,
    )
    rest = rest.slice(best.at + best.name.length + 1)
  }
  return <p className="comment__body">{parts}</p>
}
