import type { LeverServer } from '@lever/server'
import { AccessMode, CloseCode, PlanModel, type PlanSummary } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import {
  bearer,
  COACH,
  createPlan,
  FACILITATOR,
  lead,
  signIn,
  sqliteOf,
  startServer,
  updatePerson,
  wsUrl,
} from '../support/server.ts'
import { sleep, waitFor } from '../support/wait.ts'

type Actor = 'facilitator' | 'coach' | 'boulderLead' | 'tulsaLead' | 'deactivated' | 'expired' | 'anonymous'
const ACTORS: Actor[] = ['facilitator', 'coach', 'boulderLead', 'tulsaLead', 'deactivated', 'expired', 'anonymous']

describe('permission matrix: every role against every route and the live connection', () => {
  let server: LeverServer
  const tokens = {} as Record<Actor, string>
  let boulderPlan: PlanSummary // the coach's jurisdiction, not shared
  let tulsaShared: PlanSummary // shared with the cohort
  let tulsaPrivate: PlanSummary
  let deactivatedId = ''

  const call = (actor: Actor, method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(actor === 'anonymous' ? {} : bearer(tokens[actor])) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  beforeAll(async () => {
    server = await startServer()
    tokens.facilitator = await signIn(server, FACILITATOR)
    tokens.coach = await signIn(server, COACH)
    tokens.boulderLead = await signIn(server, lead('boulder-co'))
    tokens.tulsaLead = await signIn(server, lead('tulsa-ok'))
    tokens.deactivated = await signIn(server, lead('durham-nc'))
    tokens.expired = await signIn(server, lead('racine-wi'))
    tokens.anonymous = ''
    deactivatedId = (await server.auth.users.getByEmail(lead('durham-nc')))?.id as string
    const res = await call('facilitator', 'PATCH', `/users/${deactivatedId}`, { active: false })
    expect(res.status).toBe(200)
    sqliteOf(server)
      .prepare('UPDATE sessions SET expires_at = 0 WHERE user_id = ?')
      .run((await server.auth.users.getByEmail(lead('racine-wi')))?.id)

    boulderPlan = await createPlan(server, {
      jurisdictionId: 'boulder-co',
      title: 'Boulder',
      token: tokens.boulderLead,
    })
    tulsaShared = await createPlan(server, {
      jurisdictionId: 'tulsa-ok',
      title: 'Tulsa shared',
      token: tokens.tulsaLead,
    })
    tulsaPrivate = await createPlan(server, {
      jurisdictionId: 'tulsa-ok',
      title: 'Tulsa private',
      token: tokens.tulsaLead,
    })
    // The Tulsa team shares one plan with the cohort, from inside the document.
    const tulsa = connectClient(wsUrl(server), tulsaShared.docName, { params: { token: tokens.tulsaLead } })
    await synced(tulsa)
    new PlanModel(tulsa.doc).setSharedWithCohort(true)
    await waitFor(async () => (await server.plans.get(tulsaShared.id))?.sharedWithCohort, {
      message: 'sharing to reach the server',
    })
    tulsa.destroy()
  })
  afterAll(async () => {
    await server.close()
  })

  const restCases: Array<{ route: string; run: (a: Actor) => Promise<Response>; expect: Record<Actor, number> }> = [
    {
      route: 'GET /api/me',
      run: (a) => call(a, 'GET', '/me'),
      expect: {
        facilitator: 200,
        coach: 200,
        boulderLead: 200,
        tulsaLead: 200,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'GET /api/jurisdictions',
      run: (a) => call(a, 'GET', '/jurisdictions'),
      expect: {
        facilitator: 200,
        coach: 200,
        boulderLead: 200,
        tulsaLead: 200,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'GET /api/jurisdictions/boulder-co/plans',
      run: (a) => call(a, 'GET', '/jurisdictions/boulder-co/plans'),
      expect: {
        facilitator: 200,
        coach: 200,
        boulderLead: 200,
        tulsaLead: 200,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'POST /api/jurisdictions/boulder-co/plans',
      run: (a) => call(a, 'POST', '/jurisdictions/boulder-co/plans', { title: `By ${a}` }),
      expect: {
        facilitator: 201,
        coach: 403,
        boulderLead: 201,
        tulsaLead: 403,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: "GET /api/plans/:id (Boulder's unshared plan)",
      run: (a) => call(a, 'GET', `/plans/${boulderPlan.id}`),
      expect: {
        facilitator: 200,
        coach: 200,
        boulderLead: 200,
        tulsaLead: 403,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: "GET /api/plans/:id (Tulsa's shared plan)",
      run: (a) => call(a, 'GET', `/plans/${tulsaShared.id}`),
      expect: {
        facilitator: 200,
        coach: 200,
        boulderLead: 200,
        tulsaLead: 200,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: "GET /api/plans/:id (Tulsa's unshared plan)",
      run: (a) => call(a, 'GET', `/plans/${tulsaPrivate.id}`),
      expect: {
        facilitator: 200,
        coach: 403,
        boulderLead: 403,
        tulsaLead: 200,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'GET /api/users',
      run: (a) => call(a, 'GET', '/users'),
      expect: {
        facilitator: 200,
        coach: 403,
        boulderLead: 403,
        tulsaLead: 403,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'POST /api/users',
      run: (a) => call(a, 'POST', '/users', { email: `new-${a}@example.gov`, name: 'New person', role: 'coach' }),
      expect: {
        facilitator: 201,
        coach: 403,
        boulderLead: 403,
        tulsaLead: 403,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'PATCH /api/users/:id',
      run: async (a) =>
        call(a, 'PATCH', `/users/${(await server.auth.users.getByEmail(lead('ohio')))?.id}`, { name: 'Renamed' }),
      expect: {
        facilitator: 200,
        coach: 403,
        boulderLead: 403,
        tulsaLead: 403,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'PUT /api/users/:id/coach-assignments',
      run: async (a) =>
        call(a, 'PUT', `/users/${(await server.auth.users.getByEmail(COACH))?.id}/coach-assignments`, {
          jurisdictionIds: ['baltimore-county-md', 'atlanta-ga', 'boulder-co'],
        }),
      expect: {
        facilitator: 200,
        coach: 403,
        boulderLead: 403,
        tulsaLead: 403,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
    {
      route: 'POST /api/users/:id/invites',
      run: async (a) => call(a, 'POST', `/users/${(await server.auth.users.getByEmail(lead('ohio')))?.id}/invites`),
      expect: {
        facilitator: 201,
        coach: 403,
        boulderLead: 403,
        tulsaLead: 403,
        deactivated: 401,
        expired: 401,
        anonymous: 401,
      },
    },
  ]

  for (const c of restCases) {
    it(`${c.route}: ${ACTORS.map((a) => `${a} ${c.expect[a]}`).join(', ')}`, async () => {
      for (const actor of ACTORS) {
        const res = await c.run(actor)
        expect(`${actor}: ${res.status}`).toBe(`${actor}: ${c.expect[actor]}`)
        if (res.status >= 400) expect((await res.json()).error.code).toBeTruthy()
      }
    })
  }

  it('lists only the plans each person may see, each with their access', async () => {
    const visible = async (a: Actor) =>
      ((await (await call(a, 'GET', '/jurisdictions/tulsa-ok/plans')).json()).plans as PlanSummary[]).map((p) => [
        p.title,
        p.access,
      ])
    expect(await visible('tulsaLead')).toEqual([
      ['Tulsa shared', AccessMode.ReadWrite],
      ['Tulsa private', AccessMode.ReadWrite],
    ])
    expect(await visible('boulderLead')).toEqual([['Tulsa shared', AccessMode.ReadOnly]])
    expect(await visible('coach')).toEqual([['Tulsa shared', AccessMode.ReadOnly]])
    const boulder = (await (await call('coach', 'GET', `/plans/${boulderPlan.id}`)).json()) as PlanSummary
    expect(boulder.access).toBe(AccessMode.CommentOnly)
  })

  /** Opens a raw connection to a document; resolves with its close code, or 'open' if it stays open. */
  async function connectOutcome(actor: Actor, docName: string): Promise<number | 'open'> {
    const q = actor === 'anonymous' ? '' : `?token=${tokens[actor]}`
    const client = await rawClient(`${wsUrl(server)}/${docName}${q}`)
    const outcome = await Promise.race([client.closed.then((c) => c.code), sleep(300).then(() => 'open' as const)])
    client.ws.close()
    return outcome
  }

  it('WebSocket read: who may open which document', async () => {
    const expected: Record<string, Record<Actor, number | 'open'>> = {
      [boulderPlan.docName]: {
        facilitator: 'open',
        coach: 'open',
        boulderLead: 'open',
        tulsaLead: CloseCode.Forbidden,
        deactivated: CloseCode.Unauthenticated,
        expired: CloseCode.Unauthenticated,
        anonymous: CloseCode.Unauthenticated,
      },
      [tulsaShared.docName]: {
        facilitator: 'open',
        coach: 'open',
        boulderLead: 'open',
        tulsaLead: 'open',
        deactivated: CloseCode.Unauthenticated,
        expired: CloseCode.Unauthenticated,
        anonymous: CloseCode.Unauthenticated,
      },
      [tulsaPrivate.docName]: {
        facilitator: 'open',
        coach: CloseCode.Forbidden,
        boulderLead: CloseCode.Forbidden,
        tulsaLead: 'open',
        deactivated: CloseCode.Unauthenticated,
        expired: CloseCode.Unauthenticated,
        anonymous: CloseCode.Unauthenticated,
      },
    }
    for (const [docName, byActor] of Object.entries(expected)) {
      for (const actor of ACTORS) {
        expect(`${docName} ${actor}: ${await connectOutcome(actor, docName)}`).toBe(
          `${docName} ${actor}: ${byActor[actor]}`,
        )
      }
    }
  })

  it('WebSocket write: a read-only or comment-only connection that sends an edit is refused and nobody sees it', async () => {
    const cases: Array<{ actor: Actor; plan: () => PlanSummary; allowed: boolean }> = [
      { actor: 'facilitator', plan: () => boulderPlan, allowed: true },
      { actor: 'boulderLead', plan: () => boulderPlan, allowed: true },
      { actor: 'coach', plan: () => boulderPlan, allowed: false },
      { actor: 'boulderLead', plan: () => tulsaShared, allowed: false },
      { actor: 'coach', plan: () => tulsaShared, allowed: false },
      { actor: 'tulsaLead', plan: () => tulsaShared, allowed: true },
    ]
    for (const c of cases) {
      const plan = c.plan()
      const owner = c.plan() === boulderPlan ? 'boulderLead' : 'tulsaLead'
      const watcher = connectClient(wsUrl(server), plan.docName, { params: { token: tokens[owner] } })
      await synced(watcher)
      const rowsBefore = (await server.store.load(plan.docName)).rows
      const marker = `written by ${c.actor} ${Math.random()}`
      const edit = new Y.Doc()
      Y.applyUpdate(edit, Y.encodeStateAsUpdate(watcher.doc))
      const before = Y.encodeStateVector(edit)
      edit.getText('scratch').insert(0, marker)
      const writer = await rawClient(`${wsUrl(server)}/${plan.docName}?token=${tokens[c.actor]}`)
      writer.send(syncUpdateFrame(Y.encodeStateAsUpdate(edit, before)))
      if (c.allowed) {
        await waitFor(() => watcher.doc.getText('scratch').toString().includes(marker), {
          message: `${c.actor}'s edit to arrive`,
        })
        writer.ws.close()
      } else {
        expect((await writer.closed).code).toBe(CloseCode.WriteNotAllowed)
        await sleep(100)
        expect(watcher.doc.getText('scratch').toString()).not.toContain(marker)
        expect((await server.store.load(plan.docName)).rows).toBe(rowsBefore)
        expect(server.rooms.peek(plan.docName)?.doc.getText('scratch').toString() ?? '').not.toContain(marker)
      }
      watcher.destroy()
    }
  })
})

describe('access changes reach open connections', () => {
  let server: LeverServer
  let facilitator = ''
  const clients: TestClient[] = []

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  const closedWith = (client: TestClient) =>
    new Promise<number>((resolve) => client.provider.on('connection-close', (event) => resolve(event?.code ?? 0)))

  it('cuts off a person who is deactivated while connected', async () => {
    const token = await signIn(server, lead('chicago-il'))
    const plan = await createPlan(server, { jurisdictionId: 'chicago-il', token })
    const client = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(client)
    await synced(client)
    const closed = closedWith(client)
    await updatePerson(server, lead('chicago-il'), { active: false }, facilitator)
    expect(await closed).toBe(CloseCode.Unauthenticated)
  })

  it('tells a person renamed while connected to learn their new name, and shows their presence only under it', async () => {
    const token = await signIn(server, lead('sunnyvale-ca'))
    const plan = await createPlan(server, { jurisdictionId: 'sunnyvale-ca', token })
    const client = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(client)
    await synced(client)
    const closed = closedWith(client)
    const res = await updatePerson(server, lead('sunnyvale-ca'), { name: 'Sam Sunnyvale' }, facilitator)
    expect(res.status).toBe(200)
    expect(await closed).toBe(CloseCode.IdentityChanged)

    // A page that still has the old name is shown under the new one: the server writes the
    // signed-in person's name into presence.
    const watcher = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(watcher)
    await synced(watcher)
    const stale = connectClient(wsUrl(server), plan.docName, { params: { token }, connect: false })
    clients.push(stale)
    stale.provider.awareness.setLocalStateField('user', { name: 'City of Sunnyvale lead', color: '#335577' })
    stale.provider.connect()
    await synced(stale)
    await waitFor(() => watcher.provider.awareness.getStates().get(stale.doc.clientID)?.user?.color === '#335577', {
      message: 'the stale page’s presence',
    })
    expect(watcher.provider.awareness.getStates().get(stale.doc.clientID)?.user?.name).toBe('Sam Sunnyvale')
    expect(stale.provider.wsconnected).toBe(true)
  })

  it('closes peers of a plan its team stops sharing, and re-checks on reconnect', async () => {
    const teamToken = await signIn(server, lead('pueblo-co'))
    const peerToken = await signIn(server, lead('colorado'))
    const plan = await createPlan(server, { jurisdictionId: 'pueblo-co', token: teamToken })
    const team = connectClient(wsUrl(server), plan.docName, { params: { token: teamToken } })
    clients.push(team)
    await synced(team)
    new PlanModel(team.doc).setSharedWithCohort(true)
    await waitFor(async () => (await server.plans.get(plan.id))?.sharedWithCohort, { message: 'plan to be shared' })
    const peer = connectClient(wsUrl(server), plan.docName, { params: { token: peerToken } })
    clients.push(peer)
    await synced(peer)
    const closed = closedWith(peer)
    new PlanModel(team.doc).setSharedWithCohort(false)
    expect(await closed).toBe(CloseCode.Forbidden)
    expect(peer.provider.shouldConnect).toBe(false) // terminal code: the provider stops retrying
  })

  it('re-checks a coach on every reconnect after their assignment is removed', async () => {
    const coachToken = await signIn(server, COACH)
    const boulderToken = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulderToken })
    const coach = connectClient(wsUrl(server), plan.docName, { params: { token: coachToken } })
    clients.push(coach)
    await synced(coach)
    const closed = closedWith(coach)
    const coachId = (await server.auth.users.getByEmail(COACH))?.id
    const res = await fetch(`${server.url}/api/users/${coachId}/coach-assignments`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...bearer(facilitator) },
      body: JSON.stringify({ jurisdictionIds: ['atlanta-ga'] }),
    })
    expect(res.status).toBe(200)
    expect(await closed).toBe(CloseCode.Forbidden)
    const again = await rawClient(`${wsUrl(server)}/${plan.docName}?token=${coachToken}`)
    expect((await again.closed).code).toBe(CloseCode.Forbidden)
  })
})
