import { defaultConfig, type LeverServer } from '@lever/server'
import { CloseCode, SESSION_COOKIE } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, synced } from '../support/clients.ts'
import { rawClient } from '../support/rawClient.ts'
import {
  bearer,
  createPlan,
  DEMO_PASSWORD,
  FACILITATOR,
  lead,
  signIn,
  startServer,
  tempDir,
  wsUrl,
} from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const json = { 'content-type': 'application/json' }

function login(server: LeverServer, email: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { ...json, ...headers },
    body: JSON.stringify({ email, password }),
  })
}

function sessionCookie(res: Response): string {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))
  if (!cookie) throw new Error('no session cookie')
  return cookie
}

describe('sign-in and sessions', () => {
  let server: LeverServer
  afterEach(async () => {
    await server?.close()
  })

  it('signs in with email and password, sets an httpOnly SameSite cookie, and signs out', async () => {
    server = await startServer()
    const res = await login(server, 'Lead@Boulder-CO.demo.test', DEMO_PASSWORD)
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.user).toMatchObject({
      email: 'lead@boulder-co.demo.test',
      role: 'member',
      jurisdictionId: 'boulder-co',
    })
    expect(body.user.passwordHash).toBeUndefined()
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    const cookie = sessionCookie(res)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const cookieHeader = cookie.split(';')[0] as string
    const me = await fetch(`${server.url}/api/me`, { headers: { cookie: cookieHeader } })
    expect((await me.json()).user.email).toBe('lead@boulder-co.demo.test')
    const out = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { cookie: cookieHeader, origin: server.url },
    })
    expect(out.status).toBe(204)
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: cookieHeader } })).status).toBe(401)
    expect((await fetch(`${server.url}/api/me`, { headers: bearer(body.token) })).status).toBe(401)
  })

  it('keeps the session token out of a page’s reach: a sign-in from a page gets only the cookie, a program also the token', async () => {
    server = await startServer()
    const res = await login(server, lead('boulder-co'), DEMO_PASSWORD, { origin: server.url })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.user.email).toBe(lead('boulder-co'))
    expect(body.token).toBeUndefined()
    const cookieHeader = sessionCookie(res).split(';')[0] as string
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie: cookieHeader } })).status).toBe(200)
    const program = await login(server, lead('boulder-co'), DEMO_PASSWORD)
    const { token } = await program.json()
    expect((await fetch(`${server.url}/api/me`, { headers: bearer(token) })).status).toBe(200)
  })

  it('answers a wrong email and a wrong password the same way', async () => {
    server = await startServer()
    const wrongEmail = await login(server, 'nobody@demo.test', DEMO_PASSWORD)
    const wrongPassword = await login(server, FACILITATOR, 'not-the-password')
    expect(wrongEmail.status).toBe(401)
    expect(wrongPassword.status).toBe(401)
    expect(await wrongEmail.json()).toEqual(await wrongPassword.json())
  })

  it('makes further attempts for an account from one address wait after five failures, and says how long', async () => {
    // A first wait long enough that no slow machine sees it pass during the test.
    server = await startServer({ auth: { throttle: { ...defaultConfig.auth.throttle, firstDelayMs: 10 * 60_000 } } })
    for (let i = 0; i < 6; i++) expect((await login(server, lead('ohio'), 'wrong-password')).status).toBe(401)
    const waiting = await login(server, lead('ohio'), DEMO_PASSWORD)
    expect(waiting.status).toBe(429)
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = await waiting.json()
    expect(body.error.code).toBe('rate_limited')
    expect(body.error.details.retryAfterSeconds).toBeGreaterThan(0)
    // Another account from the same address is not affected.
    expect((await login(server, lead('colorado'), DEMO_PASSWORD)).status).toBe(200)
  })

  it('makes an address wait once it has failed too often across accounts', async () => {
    const { throttle } = defaultConfig.auth
    server = await startServer({
      auth: { throttle: { ...throttle, freeFailures: { ...throttle.freeFailures, address: 3 } } },
    })
    for (const who of ['a', 'b', 'c', 'd']) expect((await login(server, `${who}@demo.test`, 'x')).status).toBe(401)
    expect((await login(server, FACILITATOR, DEMO_PASSWORD)).status).toBe(429)
  })

  it('validates sign-in requests', async () => {
    server = await startServer()
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'not an email' }),
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('validation_failed')
  })
})

