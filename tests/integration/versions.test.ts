import { randomBytes } from 'node:crypto'
import type { LeverServer } from '@lever/server'
import {
  type CompareResponse,
  PlanModel,
  type PlanSummary,
  type VersionDetailResponse,
  type VersionSummary,
} from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { bearer, COACH, createPlan, FACILITATOR, lead, signIn, startServer, tempDir, wsUrl } from '../support/server.ts'
import { type SpawnedServer, spawnServer } from '../support/spawnServer.ts'
import { waitFor } from '../support/wait.ts'

/** Writes `text` as the only paragraph of the plan's "problem" section, from a client's document. */
function setProblem(doc: Y.Doc, text: string): void {
  const section = new PlanModel(doc).section('problem')
  doc.transact(() => {
    if (section.length > 0) section.delete(0, section.length)
    const p = new Y.XmlElement('paragraph')
    const t = new Y.XmlText()
    t.insert(0, text)
    p.insert(0, [t])
    section.insert(0, [p])
  })
}

/** Replaces a word in place (a small edit, as a person typing makes). */
function replaceWord(doc: Y.Doc, word: string, by: string): void {
  const t = (new PlanModel(doc).section('problem').get(0) as Y.XmlElement).get(0) as Y.XmlText
  const at = t.toString().indexOf(word)
  doc.transact(() => {
    t.delete(at, word.length)
    t.insert(at, by)
  })
}

const problemOf = (doc: Y.Doc) => new PlanModel(doc).snapshot().sections.problem

async function api<T>(
  server: { url: string },
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${server.url}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...bearer(token) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T }
}

