import { getConnInfo } from '@hono/node-server/conninfo'
import { acceptInviteRequestSchema, loginRequestSchema, SESSION_COOKIE } from '@lever/shared'
import { type Context, Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AuthService } from '../auth/AuthService.ts'
import { ApiError } from './ApiError.ts'
import { requestToken, requireUser } from './authMiddleware.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'Not an invite link')

function setSessionCookie(c: Context, token: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: new URL(c.req.url).protocol === 'https:',
    maxAge: maxAgeSeconds,
  })
}

/** `/api/auth/*` and `/api/me`. */
export function authRoutes(auth: AuthService, sessionMaxAgeSeconds: number): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/auth/login', async (c) => {
    const body = await readJson(c, loginRequestSchema)
    const address = getConnInfo(c).remote.address ?? 'unknown'
    const result = await auth.login(body.email, body.password, address)
    setSessionCookie(c, result.token, sessionMaxAgeSeconds)
    return c.json(result)
  })

  app.post('/auth/logout', (c) => {
    const { token } = requestToken(c)
    if (token) auth.logout(token)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })

  app.get('/auth/invites/:token', (c) => {
    const info = auth.inviteInfo(parseWith(inviteTokenSchema, c.req.param('token')))
    if (!info)
      throw new ApiError(
        410,
        'not_found',
        'This link has expired or was already used. Ask a facilitator for a new one.',
      )
    return c.json(info)
  })

  app.post('/auth/invites/:token', async (c) => {
    const token = parseWith(inviteTokenSchema, c.req.param('token'))
    const body = await readJson(c, acceptInviteRequestSchema)
    const result = await auth.acceptInvite(token, body.password, body.name)
    setSessionCookie(c, result.token, sessionMaxAgeSeconds)
    return c.json(result)
  })

  app.get('/me', (c) => c.json({ user: requireUser(c) }))

  // Who is signed in, if anyone: the sign-in page asks without an error (and a 401 in the console).
  app.get('/auth/session', (c) => {
    c.header('cache-control', 'no-store')
    return c.json({ user: c.get('auth')?.user ?? null })
  })

  return app
}
