import type { LeverServer } from '@lever/server'
import { CloseCode, PlanModel, type PlanSummary } from '@lever/shared'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { rawClient } from '../support/rawClient.ts'
import { bearer, createPlan, signIn, sqliteOf, startServer, tempDir, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('jurisdictions and plans API', () => {
  let server: LeverServer
  const clients: TestClient[] = []
  let token = ''
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api${path}`, {
      ...init,
      headers: { ...bearer(token), ...(init.headers as Record<string, string>) },
    })
  const post = (path: string, body: unknown) =>
    api(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })

  beforeEach(async () => {
    server = await startServer()
    token = await signIn(server)
  })
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    await server.close()
  })

  it('lists the 20 seeded jurisdictions of the cohort, seeded once across restarts', async () => {
    const res = await api('/jurisdictions')
    expect(res.status).toBe(200)
    const { jurisdictions } = await res.json()
    expect(jurisdictions).toHaveLength(20)
    expect(jurisdictions.find((j: { id: string }) => j.id === 'boulder-co')).toMatchObject({
      name: 'City of Boulder',
      kind: 'city',
      state: 'CO',
      planCount: 0,
    })
    const dataDir = server.config.dataDir
    await server.close()
    server = await startServer({ dataDir })
    token = await signIn(server)
    expect((await (await api('/jurisdictions')).json()).jurisdictions).toHaveLength(20)
  })

  it('creates a plan, lists it under its jurisdiction and returns it by id', async () => {
    const res = await post('/jurisdictions/tulsa-ok/plans', { title: '  Tulsa good jobs plan  ' })
    expect(res.status).toBe(201)
    const plan = (await res.json()) as PlanSummary
    expect(plan).toMatchObject({
      jurisdictionId: 'tulsa-ok',
      title: 'Tulsa good jobs plan',
      docName: `plan:${plan.id}`,
    })
    expect((await (await api('/jurisdictions/tulsa-ok/plans')).json()).plans).toEqual([plan])
    expect(await (await api(`/plans/${plan.id}`)).json()).toEqual(plan)
    expect((await (await api('/jurisdictions/tulsa-ok')).json()).jurisdiction.planCount).toBe(1)
  })

  it.each([
    ['a missing title', {}],
    ['an empty title', { title: '   ' }],
    ['an oversized title', { title: 'x'.repeat(201) }],
    ['a title that is not text', { title: 42 }],
    ['unknown fields', { title: 'ok', owner: 'me' }],
    ['a body that is not JSON', 'title=plan'],
  ])('refuses %s with a 400 JSON error and creates nothing', async (_name, body) => {
    const res = await post('/jurisdictions/durham-nc/plans', body)
    expect(res.status).toBe(400)
    const json = await res.json()
    expect(json.error.code).toMatch(/^(validation_failed|bad_request)$/)
    expect(json.error.message).toBeTruthy()
    expect((await (await api('/jurisdictions/durham-nc/plans')).json()).plans).toEqual([])
  })

  it('answers 404 for an unknown jurisdiction or plan', async () => {
    const res = await post('/jurisdictions/atlantis/plans', { title: 'Plan' })
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('not_found')
    expect((await api('/jurisdictions/atlantis')).status).toBe(404)
    expect((await api('/plans/nope')).status).toBe(404)
    expect((await api('/plans/..%2F..%2Fetc')).status).toBe(400)
  })

  it('refuses a request body over the size limit with 413', async () => {
    const res = await post('/jurisdictions/durham-nc/plans', { title: 'x'.repeat(300 * 1024) })
    expect(res.status).toBe(413)
    expect((await res.json()).error.code).toBe('payload_too_large')
  })

  it('refuses a collaboration document that is no plan with DocumentNotFound', async () => {
    for (const name of ['plan:doesnotexist', 'draft:whatever', 'nonsense']) {
      const client = await rawClient(`${wsUrl(server)}/${name}?token=${token}`)
      expect((await client.closed).code).toBe(CloseCode.DocumentNotFound)
    }
    expect(server.rooms.size).toBe(0)
  })

  it('gives a new plan the standard structure exactly once, however many people open it at once', async () => {
    const plan = await createPlan(server, { title: 'Opened by many', token })
    const many = Array.from({ length: 5 }, () => connectClient(wsUrl(server), plan.docName, { params: { token } }))
    clients.push(...many)
    await Promise.all(many.map((c) => synced(c)))
    for (const c of many) {
      const model = new PlanModel(c.doc)
      expect(model.title).toBe('Opened by many')
      expect(model.leverList().map((l) => l.id)).toEqual(['procurement', 'hrPractices', 'policy', 'empowerment'])
    }
    // The whole structure was written by one (server-side) writer: the clients wrote nothing.
    const stored = await server.store.load(plan.docName)
    const doc = new Y.Doc()
    for (const u of stored.updates) Y.applyUpdate(doc, u)
    expect(Y.decodeStateVector(Y.encodeStateVector(doc)).size).toBe(1)
    expect(stored.rows).toBe(1)
  })

  it('writes the structure of a plan whose document was lost before it was stored', async () => {
    const dataDir = tempDir()
    await server.close()
    server = await startServer({ dataDir })
    token = await signIn(server)
    sqliteOf(server)
      .prepare(
        "INSERT INTO plans (id, jurisdiction_id, title, doc_name, created_at, updated_at) VALUES ('orphan', 'ohio', 'Ohio plan', 'plan:orphan', '2026-01-01', '2026-01-01')",
      )
      .run()
    const client = connectClient(wsUrl(server), 'plan:orphan', { params: { token } })
    clients.push(client)
    await synced(client)
    await waitFor(() => new PlanModel(client.doc).leverList().length === 4, { message: 'structure to arrive' })
    expect(new PlanModel(client.doc).title).toBe('Ohio plan')
  })

  it('keeps the plan list title in step with the title edited in the document', async () => {
    const plan = await createPlan(server, { title: 'Old title', token })
    const client = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(client)
    await synced(client)
    new PlanModel(client.doc).setTitle('New title')
    await waitFor(async () => (await (await api(`/plans/${plan.id}`)).json()).title === 'New title', {
      message: 'title to reach the metadata',
    })
  })
})
