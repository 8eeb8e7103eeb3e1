import type { LeverServer } from '@lever/server'
import { CloseCode } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { clientPool, synced, type TestClient } from '../support/clients.ts'
import { bearer, createPlan, lead, signIn, startServer } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const json = { 'content-type': 'application/json' }

/** The close code a provider's socket ended with (the stock provider does not retry 44xx codes). */
function closeCodeOf(client: TestClient): Promise<number> {
  return new Promise((resolve) => {
    client.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) resolve(event.code)
    })
  })
}

describe('ending sessions closes live connections at once', () => {
  let server: LeverServer
  const { clients, connect } = clientPool(() => server)
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server?.close()
  })

  /** What the server holds for a document, read by a fresh connection of someone still signed in. */
  async function storedText(docName: string): Promise<string> {
    const reader = connect(docName, await signIn(server, lead('boulder-co')))
    await synced(reader)
    return reader.doc.getText('notes').toString()
  }

  it('closes the connection of a person who signs out with the deactivated code, and stores nothing sent on it afterwards', async () => {
    server = await startServer()
    const token = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { token })
    const client = connect(plan.docName, token)
    await synced(client)
    client.doc.getText('notes').insert(0, 'before ')
    await waitFor(async () => (await storedText(plan.docName)) === 'before ', {
      message: 'the first edit to be stored',
    })

    const closed = closeCodeOf(client)
    expect((await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: bearer(token) })).status).toBe(204)
    // Sent on the open socket right after signing out.
    client.doc.getText('notes').insert(7, 'after')
    const code = await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 5_000))])
    expect(code).toBe(CloseCode.Unauthenticated)
    expect(await storedText(plan.docName)).toBe('before ')
    expect(client.provider.shouldConnect && client.provider.wsconnected).toBe(false)
  })

  it('signs a person out everywhere: every session ends and each of its connections closes', async () => {
    server = await startServer()
    const first = await signIn(server, lead('boulder-co'))
    const second = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { token: first })
    const a = connect(plan.docName, first)
    const b = connect(plan.docName, second)
    await Promise.all([synced(a), synced(b)])
    const closed = Promise.all([closeCodeOf(a), closeCodeOf(b)])
    const res = await fetch(`${server.url}/api/auth/logout-everywhere`, { method: 'POST', headers: bearer(first) })
    expect(res.status).toBe(204)
    const codes = await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 5_000))])
    expect(codes).toEqual([CloseCode.Unauthenticated, CloseCode.Unauthenticated])
    for (const token of [first, second]) {
      expect((await fetch(`${server.url}/api/me`, { headers: bearer(token) })).status).toBe(401)
    }
  })

  it('ends the other sessions of a person who changes their password, keeping the one that changed it', async () => {
    server = await startServer()
    const here = await signIn(server, lead('boulder-co'))
    const elsewhere = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { token: here })
    const mine = connect(plan.docName, here)
    const other = connect(plan.docName, elsewhere)
    await Promise.all([synced(mine), synced(other)])
    const closed = closeCodeOf(other)
    const res = await fetch(`${server.url}/api/auth/password`, {
      method: 'POST',
      headers: { ...json, ...bearer(here) },
      body: JSON.stringify({ currentPassword: 'demo-password', newPassword: 'a quite different passphrase' }),
    })
    expect(res.status).toBe(204)
    const code = await Promise.race([closed, new Promise((r) => setTimeout(() => r('still open'), 5_000))])
    expect(code).toBe(CloseCode.Unauthenticated)
    expect((await fetch(`${server.url}/api/me`, { headers: bearer(elsewhere) })).status).toBe(401)
    expect((await fetch(`${server.url}/api/me`, { headers: bearer(here) })).status).toBe(200)
    expect(mine.provider.wsconnected).toBe(true)
    await expect(signIn(server, lead('boulder-co'))).rejects.toThrow(/401/)
    await signIn(server, lead('boulder-co'), 'a quite different passphrase')
  })
})
