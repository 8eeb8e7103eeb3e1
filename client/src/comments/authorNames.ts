import { useMemo } from 'react'
import { peopleDirectory } from '../api/comments.ts'
import { useApi } from '../api/useApi.ts'

/** Someone in the server's directory of people. */
export interface DirectoryPerson {
  id: string
  name: string
}

/**
 * The name to show for a comment's or thread's author: the server's, from its directory of people
 * (the document's copy may be stale, or written by a client that lied); the name stored in the
 * document only for an id the directory does not list.
 */
export function authorNameLookup(directory: readonly DirectoryPerson[]): (authorId: string, stored: string) => string {
  const names = new Map(directory.map((p) => [p.id, p.name]))
  return (authorId, stored) => names.get(authorId) ?? stored
}

/** The author-name lookup over the server's directory (stored names until it has loaded). */
export function useAuthorNames(): (authorId: string, stored: string) => string {
  const [directory] = useApi(['people', 'directory'], (signal) => peopleDirectory(signal))
  // The directory as the query cache holds it (the same array until it is fetched again): the
  // lookup, and the comments context that carries it, stay the same between renders.
  const people = directory.status === 'ready' ? directory.data : null
  return useMemo(() => authorNameLookup(people ?? []), [people])
}
