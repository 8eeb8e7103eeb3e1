import {
  acceptInviteRequestSchema,
  changePasswordRequestSchema,
  loginRequestSchema,
  SESSION_COOKIE,
} from '@lever/shared'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { AttemptSource, AuthService, SignedIn } from '../auth/AuthService.ts'
import type { OriginPolicy } from '../auth/OriginPolicy.ts'
import { DEVICE_COOKIE } from '../auth/TrustedDevices.ts'
import { ApiError } from './ApiError.ts'
import { requestToken, requireUser } from './authMiddleware.ts'
import { clientAddress } from './clientAddress.ts'
import type { AppEnv } from './env.ts'
import { parseWith, readJson } from './validation.ts'

const inviteTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{20,100}$/, 'Not an invite link')

export interface AuthRoutesOptions {
  sessionMaxAgeSeconds: number
  trustedDeviceMaxAgeSeconds: number
  origins: OriginPolicy
  /** Proxies in front of the server whose X-Forwarded-For is believed (see `clientAddress`). */
  trustProxy: number
}

/** `/api/auth/*` and `/api/me`. */
export function authRoutes(auth: AuthService, options: AuthRoutesOptions): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const secure = (c: Context) => options.origins.isHttps || new URL(c.req.url).protocol === 'https:'
  const source = (c: Context): AttemptSource => ({
    address: clientAddress(c, options.trustProxy),
    deviceToken: getCookie(c, DEVICE_COOKIE),
  })
  const signedIn = (c: Context, result: SignedIn) => {
    const cookie = { httpOnly: true, sameSite: 'Lax', path: '/', secure: secure(c) } as const
    setCookie(c, SESSION_COOKIE, result.token, { ...cookie, maxAge: options.sessionMaxAgeSeconds })
    if (result.deviceToken) {
      setCookie(c, DEVICE_COOKIE, result.deviceToken, {
        ...cookie,
        path: '/api/auth',
        maxAge: options.trustedDeviceMaxAgeSeconds,
      })
    }
    // A page never needs the token (its browser keeps it in the HttpOnly cookie), so a sign-in
    // from a page (browsers send an Origin with every POST) does not put it where the page's
    // scripts could read it. Programs get it to send as a bearer token.
    const fromPage = c.req.header('origin') !== undefined
    return c.json(fromPage ? { user: result.user } : { user: result.user, token: result.token })
  }

  app.post('/auth/login', async (c) => {
    const body = await readJson(c, loginRequestSchema)
    return signedIn(c, await auth.login(body.email, body.password, source(c)))
  })

  app.post('/auth/logout', async (c) => {
    const { token } = requestToken(c)
    if (token) await auth.logout(token)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })

  /** Ends every session of the signed-in person, this one included. */
  app.post('/auth/logout-everywhere', async (c) => {
    const current = c.get('auth')
    if (!current) throw ApiError.unauthenticated()
    await auth.logoutEverywhere(current.user.id)
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.body(null, 204)
  })

  /** Changes the signed-in person's password; their other sessions end. */
  app.post('/auth/password', async (c) => {
    const current = c.get('auth')
    if (!current) throw ApiError.unauthenticated()
    const body = await readJson(c, changePasswordRequestSchema)
    await auth.changePassword(current, body.currentPassword, body.newPassword, source(c))
    return c.body(null, 204)
  })

  app.get('/auth/invites/:token', async (c) => {
    const info = await auth.inviteInfo(parseWith(inviteTokenSchema, c.req.param('token')))
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
    return signedIn(c, await auth.acceptInvite(token, body.password, body.name))
  })

  app.get('/me', (c) => c.json({ user: requireUser(c) }))

  // Who is signed in, if anyone: the sign-in page asks without an error (and a 401 in the console).
  app.get('/auth/session', (c) => {
    c.header('cache-control', 'no-store')
    return c.json({ user: c.get('auth')?.user ?? null })
  })

  return app
}
