import { z } from 'zod'
import { planSnapshotSchema, sectionIdSchema } from '../plan/schemas.ts'

/** Why a version was taken: automatically, named by a person, just before a restore, or before an event. */
export const versionKindSchema = z.enum(['auto', 'named', 'before-restore', 'event'])
export type VersionKind = z.infer<typeof versionKindSchema>

export const versionPersonSchema = z.object({ id: z.string(), name: z.string() })
export type VersionPerson = z.infer<typeof versionPersonSchema>

/** One stored version of a plan, as `GET /api/plans/:id/versions` lists it. */
export const versionSummarySchema = z.object({
  id: z.string(),
  kind: versionKindSchema,
  name: z.string().nullable(),
  createdAt: z.string(),
  createdBy: versionPersonSchema.nullable(),
  /** The people who changed the plan since the previous version. */
  authors: z.array(versionPersonSchema),
})
export type VersionSummary = z.infer<typeof versionSummarySchema>

export const versionListResponseSchema = z.object({ versions: z.array(versionSummarySchema) })

export const versionNameSchema = z.string().trim().min(1, 'Give the version a name').max(120)

/** `POST /api/plans/:id/versions` (name the current state) and `PATCH …/:versionId` (rename). */
export const nameVersionRequestSchema = z.object({ name: versionNameSchema }).strict()

/** A ProseMirror JSON node, as the editor stores a prose field (the one shape, from the export model). */
import type { ProseNode } from '../export/proseJson.ts'

export type { ProseNode }
export const proseNodeSchema: z.ZodType<ProseNode> = z.lazy(() =>
  z.object({
    type: z.string(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(proseNodeSchema).optional(),
    text: z.string().optional(),
    marks: z.array(z.object({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() })).optional(),
  }),
)

/** `GET /api/plans/:id/versions/:versionId`: the version and the plan as it was. */
export const versionDetailResponseSchema = z.object({
  version: versionSummarySchema,
  plan: planSnapshotSchema,
  /** Every prose field (`section:<id>`, `initiative:<id>:description`) as ProseMirror JSON. */
  prose: z.record(z.string(), proseNodeSchema),
})
export type VersionDetailResponse = z.infer<typeof versionDetailResponseSchema>

/** `POST …/versions/:versionId/restore`: the whole version, one initiative, or one section. */
export const restoreRequestSchema = z.union([
  z.object({ initiativeId: z.string().min(1).max(64) }).strict(),
  z.object({ section: sectionIdSchema }).strict(),
  z.object({}).strict(),
])
export type RestoreRequest = z.infer<typeof restoreRequestSchema>

export const restoreResponseSchema = z.object({ beforeRestore: z.string() })

/** One piece of a prose comparison: unchanged, inserted (with who wrote it, when known) or deleted. */
export const textChangeSchema = z.object({
  kind: z.enum(['same', 'inserted', 'deleted']),
  text: z.string(),
  by: z.array(versionPersonSchema).optional(),
})
export type TextChange = z.infer<typeof textChangeSchema>

/** A structured field that differs: a path such as `Initiative “X” › Owner`, before → after. */
export const fieldChangeSchema = z.object({
  scope: z.string(),
  field: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
})
export type FieldChange = z.infer<typeof fieldChangeSchema>

/** `GET …/versions/:versionId/compare?with=current|<versionId>`: from the older to the newer. */
export const compareResponseSchema = z.object({
  from: z.object({ id: z.string(), label: z.string() }),
  to: z.object({ id: z.string(), label: z.string() }),
  prose: z.array(z.object({ field: z.string(), label: z.string(), changes: z.array(textChangeSchema) })),
  initiativesAdded: z.array(z.object({ id: z.string(), title: z.string() })),
  initiativesRemoved: z.array(z.object({ id: z.string(), title: z.string() })),
  fields: z.array(fieldChangeSchema),
})
export type CompareResponse = z.infer<typeof compareResponseSchema>
