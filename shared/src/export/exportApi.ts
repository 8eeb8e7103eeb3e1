import { z } from 'zod'

/** Formats of `GET /api/plans/:id/export?format=…`, with what the app's export menu says. */
export const PLAN_EXPORT_FORMATS = [
  { id: 'pdf', label: 'Briefing book (PDF)', extension: 'pdf', contentType: 'application/pdf', slow: true },
  {
    id: 'docx',
    label: 'Word document (.docx)',
    extension: 'docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    slow: true,
  },
  {
    id: 'xlsx',
    label: 'Spreadsheet (.xlsx)',
    extension: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    slow: false,
  },
  { id: 'csv', label: 'Initiatives (CSV)', extension: 'csv', contentType: 'text/csv; charset=utf-8', slow: false },
  { id: 'md', label: 'Markdown', extension: 'md', contentType: 'text/markdown; charset=utf-8', slow: false },
] as const
export type PlanExportFormat = (typeof PLAN_EXPORT_FORMATS)[number]['id']

/** Formats of the facilitators' cohort roll-up, `GET /api/cohort/export?format=…`. */
export const COHORT_EXPORT_FORMATS = [
  PLAN_EXPORT_FORMATS[2],
  { ...PLAN_EXPORT_FORMATS[0], label: 'Summaries of every jurisdiction (PDF)' },
] as const
export type CohortExportFormat = (typeof COHORT_EXPORT_FORMATS)[number]['id']

const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true')

/** Query of a plan export. `version` names a stored version (404 `version_not_found` when unknown). */
export const planExportQuerySchema = z.object({
  format: z.enum(['pdf', 'docx', 'xlsx', 'csv', 'md'], {
    error: 'format must be one of pdf, docx, xlsx, csv or md',
  }),
  version: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a version id')
    .optional(),
  /** Add the open comment threads as an appendix (PDF, Word, Markdown). Off by default. */
  comments: flag,
})
export type PlanExportQuery = z.infer<typeof planExportQuerySchema>

export const cohortExportQuerySchema = z.object({
  format: z.enum(['xlsx', 'pdf'], { error: 'format must be xlsx or pdf' }),
})
