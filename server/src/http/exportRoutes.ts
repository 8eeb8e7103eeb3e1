import { cohortExportQuerySchema, ErrorCode, planExportQuerySchema } from '@lever/shared'
import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { PlanService } from '../domain/plans.ts'
import { ExportBusyError } from '../export/ExportLimiter.ts'
import { type ExportFile, type ExportService, VersionNotFoundError } from '../export/ExportService.ts'
import { attachmentDisposition } from '../export/filename.ts'
import { PdfBusyError, PdfUnavailableError } from '../export/PdfPrinter.ts'
import type { Logger } from '../logger.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { visiblePlan } from './jurisdictionRoutes.ts'
import { parseWith } from './validation.ts'

const planIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id')

function send(c: Context<AppEnv>, file: ExportFile): Response {
  return c.body(file.body as string | Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': file.contentType,
    'Content-Disposition': attachmentDisposition(file.fileName),
    'Cache-Control': 'private, no-store',
  })
}

/** Turns what an export can fail with into the API's JSON errors. */
async function guarded(logger: Logger, what: string, make: () => Promise<ExportFile>): Promise<ExportFile> {
  try {
    return await make()
  } catch (error) {
    if (error instanceof ApiError) throw error
    if (error instanceof PdfUnavailableError) throw new ApiError(503, ErrorCode.PdfUnavailable, error.message)
    if (error instanceof PdfBusyError || error instanceof ExportBusyError)
      throw new ApiError(429, ErrorCode.RateLimited, error.message)
    if (error instanceof VersionNotFoundError) throw new ApiError(404, ErrorCode.VersionNotFound, error.message)
    logger.error({ err: error, what }, 'an export failed')
    throw new ApiError(500, ErrorCode.ExportFailed, 'The export could not be made. Try again, or try another format.')
  }
}

/**
 * `GET /api/plans/:id/export?format=pdf|docx|xlsx|csv|md[&version=<id>][&comments=1]`: a plan
 * for whoever may read it. `GET /api/cohort/export?format=xlsx|pdf`: the roll-up, facilitators only.
 */
export function exportRoutes({
  plans,
  exports,
  logger,
}: {
  plans: PlanService
  exports: ExportService
  logger: Logger
}): { plans: Hono<AppEnv>; cohort: Hono<AppEnv> } {
  const planApp = new Hono<AppEnv>()
  planApp.get('/:id/export', async (c) => {
    const user = requireUser(c)
    const plan = await plans.get(parseWith(planIdSchema, c.req.param('id')))
    if (!plan) throw ApiError.notFound('No such plan')
    if (!visiblePlan(user, plan))
      throw ApiError.forbidden('This plan is not shared with you. Ask its team or a facilitator for access.')
    const query = parseWith(planExportQuerySchema, c.req.query())
    const file = await guarded(logger, `plan ${plan.id} as ${query.format}`, () =>
      exports.planFile(plan, query.format, {
        versionId: query.version,
        includeComments: query.comments,
        reader: user,
      }),
    )
    return send(c, file)
  })

  const cohortApp = new Hono<AppEnv>()
  cohortApp.get('/export', async (c) => {
    const user = requireUser(c)
    if (!user.active || user.role !== 'facilitator')
      throw ApiError.forbidden('Only facilitators can export the whole cohort')
    const query = parseWith(cohortExportQuerySchema, c.req.query())
    return send(c, await guarded(logger, `cohort as ${query.format}`, () => exports.cohortFile(query.format)))
  })

  return { plans: planApp, cohort: cohortApp }
}
