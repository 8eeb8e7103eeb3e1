import fs from 'node:fs'
import { Readable } from 'node:stream'
import {
  AccessMode,
  citeEvidenceRequestSchema,
  createEvidenceRequestSchema,
  createResourceLinkSchema,
  ErrorCode,
  evidenceQuerySchema,
  initiativeFromEvidenceRequestSchema,
  planAccess,
  resourceFieldsSchema,
  type User,
  updateEvidenceRequestSchema,
  updateResourceRequestSchema,
} from '@lever/shared'
import { type Context, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import type { PlanService } from '../domain/plans.ts'
import type { EvidenceLibrary } from '../library/EvidenceLibrary.ts'
import { citeEntry, type PlanCitationDeps, removeCitation, startInitiativeFromEntry } from '../library/planCitations.ts'
import type { ResourceLibrary } from '../library/ResourceLibrary.ts'
import { attachmentDisposition, checkUpload } from '../library/uploads.ts'
import { ApiError } from './ApiError.ts'
import { requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const entryIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]{0,79}$/, 'Not an entry id')
const itemIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not an id')

/** Room for the form fields around an uploaded file. */
const FORM_OVERHEAD_BYTES = 64 * 1024

export interface LibraryRoutesDeps {
  evidence: EvidenceLibrary
  plans: PlanService
  resources: ResourceLibrary
  /** The largest uploaded file accepted. */
  uploadMaxBytes: number
}

/** Facilitators write the library; anyone else gets a 403. */
function requireFacilitator(c: Context<AppEnv>): User {
  const user = requireUser(c)
  if (!user.active || user.role !== 'facilitator') throw ApiError.forbidden('Only facilitators change the library')
  return user
}

function tooLarge(maxBytes: number): ApiError {
  const mib = maxBytes / (1024 * 1024)
  return new ApiError(
    413,
    ErrorCode.PayloadTooLarge,
    `Files are limited to ${Number.isInteger(mib) ? `${mib} MiB` : `${maxBytes} bytes`}`,
  )
}

/** Whether a request is an upload, which `createHttpApp` exempts from the general body limit. */
export function isLibraryUpload(method: string, path: string): boolean {
  return method === 'POST' && /^\/api\/library\/resources\/?$/.test(path)
}

/** A form field given once or several times, as a list of strings. */
function listField(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value]
  return values.filter((v): v is string => typeof v === 'string' && v !== '')
}

