import { z } from 'zod'
import { DEFAULT_LEVERS, idsOf } from './plan/catalog.ts'
import {
  componentIdSchema,
  evidenceCitationSchema,
  evidenceTierSchema,
  isoDateSchema,
  leverIdSchema,
} from './plan/schemas.ts'

/**
 * The cohort's library: evidence entries on job-quality interventions (summaries written by the
 * program, ratings in the source clearinghouse's own words) and resources (tools and sample
 * documents, as links or uploaded files). Shapes of the data file, the HTTP API and citations.
 */

/** A link people open: http or https only (never `javascript:` or `data:`). */
export const httpUrlSchema = z
  .string()
  .trim()
  .max(2000, 'Keep links under 2,000 characters')
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'http:' || url.protocol === 'https:'
    } catch {
      return false
    }
  }, 'Use a web address starting with http:// or https://')

export const libraryLeverIds = idsOf(DEFAULT_LEVERS)
/** Library entries are tagged with the program's four levers. */
export const libraryLeverSchema = z.enum(libraryLeverIds)

/** An entry's id: lower-case letters, digits and hyphens (the data file's ids are slugs). */
export const evidenceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'Entry ids are lower-case letters, digits and hyphens (at most 80)')

const shortText = (label: string, max: number) =>
  z.string().trim().min(1, `${label} is required`).max(max, `Keep the ${label.toLowerCase()} under ${max} characters`)

/** A source's rating in its own scheme and words, e.g. CLEAR: "High causal evidence". */
export const evidenceRatingSchema = z.object({
  scheme: shortText('Rating scheme', 120),
  value: shortText('Rating', 120),
})
export type EvidenceRating = z.infer<typeof evidenceRatingSchema>

export const evidenceSourceSchema = z.object({
  name: shortText('Source name', 200),
  url: httpUrlSchema,
})

/** Where and when an entry's facts were checked against the source's own pages. */
export const evidenceCheckedSchema = z.object({
  on: isoDateSchema,
  where: shortText('Where it was checked', 2000),
})

const tagList = (label: string) => z.array(shortText(label, 120)).max(30, `At most 30 ${label.toLowerCase()}s`)

/** The facts of an entry, as the data file and the facilitators' form give them. */
export const evidenceFieldsSchema = z.object({
  title: shortText('Title', 200),
  summary: shortText('Summary', 4000),
  source: evidenceSourceSchema,
  rating: evidenceRatingSchema.nullable(),
  outcomeDomains: tagList('Outcome domain').default([]),
  populations: tagList('Population').default([]),
  components: z.array(componentIdSchema).max(8).default([]),
  levers: z.array(libraryLeverSchema).max(4).default([]),
  suggestedTier: evidenceTierSchema.nullable().default(null),
  checked: evidenceCheckedSchema.nullable().default(null),
})
export type EvidenceFields = z.infer<typeof evidenceFieldsSchema>

/** One entry of `server/src/library/evidence.seed.json`. */
export const evidenceSeedEntrySchema = evidenceFieldsSchema.extend({ id: evidenceIdSchema }).strict()
export const evidenceSeedFileSchema = z
  .object({ schemaVersion: z.literal(1), entries: z.array(evidenceSeedEntrySchema) })
  .strict()
  .refine((file) => new Set(file.entries.map((e) => e.id)).size === file.entries.length, 'Entry ids must be unique')
export type EvidenceSeedFile = z.infer<typeof evidenceSeedFileSchema>

/** `POST /api/library/evidence`. */
export const createEvidenceRequestSchema = evidenceFieldsSchema.strict()
export type CreateEvidenceRequest = z.input<typeof createEvidenceRequestSchema>
/** `PATCH /api/library/evidence/:id`: any of the fields. */
export const updateEvidenceRequestSchema = z
  .object({
    title: evidenceFieldsSchema.shape.title,
    summary: evidenceFieldsSchema.shape.summary,
    source: evidenceSourceSchema,
    rating: evidenceRatingSchema.nullable(),
    outcomeDomains: tagList('Outcome domain'),
    populations: tagList('Population'),
    components: z.array(componentIdSchema).max(8),
    levers: z.array(libraryLeverSchema).max(4),
    suggestedTier: evidenceTierSchema.nullable(),
    checked: evidenceCheckedSchema.nullable(),
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Change at least one field')
export type UpdateEvidenceRequest = z.input<typeof updateEvidenceRequestSchema>

export const evidenceEntrySchema = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  source: z.object({ name: z.string(), url: z.string() }),
  rating: z.object({ scheme: z.string(), value: z.string() }).nullable(),
  outcomeDomains: z.array(z.string()),
  populations: z.array(z.string()),
  components: z.array(z.string()),
  levers: z.array(z.string()),
  suggestedTier: z.string().nullable(),
  checked: z.object({ on: z.string(), where: z.string() }).nullable(),
  /** Goes up by one with every change; a citation remembers the revision it cited. */
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Whether the entry came from the program's data file (null author) or a facilitator wrote it. */
  createdBy: z.string().nullable(),
})
export type EvidenceEntry = z.infer<typeof evidenceEntrySchema>

export const evidenceListResponseSchema = z.object({ entries: z.array(evidenceEntrySchema) })
export const evidenceEntryResponseSchema = z.object({ entry: evidenceEntrySchema })

