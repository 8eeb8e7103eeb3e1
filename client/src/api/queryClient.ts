import { QueryClient } from '@tanstack/react-query'
import { ApiRequestError } from './http.ts'

/**
 * The one cache of REST data in the app. Data stays fresh for a while (pages opened again show it
 * at once and refresh behind), and is refetched when the server says something of its kind
 * changed (`liveEvents.ts`) or when the window regains focus. A refusal (4xx) is not retried.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      gcTime: 5 * 60_000,
      refetchOnWindowFocus: true,
      retry: (failures, error) =>
        !(error instanceof ApiRequestError && error.status >= 400 && error.status < 500) && failures < 2,
    },
  },
})

/**
 * Which cached data a kind of change touches: the first part of each query key is its kind. A
 * change to plans shows in jurisdiction pages, home pages and the cohort overview too.
 */
const TOUCHES: Record<string, readonly string[]> = {
  jurisdictions: ['jurisdictions', 'plans', 'home', 'overview'],
  plans: ['plans', 'jurisdictions', 'home', 'overview', 'check-ins', 'versions'],
  cohort: ['overview', 'check-ins', 'calendar', 'home'],
  sessions: ['sessions', 'home'],
  drafts: ['sessions', 'drafts', 'plans'],
  users: ['people', 'home'],
  library: ['library'],
  templates: ['templates'],
  coaching: ['coaching', 'home'],
}

/** Refetches what a change of this kind may have made stale (every query, for a kind not listed). */
export function invalidateTopic(topic: string): Promise<void> {
  const kinds = TOUCHES[topic]
  if (!kinds) return queryClient.invalidateQueries()
  return queryClient.invalidateQueries({
    predicate: (q) => typeof q.queryKey[0] === 'string' && kinds.includes(q.queryKey[0]),
  })
}
