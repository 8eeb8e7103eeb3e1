import fs from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { ErrorCode } from '@lever/shared'
import { type ErrorHandler, Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { secureHeaders } from 'hono/secure-headers'
import type { AuthService } from '../auth/AuthService.ts'
import type { OriginPolicy } from '../auth/OriginPolicy.ts'
import type { Logger } from '../logger.ts'
import type { StorageAlarm } from '../storage/StorageAlarm.ts'
import { ApiError } from './ApiError.ts'
import { authMiddleware } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'

export interface HttpAppOptions {
  logger: Logger
  /** Built client to serve (client/dist); omitted or missing means API only. */
  staticDir?: string
  /** Largest accepted request body. */
  maxBodyBytes: number
  /** Requests with a larger limit of their own (uploads), exempt from `maxBodyBytes`. */
  ownBodyLimit?: (method: string, path: string) => boolean
  auth: AuthService
  origins: OriginPolicy
  /** Says whether an error means the disk or database is full, and reports it (rate-limited). */
  storage?: StorageAlarm
  /** Whether the server takes traffic now (false while starting or draining before shutdown). */
  readiness(): { ready: boolean; state: string }
  /** Mounts the resource routers under `/api`. */
  mount(api: Hono<AppEnv>): void
}

/** The Hono app: `/api/*` routers, JSON errors, and the built client with SPA fallback. */
export function createHttpApp(options: HttpAppOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const api = new Hono<AppEnv>()

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Editors set inline styles (carets, injected editor CSS).
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
    }),
  )

  const limitBody = bodyLimit({
    maxSize: options.maxBodyBytes,
    onError: (c) =>
      c.json(
        new ApiError(
          413,
          ErrorCode.PayloadTooLarge,
          `Request bodies are limited to ${options.maxBodyBytes} bytes`,
        ).toBody(),
        413,
      ),
  })
  api.use('*', (c, next) => (options.ownBodyLimit?.(c.req.method, c.req.path) ? next() : limitBody(c, next)))
  api.get('/health', (c) => c.json({ ok: true }))
  api.get('/ready', (c) => {
    const r = options.readiness()
    return c.json(r, r.ready ? 200 : 503)
  })
  api.use('*', authMiddleware(options.auth, options.origins))
  options.mount(api)
  api.all('*', () => {
    throw ApiError.notFound('No such API route')
  })
  app.route('/api', api)

  const staticDir = options.staticDir
  if (staticDir && fs.existsSync(path.join(staticDir, 'index.html'))) {
    app.use('/assets/*', async (c, next) => {
      await next()
      if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable')
    })
    app.use('*', serveStatic({ root: staticDir, precompressed: true }))
    // Client-side routes: every other GET gets the app shell.
    app.get('*', serveStatic({ root: staticDir, path: 'index.html' }))
  }

  const onError: ErrorHandler = (error, c) => {
    if (error instanceof ApiError) {
      if (error.status === 429) {
        const retry = (error.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
        if (typeof retry === 'number') c.header('Retry-After', String(retry))
      }
      return c.json(error.toBody(), error.status)
    }
    if (options.storage?.report(error, { path: c.req.path })) {
      return c.json(
        {
          error: {
            code: ErrorCode.StorageFull,
            message: 'The server has run out of storage space, so nothing was changed. Try again later.',
          },
        },
        507,
      )
    }
    options.logger.error({ err: error, path: c.req.path }, 'unhandled error in a request')
    return c.json({ error: { code: ErrorCode.Internal, message: 'Something went wrong on the server' } }, 500)
  }
  api.onError(onError)
  app.onError(onError)
  app.notFound((c) => c.json(ApiError.notFound().toBody(), 404))
  return app
}