/** `GET /api/library/evidence` filters. */
export const evidenceQuerySchema = z.object({
  lever: z.string().max(40).optional(),
  component: z.string().max(40).optional(),
  rating: z.string().max(120).optional(),
  population: z.string().max(120).optional(),
  q: z.string().max(200, 'Search for at most 200 characters').optional(),
})
export type EvidenceQuery = z.infer<typeof evidenceQuerySchema>

const sameText = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

/** Whether an entry passes the filters of `GET /api/library/evidence` (the library page filters the same way). */
export function matchesEvidenceQuery(entry: EvidenceEntry, query: EvidenceQuery): boolean {
  if (query.lever && !entry.levers.includes(query.lever)) return false
  if (query.component && !entry.components.includes(query.component)) return false
  if (query.rating) {
    const wanted = query.rating
    if (wanted === 'none' ? entry.rating !== null : !entry.rating || !sameText(entry.rating.value, wanted)) return false
  }
  if (query.population && !entry.populations.some((p) => sameText(p, query.population as string))) return false
  const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  if (words.length > 0) {
    const haystack = [
      entry.title,
      entry.summary,
      entry.source.name,
      entry.rating?.value ?? '',
      ...entry.populations,
      ...entry.outcomeDomains,
    ]
      .join('\n')
      .toLowerCase()
    if (!words.every((w) => haystack.includes(w))) return false
  }
  return true
}

// ---- Resources ----

/** What may be uploaded: type, the extensions it may have, and what people call it. */
export const RESOURCE_FILE_TYPES = [
  { type: 'application/pdf', extensions: ['pdf'], label: 'PDF' },
  {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extensions: ['docx'],
    label: 'Word',
  },
  { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['xlsx'], label: 'Excel' },
  {
    type: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    extensions: ['pptx'],
    label: 'PowerPoint',
  },
  { type: 'text/csv', extensions: ['csv'], label: 'CSV' },
  { type: 'text/plain', extensions: ['txt'], label: 'Text' },
  { type: 'image/png', extensions: ['png'], label: 'PNG image' },
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], label: 'JPEG image' },
] as const

/** The `accept` attribute of a file input for resources. */
export const RESOURCE_ACCEPT = RESOURCE_FILE_TYPES.flatMap((t) => [t.type, ...t.extensions.map((e) => `.${e}`)]).join(
  ',',
)

export const resourceFieldsSchema = z.object({
  title: shortText('Title', 200),
  description: z.string().trim().max(4000, 'Keep the description under 4,000 characters').default(''),
  levers: z.array(libraryLeverSchema).max(4).default([]),
  components: z.array(componentIdSchema).max(8).default([]),
})

/** `POST /api/library/resources` as JSON: a link. (An uploaded file is sent as multipart form data.) */
export const createResourceLinkSchema = resourceFieldsSchema.extend({ url: httpUrlSchema }).strict()
export type CreateResourceLink = z.input<typeof createResourceLinkSchema>

export const updateResourceRequestSchema = z
  .object({
    title: resourceFieldsSchema.shape.title,
    description: z.string().trim().max(4000, 'Keep the description under 4,000 characters'),
    levers: z.array(libraryLeverSchema).max(4),
    components: z.array(componentIdSchema).max(8),
    url: httpUrlSchema,
  })
  .partial()
  .strict()
  .refine((body) => Object.keys(body).length > 0, 'Change at least one field')
export type UpdateResourceRequest = z.input<typeof updateResourceRequestSchema>

export const resourceSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  levers: z.array(z.string()),
  components: z.array(z.string()),
  /** A link, or null for an uploaded file. */
  url: z.string().nullable(),
  /** The uploaded file, or null for a link. */
  file: z.object({ name: z.string(), type: z.string(), size: z.number().int(), href: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
})
export type Resource = z.infer<typeof resourceSchema>
export const resourceListResponseSchema = z.object({ resources: z.array(resourceSchema) })

// ---- Citations of entries in a plan ----

/** `POST /api/plans/:id/initiatives/:initiativeId/citations`. */
export const citeEvidenceRequestSchema = z.object({ entryId: evidenceIdSchema }).strict()
/** `POST /api/plans/:id/initiatives/from-evidence`. */
export const initiativeFromEvidenceRequestSchema = z
  .object({ entryId: evidenceIdSchema, lever: leverIdSchema })
  .strict()

/** The rating as people read it: "CLEAR: High causal evidence", or "Not rated". */
export function ratingText(rating: EvidenceRating | null): string {
  return rating ? `${rating.scheme}: ${rating.value}` : 'Not rated'
}

// ---- Responses ----

export const ratingHistorySchema = z.array(
  z.object({ revision: z.number().int(), rating: evidenceEntrySchema.shape.rating, at: z.string() }),
)
/** `GET /api/library/evidence/:id`: the entry and every rating it has had. */
export const evidenceDetailResponseSchema = z.object({ entry: evidenceEntrySchema, ratingHistory: ratingHistorySchema })
export type EvidenceDetail = z.infer<typeof evidenceDetailResponseSchema>
export const resourceResponseSchema = z.object({ resource: resourceSchema })
/** `GET /api/library/plans`: the plans the caller may edit (to start an initiative in). */
export const editablePlansResponseSchema = z.object({
  plans: z.array(z.object({ id: z.string(), title: z.string(), jurisdictionId: z.string() })),
})
export type EditablePlan = z.infer<typeof editablePlansResponseSchema>['plans'][number]
export const citationResponseSchema = z.object({ citation: evidenceCitationSchema })
export const initiativeFromEvidenceResponseSchema = z.object({ initiativeId: z.string() })