describe('version history over REST with live clients', () => {
  const servers: LeverServer[] = []
  const processes: SpawnedServer[] = []
  const clients: TestClient[] = []
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    for (const s of servers.splice(0)) await s.close()
    for (const p of processes.splice(0)) {
      p.child.kill('SIGKILL')
      await p.exited
    }
  })

  it('restores a named version live on two connected clients, records who changed what, and undoes the restore', async () => {
    const server = await startServer()
    servers.push(server)
    const facilitator = await signIn(server, FACILITATOR)
    const member = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { token: facilitator })
    const a = connectClient(wsUrl(server), plan.docName, { params: { token: facilitator } })
    const b = connectClient(wsUrl(server), plan.docName, { params: { token: member } })
    clients.push(a, b)
    await Promise.all([synced(a), synced(b)])
    let disconnects = 0
    for (const c of [a, b])
      c.provider.on('status', (e: { status: string }) => e.status !== 'connected' && disconnects++)

    setProblem(a.doc, 'Wages in the county lag the region.')
    await waitFor(() => problemOf(b.doc) === 'Wages in the county lag the region.', { message: 'b to see a’s text' })
    const named = await api<VersionSummary>(server, facilitator, 'POST', `/plans/${plan.id}/versions`, {
      name: 'Submitted to council, March',
    })
    expect(named.status).toBe(201)
    expect(named.body).toMatchObject({ kind: 'named', name: 'Submitted to council, March' })
    expect(named.body.createdBy?.name).toBeTruthy()

    // Later edits by the other person; the status changes too.
    replaceWord(b.doc, 'lag', 'trail far behind')
    new PlanModel(b.doc).setStatus('inReview')
    await waitFor(() => problemOf(a.doc) === 'Wages in the county trail far behind the region.', {
      message: 'a to see b’s edit',
    })

    const restored = await api<{ beforeRestore: string }>(
      server,
      facilitator,
      'POST',
      `/plans/${plan.id}/versions/${named.body.id}/restore`,
    )
    expect(restored.status).toBe(200)
    await waitFor(
      () =>
        [a, b].every(
          (c) => problemOf(c.doc) === 'Wages in the county lag the region.' && new PlanModel(c.doc).status === 'draft',
        ),
      { message: 'both clients to show the restored plan' },
    )
    expect(disconnects).toBe(0)

    const list = await api<{ versions: VersionSummary[] }>(server, member, 'GET', `/plans/${plan.id}/versions`)
    expect(list.status).toBe(200)
    const kinds = list.body.versions.map((v) => v.kind)
    // Newest first: before-restore, the event before the status change, the named one, the first.
    expect(kinds.slice(0, 3)).toEqual(['before-restore', 'event', 'named'])
    const beforeRestore = list.body.versions[0] as VersionSummary
    expect(beforeRestore.id).toBe(restored.body.beforeRestore)
    // The team member changed the plan after the named version; the facilitator asked for the restore.
    const me = await api<{ user: { id: string } }>(server, member, 'GET', '/me')
    const facilitatorMe = await api<{ user: { id: string } }>(server, facilitator, 'GET', '/me')
    expect(beforeRestore.authors.map((p) => p.id)).toEqual([me.body.user.id])
    expect(beforeRestore.createdBy?.id).toBe(facilitatorMe.body.user.id)
    expect(named.body.authors.map((p) => p.id)).toEqual([facilitatorMe.body.user.id])

    // The version as it was, and a comparison with the plan now.
    const shown = await api<VersionDetailResponse>(
      server,
      member,
      'GET',
      `/plans/${plan.id}/versions/${beforeRestore.id}`,
    )
    expect(shown.body.plan.sections.problem).toBe('Wages in the county trail far behind the region.')
    expect(shown.body.plan.status).toBe('inReview')
    expect(shown.body.prose['section:problem']?.content?.[0]?.type).toBe('paragraph')
    const compared = await api<CompareResponse>(
      server,
      member,
      'GET',
      `/plans/${plan.id}/versions/${beforeRestore.id}/compare?with=${named.body.id}`,
    )
    expect(compared.status).toBe(200)
    const changes = compared.body.prose.find((p) => p.field === 'section:problem')?.changes ?? []
    const textOf = (kinds: string[]) =>
      changes
        .filter((c) => kinds.includes(c.kind))
        .map((c) => c.text)
        .join('')
    expect(textOf(['same', 'deleted'])).toBe('Wages in the county lag the region.')
    expect(textOf(['same', 'inserted'])).toBe('Wages in the county trail far behind the region.')
    expect(textOf(['deleted']).trim()).toBe('lag')
    expect(compared.body.fields).toContainEqual({ scope: 'Plan', field: 'Status', before: 'Draft', after: 'In review' })

    // Undo: restore the before-restore version.
    const undone = await api<{ beforeRestore: string }>(
      server,
      member,
      'POST',
      `/plans/${plan.id}/versions/${beforeRestore.id}/restore`,
      {},
    )
    expect(undone.status).toBe(200)
    await waitFor(() => [a, b].every((c) => problemOf(c.doc) === 'Wages in the county trail far behind the region.'), {
      message: 'both clients to show the undone restore',
    })
    expect(disconnects).toBe(0)
  })

  it('merges what a client wrote offline into a restored plan, losing neither the restore nor the offline work', async () => {
    const server = await startServer()
    servers.push(server)
    const token = await signIn(server, FACILITATOR)
    const plan = await createPlan(server, { token })
    const a = connectClient(wsUrl(server), plan.docName, { params: { token } })
    const c = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(a, c)
    await Promise.all([synced(a), synced(c)])
    setProblem(a.doc, 'Wages in the county lag the region.')
    await waitFor(() => problemOf(c.doc) === 'Wages in the county lag the region.', { message: 'c to sync' })
    const named = await api<VersionSummary>(server, token, 'POST', `/plans/${plan.id}/versions`, { name: 'Good' })
    replaceWord(a.doc, 'lag', 'match')
    await waitFor(() => problemOf(c.doc) === 'Wages in the county match the region.', { message: 'c to see the edit' })

    // c goes offline and writes in another section and in the restored one.
    c.provider.disconnect()
    const definition = new PlanModel(c.doc).section('jobQualityDefinition')
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('Written offline on the train.')])
    definition.insert(0, [p])
    const t = (new PlanModel(c.doc).section('problem').get(0) as Y.XmlElement).get(0) as Y.XmlText
    t.insert(0, 'Sadly, ')

    const restored = await api(server, token, 'POST', `/plans/${plan.id}/versions/${named.body.id}/restore`)
    expect(restored.status).toBe(200)
    await waitFor(() => problemOf(a.doc) === 'Wages in the county lag the region.', { message: 'a to see the restore' })

    c.provider.connect()
    const expected = {
      problem: 'Sadly, Wages in the county lag the region.',
      definition: 'Written offline on the train.',
    }
    const content = (doc: Y.Doc) => {
      const sections = new PlanModel(doc).snapshot().sections
      return { problem: sections.problem, definition: sections.jobQualityDefinition }
    }
    await waitFor(() => [a, c].every((x) => JSON.stringify(content(x.doc)) === JSON.stringify(expected)), {
      message: 'the offline work and the restore to merge on both clients',
    })
  })

  it('takes a version of a plan with unsaved changes when a session ends', async () => {
    const server = await startServer()
    servers.push(server)
    const token = await signIn(server, FACILITATOR)
    const plan = await createPlan(server, { token })
    const a = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(a)
    await synced(a)
    setProblem(a.doc, 'Written during the session.')
    await waitFor(
      async () =>
        (await server.rooms.withRoom(plan.docName, (r) => problemOf(r.doc))) === 'Written during the session.',
    )
    const created = await api<{ id: string }>(server, token, 'POST', '/sessions', {
      title: 'Procurement breakouts',
      topic: 'Procurement',
      phase: 'phase2',
      startsAt: '2026-12-09T17:00:00Z',
      focus: ['lever:procurement'],
    })
    expect((await api(server, token, 'POST', `/sessions/${created.body.id}/start`)).status).toBe(200)
    expect((await api(server, token, 'POST', `/sessions/${created.body.id}/end`)).status).toBe(200)
    const list = await api<{ versions: VersionSummary[] }>(server, token, 'GET', `/plans/${plan.id}/versions`)
    const ended = list.body.versions[0] as VersionSummary
    expect(ended).toMatchObject({ kind: 'event', name: 'Session “Procurement breakouts” ended' })
    const shown = await api<VersionDetailResponse>(server, token, 'GET', `/plans/${plan.id}/versions/${ended.id}`)
    expect(shown.body.plan.sections.problem).toBe('Written during the session.')
  })

  it('names and renames versions, restores one section, and refuses bad input with JSON errors', async () => {
    const server = await startServer()
    servers.push(server)
    const token = await signIn(server, FACILITATOR)
    const plan = await createPlan(server, { token })
    const a = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(a)
    await synced(a)
    setProblem(a.doc, 'First words.')
    new PlanModel(a.doc).setTitle('Plan A')
    await waitFor(async () => (await server.rooms.withRoom(plan.docName, (r) => problemOf(r.doc))) === 'First words.')
    const v = await api<VersionSummary>(server, token, 'POST', `/plans/${plan.id}/versions`, { name: 'Draft one' })
    const renamed = await api<VersionSummary>(server, token, 'PATCH', `/plans/${plan.id}/versions/${v.body.id}`, {
      name: 'Draft one, reviewed',
    })
    expect(renamed.body.name).toBe('Draft one, reviewed')
    setProblem(a.doc, 'Second words.')
    new PlanModel(a.doc).setTitle('Plan B')
    await waitFor(async () => (await server.rooms.withRoom(plan.docName, (r) => problemOf(r.doc))) === 'Second words.')
    const res = await api<{ beforeRestore: string }>(
      server,
      token,
      'POST',
      `/plans/${plan.id}/versions/${v.body.id}/restore`,
      {
        section: 'problem',
      },
    )
    expect(res.status).toBe(200)
    await waitFor(() => problemOf(a.doc) === 'First words.', { message: 'the section to be restored' })
    expect(new PlanModel(a.doc).title).toBe('Plan B')

    const bad = [
      await api(server, token, 'POST', `/plans/${plan.id}/versions`, { name: '' }),
      await api(server, token, 'POST', `/plans/${plan.id}/versions/${v.body.id}/restore`, { section: 'nope' }),
      await api(server, token, 'POST', `/plans/${plan.id}/versions/${v.body.id}/restore`, {
        initiativeId: 'x',
        extra: 1,
      }),
      await api(server, token, 'GET', `/plans/${plan.id}/versions/${v.body.id}/compare?with=..%2F`),
    ]
    for (const r of bad) {
      expect(r.status).toBe(400)
      expect((r.body as { error: { code: string } }).error.code).toBe('validation_failed')
    }
    // Forms show the message as it is: the schema's words, no field path before them (the details name it).
    expect(bad[0]?.body).toMatchObject({
      error: { message: 'Give the version a name', details: [{ path: 'name', message: 'Give the version a name' }] },
    })
    const longName = await api(server, token, 'POST', `/plans/${plan.id}/versions`, { name: 'v'.repeat(500) })
    expect((longName.body as { error: { message: string } }).error.message).toMatch(
      /^Name is too long: keep it to \d+ characters or fewer$/,
    )
    const missing = await api(server, token, 'POST', `/plans/${plan.id}/versions/${v.body.id}/restore`, {
      initiativeId: 'nosuch',
    })
    expect(missing.status).toBe(404)
    expect(await api(server, token, 'GET', `/plans/${plan.id}/versions/nosuchversion`)).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    })
    // Each named version is a full copy of the plan: at most 60 an hour per plan.
    const statuses: number[] = []
    for (let i = 0; i < 60; i++) {
      statuses.push((await api(server, token, 'POST', `/plans/${plan.id}/versions`, { name: `Copy ${i}` })).status)
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(59)
    expect(statuses.at(-1)).toBe(429)
    const limited = await api<{ error: { code: string } }>(server, token, 'POST', `/plans/${plan.id}/versions`, {
      name: 'One more',
    })
    expect(limited.body.error.code).toBe('rate_limited')
  })

  it('refuses a named version with 507 once named versions fill the plan’s budget, still restores, and lets only a facilitator delete versions to make room', async () => {
    // A budget the plan's first versions fit in, and a version of the plan with 4,000 random characters does not.
    const server = await startServer({ versions: { maxBytesPerPlan: 2048 } })
    servers.push(server)
    const token = await signIn(server, FACILITATOR)
    const memberToken = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { token, jurisdictionId: 'boulder-co' })
    const a = connectClient(wsUrl(server), plan.docName, { params: { token } })
    clients.push(a)
    await synced(a)
    const draft = await api<VersionSummary>(server, token, 'POST', `/plans/${plan.id}/versions`, { name: 'Draft' })
    expect(draft.status).toBe(201)
    const noise = randomBytes(3000).toString('base64')
    setProblem(a.doc, noise)
    await waitFor(async () => (await server.rooms.withRoom(plan.docName, (r) => problemOf(r.doc))) === noise)
    const listed = async () =>
      (await api<{ versions: VersionSummary[] }>(server, token, 'GET', `/plans/${plan.id}/versions`)).body.versions
    const before = await listed()

    const named = await api(server, token, 'POST', `/plans/${plan.id}/versions`, { name: 'Too much' })
    expect(named).toMatchObject({ status: 507, body: { error: { code: 'version_history_full' } } })
    expect((named.body as { error: { message: string } }).error.message).toMatch(
      /^This plan’s named versions have reached 2 KB.*restoring still works\.$/,
    )
    expect(await listed()).toEqual(before)

    // Restoring still works: the version before it is kept past the budget.
    const restored = await api<{ beforeRestore: string }>(
      server,
      token,
      'POST',
      `/plans/${plan.id}/versions/${draft.body.id}/restore`,
      {},
    )
    expect(restored.status).toBe(200)
    expect(await server.rooms.withRoom(plan.docName, (r) => problemOf(r.doc))).not.toBe(noise)
    expect((await listed())[0]?.id).toBe(restored.body.beforeRestore)

    // A team member may not delete versions; a facilitator deletes the named draft, and naming
    // works again (the version before the restore, never named, makes room too).
    const path = `/plans/${plan.id}/versions/${draft.body.id}`
    expect((await api(server, memberToken, 'DELETE', path)).status).toBe(403)
    expect((await api(server, token, 'DELETE', path)).status).toBe(204)
    expect((await listed()).map((v) => v.id)).not.toContain(draft.body.id)
    expect((await api(server, token, 'DELETE', path)).status).toBe(404)
    const again = await api(server, token, 'POST', `/plans/${plan.id}/versions`, { name: 'Room again' })
    expect(again.status).toBe(201)
  })

  it('loses nothing when the server is killed with SIGKILL right after a restore answered', async () => {
    const dataDir = tempDir()
    const first = await spawnServer({ DATA_DIR: dataDir })
    processes.push(first)
    const token = await signIn(first)
    const plan = await createPlan(first, { token })
    const collab = `${first.url.replace(/^http/, 'ws')}/collab`
    const a = connectClient(collab, plan.docName, { params: { token } })
    clients.push(a)
    await synced(a)
    setProblem(a.doc, 'Kept through a crash.')
    const named = await waitFor(async () => {
      const r = await api<VersionSummary>(first, token, 'POST', `/plans/${plan.id}/versions`, { name: 'Before' })
      const shown = await api<VersionDetailResponse>(first, token, 'GET', `/plans/${plan.id}/versions/${r.body.id}`)
      return shown.body.plan.sections.problem === 'Kept through a crash.' ? r.body : null
    })
    replaceWord(a.doc, 'Kept', 'Lost')
    await waitFor(async () => {
      const r = await api<CompareResponse>(
        first,
        token,
        'GET',
        `/plans/${plan.id}/versions/${named.id}/compare?with=current`,
      )
      return r.body.prose.length > 0
    })
    const restored = await api<{ beforeRestore: string }>(
      first,
      token,
      'POST',
      `/plans/${plan.id}/versions/${named.id}/restore`,
    )
    expect(restored.status).toBe(200)
    first.child.kill('SIGKILL')
    await first.exited
    a.destroy()

    const again = await spawnServer({ DATA_DIR: dataDir })
    processes.push(again)
    const token2 = await signIn(again)
    const reader = connectClient(`${again.url.replace(/^http/, 'ws')}/collab`, plan.docName, {
      params: { token: token2 },
    })
    clients.push(reader)
    await synced(reader)
    expect(problemOf(reader.doc)).toBe('Kept through a crash.')
    const list = await api<{ versions: VersionSummary[] }>(again, token2, 'GET', `/plans/${plan.id}/versions`)
    expect(list.body.versions.map((v) => v.id)).toEqual(expect.arrayContaining([named.id, restored.body.beforeRestore]))
    const before = await api<VersionDetailResponse>(
      again,
      token2,
      'GET',
      `/plans/${plan.id}/versions/${restored.body.beforeRestore}`,
    )
    expect(before.body.plan.sections.problem).toBe('Lost through a crash.')
  })
})

