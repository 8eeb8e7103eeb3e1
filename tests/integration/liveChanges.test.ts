import type { LeverServer } from '@lever/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, bearer, FACILITATOR, lead, signIn, startServer } from '../support/server.ts'

/** An open event stream of one person, read as it arrives. */
async function openStream(server: LeverServer, token: string) {
  const controller = new AbortController()
  const res = await fetch(`${server.url}/api/notifications/events`, {
    headers: bearer(token),
    signal: controller.signal,
  })
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  const decoder = new TextDecoder()
  let received = ''
  return {
    get received() {
      return received
    },
    async readUntil(needle: string) {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`the stream ended before "${needle}": ${received}`)
        received += decoder.decode(value)
      }
    },
    close: () => controller.abort(),
  }
}

describe('pages hear which kind of thing changed', () => {
  let server: LeverServer
  let facilitator = ''
  let member = ''
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    member = await signIn(server, lead('boulder-co'))
  })
  afterAll(async () => {
    await server?.close()
  })

  it('tells a team member’s open page that sessions changed when a facilitator adds one, and nothing of who or what', async () => {
    const stream = await openStream(server, member)
    await stream.readUntil('event: ready')
    const created = await api(facilitator, 'POST', '/sessions', {
      title: 'A session the member should see appear',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    })
    expect(created.status).toBe(201)
    await stream.readUntil('event: changed')
    await stream.readUntil('\n\n')
    expect(stream.received).toContain('data: {"topic":"sessions"}')
    expect(stream.received).not.toContain('A session the member should see appear')
    stream.close()
  })

  it('says nothing for a refused or failed change', async () => {
    const stream = await openStream(server, member)
    await stream.readUntil('event: ready')
    // Refused (a member may not create sessions) and invalid (no title): no event.
    expect(
      (await api(member, 'POST', '/sessions', { title: 'Not mine to add', startsAt: '2027-01-05T17:00:00Z' })).status,
    ).toBe(403)
    expect((await api(facilitator, 'POST', '/sessions', { startsAt: '2027-01-05T17:00:00Z' })).status).toBe(400)
    // Then a real change: the first event the stream carries is of it.
    const plan = await api(facilitator, 'POST', '/jurisdictions/boulder-co/plans', { title: 'A plan' })
    expect(plan.status).toBe(201)
    await stream.readUntil('event: changed')
    await stream.readUntil('\n\n')
    expect(stream.received).toContain('"topic":"jurisdictions"')
    expect(stream.received).not.toContain('"topic":"sessions"')
    stream.close()
  })
})
