import http from 'node:http'
import type { LeverServer } from '@lever/server'
import { CloseCode, SESSION_COOKIE } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { rawClient } from '../support/rawClient.ts'
import { bearer, createPlan, DEMO_PASSWORD, lead, signIn, startServer, wsUrl } from '../support/server.ts'

/** A request with exactly these headers (fetch would not let a test choose the Host header). */
function send(
  server: LeverServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; body: { error?: { code: string; message: string } } & Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, server.url)
    const req = http.request(url, { method, headers }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

async function cookieOf(server: LeverServer, email: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  })
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))
  return (cookie as string).split(';')[0] as string
}

describe('origins are checked against the public address, not the Host header', () => {
  let server: LeverServer
  afterEach(async () => {
    await server?.close()
  })

  it('refuses a cookie request whose Origin matches a Host header the client chose', async () => {
    server = await startServer()
    const cookie = await cookieOf(server, lead('boulder-co'))
    const body = JSON.stringify({ title: 'Forged' })
    const forged = await send(
      server,
      'POST',
      '/api/jurisdictions/boulder-co/plans',
      { 'content-type': 'application/json', cookie, origin: 'http://evil.example', host: 'evil.example' },
      body,
    )
    expect(forged.status).toBe(403)
    const own = await send(
      server,
      'POST',
      '/api/jurisdictions/boulder-co/plans',
      { 'content-type': 'application/json', cookie, origin: server.url },
      body,
    )
    expect(own.status).toBe(201)
  })

  it('accepts the configured PUBLIC_URL origin (behind a proxy) and makes links with it', async () => {
    server = await startServer({ publicUrl: 'https://lever.example.org' })
    const cookie = await cookieOf(server, lead('boulder-co'))
    const create = (origin: string) =>
      send(
        server,
        'POST',
        '/api/jurisdictions/boulder-co/plans',
        { 'content-type': 'application/json', cookie, origin, host: 'lever.example.org' },
        JSON.stringify({ title: 'Plan' }),
      )
    expect((await create('https://lever.example.org')).status).toBe(201)
    expect((await create(server.url)).status).toBe(403)
    expect((await create('http://lever.example.org')).status).toBe(403)

    const plan = await createPlan(server, { token: await signIn(server, lead('boulder-co')) })
    const foreign = await rawClient(`${wsUrl(server)}/${plan.docName}`, { cookie, origin: server.url })
    expect((await foreign.closed).code).toBe(CloseCode.OriginNotAllowed)

    const invited = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: 'evil.example', ...bearer(await signIn(server)) },
      body: JSON.stringify({ email: 'new@tulsa.gov', name: 'New', role: 'member', jurisdictionId: 'tulsa-ok' }),
    })
    expect((await invited.json()).inviteUrl).toMatch(/^https:\/\/lever\.example\.org\/invite\//)
  })
})

describe('request bodies', () => {
  let server: LeverServer
  afterEach(async () => {
    await server?.close()
  })

  it('accepts JSON only when it is sent as application/json', async () => {
    server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const body = JSON.stringify({ title: 'A plan' })
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await send(
        server,
        'POST',
        '/api/jurisdictions/boulder-co/plans',
        { 'content-type': type, ...bearer(token) },
        body,
      )
      expect({ type, status: res.status, code: res.body.error?.code }).toEqual({
        type,
        status: 415,
        code: 'unsupported_media_type',
      })
    }
    const login = await send(
      server,
      'POST',
      '/api/auth/login',
      { 'content-type': 'text/plain' },
      JSON.stringify({ email: lead('boulder-co'), password: DEMO_PASSWORD }),
    )
    expect(login.status).toBe(415)
    const withCharset = await send(
      server,
      'POST',
      '/api/jurisdictions/boulder-co/plans',
      { 'content-type': 'application/json; charset=utf-8', ...bearer(token) },
      body,
    )
    expect(withCharset.status).toBe(201)
  })
})

describe('password rules', () => {
  let server: LeverServer
  afterEach(async () => {
    await server?.close()
  })

  it('refuses short, repeated and common passwords with the reason, and accepts a good one', async () => {
    server = await startServer()
    const invite = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(await signIn(server)) },
      body: JSON.stringify({ email: 'maria@tulsa.gov', name: 'Maria', role: 'member', jurisdictionId: 'tulsa-ok' }),
    })
    const token = new URL((await invite.json()).inviteUrl).pathname.split('/').at(-1) as string
    const accept = async (password: string) => {
      const res = await fetch(`${server.url}/api/auth/invites/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password }),
      })
      return { status: res.status, message: ((await res.json()).error?.message ?? '') as string }
    }
    expect(await accept('eleven char')).toEqual({ status: 400, message: expect.stringMatching(/at least 12/) })
    expect(await accept('aaaaaaaaaaaa')).toEqual({ status: 400, message: expect.stringMatching(/Repeated/) })
    expect(await accept('qwerty123456')).toEqual({ status: 400, message: expect.stringMatching(/most common/) })
    expect(await accept('Password2024!')).toEqual({ status: 400, message: expect.stringMatching(/common password/) })
    expect(await accept('maria@tulsa.gov')).toEqual({ status: 400, message: expect.stringMatching(/email/) })
    expect((await accept('wages rise when bids say so')).status).toBe(200)
  })
})
