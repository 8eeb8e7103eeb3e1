import { ErrorCode, SESSION_COOKIE, type User } from '@lever/shared'
import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import type { AuthService } from '../auth/AuthService.ts'
import type { OriginPolicy } from '../auth/OriginPolicy.ts'
import { ApiError } from './ApiError.ts'
import type { AppEnv } from './env.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The session token of a request: `Authorization: Bearer` first, then the session cookie. */
export function requestToken(c: Context): { token: string | null; via: 'bearer' | 'cookie' | null } {
  const header = c.req.header('authorization')
  if (header?.startsWith('Bearer ')) return { token: header.slice(7).trim(), via: 'bearer' }
  const cookie = getCookie(c, SESSION_COOKIE)
  return cookie ? { token: cookie, via: 'cookie' } : { token: null, via: null }
}

/**
 * Resolves the caller (if any) and refuses cross-site state changes: a request that changes
 * something and rides on the cookie must come from the public origin; any request whose Origin
 * is foreign is refused. The Host header is not consulted (the client chooses it).
 */
export function authMiddleware(auth: AuthService, origins: OriginPolicy): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const { token, via } = requestToken(c)
    if (!SAFE_METHODS.has(c.req.method)) {
      const origin = c.req.header('origin')
      if (origin !== undefined && !origins.allows(origin)) {
        throw new ApiError(403, ErrorCode.Forbidden, 'Cross-site requests are not accepted')
      }
      if (via === 'cookie' && origin === undefined) {
        throw new ApiError(403, ErrorCode.Forbidden, 'Requests that change something must come from the Lever page')
      }
    }
    c.set('auth', await auth.authenticate(token))
    await next()
  }
}

/** The signed-in person, or a 401. */
export function requireUser(c: Context<AppEnv>): User {
  const current = c.get('auth')
  if (!current) throw ApiError.unauthenticated()
  return current.user
}