describe('who may read and restore history', () => {
  let server: LeverServer
  let boulder: PlanSummary
  let versionId = ''
  const tokens: Record<string, string> = {}
  const call = (who: string, method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(who === 'anonymous' ? {} : bearer(tokens[who] as string)) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })

  afterEach(async () => {
    await server?.close()
  })

  async function setUp() {
    server = await startServer()
    tokens.facilitator = await signIn(server, FACILITATOR)
    tokens.coach = await signIn(server, COACH)
    tokens.member = await signIn(server, lead('boulder-co'))
    tokens.peer = await signIn(server, lead('tulsa-ok'))
    boulder = await createPlan(server, { token: tokens.member })
    const res = await call('member', 'POST', `/plans/${boulder.id}/versions`, { name: 'Ours' })
    versionId = ((await res.json()) as VersionSummary).id
  }

  it('lets the assigned coach read history and compare, but not name or restore', async () => {
    await setUp()
    expect((await call('coach', 'GET', `/plans/${boulder.id}/versions`)).status).toBe(200)
    expect((await call('coach', 'GET', `/plans/${boulder.id}/versions/${versionId}`)).status).toBe(200)
    expect((await call('coach', 'GET', `/plans/${boulder.id}/versions/${versionId}/compare?with=current`)).status).toBe(
      200,
    )
    const restore = await call('coach', 'POST', `/plans/${boulder.id}/versions/${versionId}/restore`)
    expect(restore.status).toBe(403)
    expect(((await restore.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    expect((await call('coach', 'POST', `/plans/${boulder.id}/versions`, { name: 'Mine' })).status).toBe(403)
    expect((await call('coach', 'PATCH', `/plans/${boulder.id}/versions/${versionId}`, { name: 'Mine' })).status).toBe(
      403,
    )
    expect((await call('facilitator', 'POST', `/plans/${boulder.id}/versions/${versionId}/restore`)).status).toBe(200)
  })

  it('keeps the history of an unshared plan from peers of another jurisdiction, and from anonymous callers', async () => {
    await setUp()
    for (const path of [
      `/plans/${boulder.id}/versions`,
      `/plans/${boulder.id}/versions/${versionId}`,
      `/plans/${boulder.id}/versions/${versionId}/compare?with=current`,
    ]) {
      expect((await call('peer', 'GET', path)).status).toBe(403)
      expect((await call('anonymous', 'GET', path)).status).toBe(401)
    }
    expect((await call('peer', 'POST', `/plans/${boulder.id}/versions/${versionId}/restore`)).status).toBe(403)
    expect((await call('peer', 'POST', `/plans/${boulder.id}/versions`, { name: 'x' })).status).toBe(403)
    // A version id of another plan is not found through this one.
    const tulsa = await createPlan(server, { jurisdictionId: 'tulsa-ok', token: tokens.peer })
    expect((await call('peer', 'GET', `/plans/${tulsa.id}/versions/${versionId}`)).status).toBe(404)
    expect((await call('peer', 'GET', `/plans/nosuchplan/versions`)).status).toBe(404)
  })

  it('lets peers read the history of a plan shared with the cohort, without restoring', async () => {
    await setUp()
    await server.rooms.withRoom(boulder.docName, (room) =>
      room.transactServer((doc) => new PlanModel(doc).setSharedWithCohort(true)),
    )
    await waitFor(async () => (await call('peer', 'GET', `/plans/${boulder.id}/versions`)).status === 200, {
      message: 'sharing to reach the metadata',
    })
    expect((await call('peer', 'POST', `/plans/${boulder.id}/versions/${versionId}/restore`)).status).toBe(403)
  })
})
