import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CreateServerOptions, createServer, type LeverServer, quietLogger } from '@lever/server'
import type { PlanSummary } from '@lever/shared'

export function tempDir(prefix = 'lever-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Starts a real server on a free port with its own data directory (unless one is given). */
export async function startServer(options: CreateServerOptions = {}): Promise<LeverServer> {
  return createServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: options.dataDir ?? tempDir(),
    staticDir: undefined,
    logger: quietLogger(),
    ...options,
    collab: { heartbeatMs: 60_000, unloadGraceMs: 200, ...options.collab },
    // Demo people (password `demo-password`) and a cheap password hash keep tests fast.
    auth: { demo: true, scryptN: 2 ** 12, ...options.auth },
  })
}

/** The SQLite database of a server that has one (every server but those on PostgreSQL). */
export function sqliteOf(server: { db: LeverServer['db'] }): NonNullable<LeverServer['db']> {
  if (!server.db) throw new Error('this server keeps its tables in PostgreSQL, not SQLite')
  return server.db
}

export const DEMO_PASSWORD = 'demo-password'
export const FACILITATOR = 'facilitator@demo.test'
export const COACH = 'coach@demo.test'
export const lead = (jurisdictionId: string) => `lead@${jurisdictionId}.demo.test`

/** Signs in through the API and returns the session token. */
export async function signIn(
  server: { url: string },
  email: string = FACILITATOR,
  password = DEMO_PASSWORD,
): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

export function wsUrl(server: { url: string }): string {
  return `${server.url.replace(/^http/, 'ws')}/collab`
}

/** Creates a plan through the REST API and returns its summary (docName included). */
export async function createPlan(
  server: { url: string },
  {
    jurisdictionId = 'boulder-co',
    title = 'Test plan',
    token,
  }: { jurisdictionId?: string; title?: string; token?: string } = {},
): Promise<PlanSummary> {
  const res = await fetch(`${server.url}/api/jurisdictions/${jurisdictionId}/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(token ?? (await signIn(server))) },
    body: JSON.stringify({ title }),
  })
  if (res.status !== 201) throw new Error(`creating a plan failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as PlanSummary
}

/**
 * A new person, invited by the facilitator and with their password set (`demo-password`), as if
 * they had followed their invitation link.
 */
export async function addPerson(
  server: { url: string },
  person: { email: string; name: string; role: 'facilitator' | 'coach' | 'member'; jurisdictionId?: string },
): Promise<void> {
  const facilitator = await signIn(server, FACILITATOR)
  const res = await fetch(`${server.url}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(facilitator) },
    body: JSON.stringify(person),
  })
  if (res.status !== 201) throw new Error(`inviting ${person.email} failed: ${res.status} ${await res.text()}`)
  const { inviteUrl } = (await res.json()) as { inviteUrl: string }
  const token = new URL(inviteUrl).pathname.split('/').at(-1)
  const accepted = await fetch(`${server.url}/api/auth/invites/${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password: DEMO_PASSWORD }),
  })
  if (accepted.status !== 200) throw new Error(`setting ${person.email}'s password failed: ${accepted.status}`)
}

/** Changes a person's name, role, team or active state as the facilitator does; returns the response. */
export async function updatePerson(
  server: { url: string; auth: { users: { getByEmail(email: string): Promise<{ id: string } | null> } } },
  email: string,
  change: { name?: string; role?: string; jurisdictionId?: string | null; active?: boolean },
  facilitatorToken?: string,
): Promise<Response> {
  const id = (await server.auth.users.getByEmail(email))?.id
  if (!id) throw new Error(`nobody is ${email}`)
  return fetch(`${server.url}/api/users/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...bearer(facilitatorToken ?? (await signIn(server, FACILITATOR))) },
    body: JSON.stringify(change),
  })
}

/** A JSON API caller for one server: `api(token, 'POST', '/sessions', body)`. */
export function apiCaller(server: { url: string }) {
  return (token: string, method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
}