/** `/api/library`: the evidence library and resources. Everyone signed in reads; facilitators write. */
export function libraryRoutes({ evidence, plans, resources, uploadMaxBytes }: LibraryRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** The plans the caller may edit: where an initiative can be started from an entry. */
  app.get('/plans', async (c) => {
    const user = requireUser(c)
    const editable = (await plans.listAll())
      .filter((plan) => planAccess(user, plan) === AccessMode.ReadWrite)
      .map((plan) => ({ id: plan.id, title: plan.title, jurisdictionId: plan.jurisdictionId }))
    return c.json({ plans: editable })
  })

  app.get('/evidence', async (c) => {
    requireUser(c)
    const query = parseWith(evidenceQuerySchema, c.req.query())
    return c.json({ entries: await evidence.list(query) })
  })

  app.get('/evidence/:id', async (c) => {
    requireUser(c)
    const entry = await evidence.get(parseWith(entryIdParam, c.req.param('id')))
    if (!entry) throw ApiError.notFound('No such entry in the library')
    return c.json({ entry, ratingHistory: await evidence.ratingHistory(entry.id) })
  })

  app.post('/evidence', async (c) => {
    const user = requireFacilitator(c)
    const body = await readJson(c, createEvidenceRequestSchema)
    return c.json({ entry: await evidence.create(body, user.id) }, 201)
  })

  app.patch('/evidence/:id', async (c) => {
    const user = requireFacilitator(c)
    const id = parseWith(entryIdParam, c.req.param('id'))
    const body = await readJson(c, updateEvidenceRequestSchema)
    const entry = await evidence.update(id, body, user.id)
    if (!entry) throw ApiError.notFound('No such entry in the library')
    return c.json({ entry })
  })

  app.get('/resources', async (c) => {
    requireUser(c)
    return c.json({ resources: await resources.list() })
  })

  app.post(
    '/resources',
    // Who may upload is decided before any of the body is read.
    async (c, next) => {
      requireFacilitator(c)
      await next()
    },
    bodyLimit({
      maxSize: uploadMaxBytes + FORM_OVERHEAD_BYTES,
      onError: (c) => c.json(tooLarge(uploadMaxBytes).toBody(), 413),
    }),
    async (c) => {
      const user = requireFacilitator(c)
      const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
      if (type === 'application/json') {
        const body = await readJson(c, createResourceLinkSchema)
        const { url, ...fields } = body
        return c.json({ resource: await resources.addLink(fields, url, user.id) }, 201)
      }
      if (type !== 'multipart/form-data') {
        throw new ApiError(415, ErrorCode.UnsupportedMediaType, 'Send a link as JSON, or a file as multipart/form-data')
      }
      let form: Record<string, unknown>
      try {
        form = await c.req.parseBody({ all: true })
      } catch {
        throw ApiError.badRequest('The form could not be read')
      }
      const fields = parseWith(resourceFieldsSchema.strict(), {
        title: typeof form.title === 'string' ? form.title : '',
        description: typeof form.description === 'string' ? form.description : '',
        levers: listField(form.levers),
        components: listField(form.components),
      })
      const file = form.file
      if (!(file instanceof File)) throw ApiError.badRequest('file: Choose a file to upload')
      if (file.size > uploadMaxBytes) throw tooLarge(uploadMaxBytes)
      if (file.size === 0) throw ApiError.badRequest('file: The file is empty')
      const bytes = new Uint8Array(await file.arrayBuffer())
      const check = checkUpload(file.name, file.type, bytes)
      if (!check.ok) throw new ApiError(415, ErrorCode.UnsupportedMediaType, check.reason)
      const resource = await resources.addFile(fields, { name: check.name, type: check.type, bytes }, user.id)
      return c.json({ resource }, 201)
    },
  )

  app.get('/resources/:id/file', async (c) => {
    requireUser(c)
    const id = parseWith(itemIdParam, c.req.param('id'))
    const stored = await resources.file(id)
    if (!stored) throw ApiError.notFound('This resource has no file')
    let stream: fs.ReadStream
    try {
      await fs.promises.access(stored.path, fs.constants.R_OK)
      stream = fs.createReadStream(stored.path)
    } catch {
      throw ApiError.notFound('The file of this resource is missing on the server')
    }
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      status: 200,
      headers: {
        'Content-Type': stored.type,
        'Content-Length': String(stored.size),
        'Content-Disposition': attachmentDisposition(stored.name),
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'private, no-store',
        'Content-Security-Policy': "default-src 'none'; sandbox",
      },
    })
  })

  app.patch('/resources/:id', async (c) => {
    const user = requireFacilitator(c)
    const id = parseWith(itemIdParam, c.req.param('id'))
    const body = await readJson(c, updateResourceRequestSchema)
    const current = await resources.get(id)
    if (!current) throw ApiError.notFound('No such resource')
    if (body.url !== undefined && current.url === null) {
      throw ApiError.badRequest('url: This resource is an uploaded file; add a new resource for a link')
    }
    const resource = await resources.update(id, body, user.id)
    if (!resource) throw ApiError.notFound('No such resource')
    return c.json({ resource })
  })

  app.delete('/resources/:id', async (c) => {
    requireFacilitator(c)
    const id = parseWith(itemIdParam, c.req.param('id'))
    if (!(await resources.delete(id))) throw ApiError.notFound('No such resource')
    return c.body(null, 204)
  })

  return app
}

const planIdParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Not a plan id')

/** `/api/plans/:id/…`: citing library entries in a plan, and starting an initiative from one. */
export function planLibraryRoutes(deps: PlanCitationDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/:id/initiatives/from-evidence', async (c) => {
    const user = requireUser(c)
    const planId = parseWith(planIdParam, c.req.param('id'))
    const body = await readJson(c, initiativeFromEvidenceRequestSchema)
    const initiativeId = await startInitiativeFromEntry(deps, user, planId, body)
    return c.json({ initiativeId }, 201)
  })

  app.post('/:id/initiatives/:initiativeId/citations', async (c) => {
    const user = requireUser(c)
    const planId = parseWith(planIdParam, c.req.param('id'))
    const initiativeId = parseWith(itemIdParam, c.req.param('initiativeId'))
    const { entryId } = await readJson(c, citeEvidenceRequestSchema)
    const citation = await citeEntry(deps, user, planId, initiativeId, entryId)
    return c.json({ citation }, 201)
  })

  app.delete('/:id/initiatives/:initiativeId/citations/:citationId', async (c) => {
    const user = requireUser(c)
    const planId = parseWith(planIdParam, c.req.param('id'))
    const initiativeId = parseWith(itemIdParam, c.req.param('initiativeId'))
    const citationId = parseWith(itemIdParam, c.req.param('citationId'))
    await removeCitation(deps, user, planId, initiativeId, citationId)
    return c.body(null, 204)
  })

  return app
}