describe('cross-site protection', () => {
  let server: LeverServer
  afterEach(async () => {
    await server?.close()
  })

  it('refuses cookie-authenticated changes without our Origin, and accepts them with it', async () => {
    server = await startServer()
    const cookie = sessionCookie(await login(server, lead('boulder-co'), DEMO_PASSWORD)).split(';')[0] as string
    const create = (headers: Record<string, string>) =>
      fetch(`${server.url}/api/jurisdictions/boulder-co/plans`, {
        method: 'POST',
        headers: { ...json, cookie, ...headers },
        body: JSON.stringify({ title: 'Plan' }),
      })
    expect((await create({})).status).toBe(403)
    expect((await create({ origin: 'https://evil.example' })).status).toBe(403)
    expect((await create({ origin: server.url })).status).toBe(201)
    // Reads need no Origin; a bearer token carries no ambient authority, so it needs none either.
    expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).toBe(200)
    const token = await signIn(server, lead('boulder-co'))
    const viaToken = await fetch(`${server.url}/api/jurisdictions/boulder-co/plans`, {
      method: 'POST',
      headers: { ...json, ...bearer(token) },
      body: JSON.stringify({ title: 'Scripted' }),
    })
    expect(viaToken.status).toBe(201)
  })

  it('refuses WebSocket upgrades from a foreign origin, and accepts the cookie from our own', async () => {
    server = await startServer()
    const res = await login(server, lead('boulder-co'), DEMO_PASSWORD)
    const { token } = await res.json()
    const cookie = sessionCookie(res).split(';')[0] as string
    const plan = await createPlan(server, { token })
    const foreign = await rawClient(`${wsUrl(server)}/${plan.docName}`, { cookie, origin: 'https://evil.example' })
    expect((await foreign.closed).code).toBe(CloseCode.OriginNotAllowed)
    const own = await rawClient(`${wsUrl(server)}/${plan.docName}`, { cookie, origin: server.url })
    const outcome = await Promise.race([
      own.closed.then((c) => c.code),
      new Promise((r) => setTimeout(() => r('open'), 300)),
    ])
    expect(outcome).toBe('open')
    own.ws.close()
  })

  it('accepts a program’s WebSocket with its token in an Authorization header, and refuses a wrong one', async () => {
    server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { token })
    const program = await rawClient(`${wsUrl(server)}/${plan.docName}`, { authorization: `Bearer ${token}` })
    // Let in: the room greets it with its sync step 1.
    await waitFor(() => program.received.length > 0, { message: 'the room’s greeting' })
    expect(program.ws.readyState).toBe(program.ws.OPEN)
    program.ws.close()
    const wrong = await rawClient(`${wsUrl(server)}/${plan.docName}`, { authorization: 'Bearer not-a-session' })
    expect((await wrong.closed).code).toBe(CloseCode.Unauthenticated)
  })

  it('sends security headers with pages and API responses', async () => {
    server = await startServer()
    for (const path of ['/api/health', '/']) {
      const res = await fetch(`${server.url}${path}`)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    }
  })
})

describe('people: invites and first start', () => {
  let server: LeverServer
  afterEach(async () => {
    await server?.close()
  })

  it('lets a facilitator invite someone whose one-time link sets their password', async () => {
    server = await startServer()
    const facilitator = await signIn(server)
    const res = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { ...json, ...bearer(facilitator) },
      body: JSON.stringify({ email: 'Maria@Tulsa.gov', name: 'Maria', role: 'member', jurisdictionId: 'tulsa-ok' }),
    })
    expect(res.status).toBe(201)
    const { user, inviteUrl } = await res.json()
    expect(user).toMatchObject({ email: 'maria@tulsa.gov', hasPassword: false, active: true })
    const token = new URL(inviteUrl).pathname.split('/').at(-1) as string
    expect((await fetch(`${server.url}/api/auth/invites/${token}`)).status).toBe(200)
    const accept = (password: string) =>
      fetch(`${server.url}/api/auth/invites/${token}`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ password }),
      })
    expect((await accept('short')).status).toBe(400)
    const accepted = await accept('a long enough password')
    expect(accepted.status).toBe(200)
    expect((await accepted.json()).user.hasPassword).toBe(true)
    expect((await accept('another long password')).status).toBe(410)
    expect((await login(server, 'maria@tulsa.gov', 'a long enough password')).status).toBe(200)
    // Duplicate people are refused.
    const again = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { ...json, ...bearer(facilitator) },
      body: JSON.stringify({ email: 'maria@tulsa.gov', name: 'Maria', role: 'coach' }),
    })
    expect(again.status).toBe(409)
  })

  it('creates one facilitator with a one-time link on an empty database, and no default password', async () => {
    const dataDir = tempDir()
    server = await startServer({ dataDir, auth: { demo: false } })
    expect(server.firstStartUrl).toMatch(/\/invite\/[A-Za-z0-9_-]+$/)
    expect(await server.auth.users.list()).toEqual([
      expect.objectContaining({ role: 'facilitator', hasPassword: false }),
    ])
    const token = new URL(server.firstStartUrl as string).pathname.split('/').at(-1)
    const set = await fetch(`${server.url}/api/auth/invites/${token}`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ password: 'the facilitator password' }),
    })
    expect(set.status).toBe(200)
    await server.close()
    server = await startServer({ dataDir, auth: { demo: false } })
    expect(server.firstStartUrl).toBeNull()
    expect((await login(server, 'facilitator@lever.local', 'the facilitator password')).status).toBe(200)
  })

  it('lets a signed-in team member open and sync their own plan', async () => {
    server = await startServer()
    const res = await login(server, lead('boulder-co'), DEMO_PASSWORD)
    const { token } = await res.json()
    const plan = await createPlan(server, { token })
    const client = connectClient(wsUrl(server), plan.docName, { params: { token } })
    await synced(client)
    client.destroy()
  })
})
