import { z } from 'zod'

/** What a search result can be. */
export const SEARCH_RESULT_KINDS = [
  'plan',
  'section',
  'initiative',
  'thread',
  'session',
  'jurisdiction',
  'evidence',
  'resource',
] as const
export type SearchResultKind = (typeof SEARCH_RESULT_KINDS)[number]

/** One result of `GET /api/search`. */
export const searchResultSchema = z.object({
  kind: z.enum(SEARCH_RESULT_KINDS),
  title: z.string(),
  /** Escaped text with the matched words in `<mark>…</mark>`. */
  snippet: z.string(),
  planId: z.string().optional(),
  jurisdictionId: z.string().optional(),
  /** Where the result is: "<plan title> · <jurisdiction>". */
  context: z.string(),
  href: z.string(),
})
export type SearchResult = z.infer<typeof searchResultSchema>

export const searchResponseSchema = z.object({ results: z.array(searchResultSchema) })
