import type { LeverServer } from '@lever/server'
import { PlanModel, type PlanSummary, type TemplateSummary } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clientPool, synced } from '../support/clients.ts'
import {
  apiCaller,
  bearer,
  COACH,
  createPlan,
  FACILITATOR,
  lead,
  signIn,
  startServer,
  tempDir,
} from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('templates', () => {
  let server: LeverServer
  let facilitator = ''
  let boulder = ''
  let ohio = ''
  let coach = ''
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)
  const { clients, connect } = clientPool(() => server)
  const list = async (token: string) =>
    ((await (await api(token, 'GET', '/templates')).json()) as { templates: TemplateSummary[] }).templates
  const stored = (docName: string) => server.rooms.withRoom(docName, (room) => new PlanModel(room.doc).snapshot())

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server, FACILITATOR)
    boulder = await signIn(server, lead('boulder-co'))
    ohio = await signIn(server, lead('ohio'))
    coach = await signIn(server, COACH)
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('ships a plan template and a procurement initiative template, readable by everyone signed in', async () => {
    const templates = await list(boulder)
    const plan = templates.find((t) => t.kind === 'plan')
    const initiative = templates.find((t) => t.kind === 'initiative')
    expect(plan?.title).toBe('Job-quality action plan')
    expect(initiative?.title).toBe('Job-quality standards in public contracts')
    expect(plan).toMatchObject({ access: 'read-only', version: expect.any(Number), description: expect.any(String) })
    expect((await list(facilitator)).every((t) => t.access === 'read-write')).toBe(true)
    const skeleton = await stored(plan?.docName as string)
    expect(skeleton.initiatives.map((i) => i.lever)).toEqual(['procurement', 'hrPractices', 'policy', 'empowerment'])
    expect(skeleton.sections.problem).toContain('Which workers and jobs')
    const procurement = await stored(initiative?.docName as string)
    expect(procurement.initiatives).toHaveLength(1)
    expect(procurement.initiatives[0]?.laborPractices).toContain('prevailingWage')
    expect((await fetch(`${server.url}/api/templates`)).status).toBe(401)
  })

  it('seeds the shipped templates once: a restart on the same data adds none', async () => {
    const dataDir = tempDir()
    const count = async () => {
      const started = await startServer({ dataDir })
      try {
        const token = await signIn(started, FACILITATOR)
        const res = await fetch(`${started.url}/api/templates`, { headers: bearer(token) })
        return ((await res.json()) as { templates: TemplateSummary[] }).templates.map((t) => t.id).sort()
      } finally {
        await started.close()
      }
    }
    const first = await count()
    expect(first).toHaveLength(2)
    expect(await count()).toEqual(first)
  })

  it('lets facilitators create templates and edit them live, and refuses everyone else', async () => {
    expect((await api(boulder, 'POST', '/templates', { kind: 'plan', title: 'Mine' })).status).toBe(403)
    expect((await api(coach, 'POST', '/templates', { kind: 'plan', title: 'Mine' })).status).toBe(403)
    const bad = await api(facilitator, 'POST', '/templates', { kind: 'recipe', title: 'X' })
    expect(bad.status).toBe(400)
    const res = await api(facilitator, 'POST', '/templates', {
      kind: 'initiative',
      title: 'Fair scheduling pilot',
      description: 'A pilot of predictable schedules',
    })
    expect(res.status).toBe(201)
    const created = (await res.json()) as TemplateSummary
    expect(created).toMatchObject({ kind: 'initiative', title: 'Fair scheduling pilot', access: 'read-write' })
    expect((await api(boulder, 'GET', `/templates/${created.id}`)).status).toBe(200)
    expect((await api(boulder, 'GET', '/templates/nope')).status).toBe(404)
    expect((await api(boulder, 'PATCH', `/templates/${created.id}`, { description: 'x' })).status).toBe(403)
    expect((await api(facilitator, 'PATCH', `/templates/${created.id}`, { description: 'Updated' })).status).toBe(200)

    // The facilitator edits the template document; a team member's connection is read-only.
    const editor = connect(created.docName, facilitator)
    await synced(editor)
    const initiative = new PlanModel(editor.doc).initiatives()[0]
    expect(initiative?.title).toBe('Fair scheduling pilot')
    initiative?.text('owner')?.insert(0, 'Workforce office')
    await waitFor(async () => (await stored(created.docName)).initiatives[0]?.owner === 'Workforce office', {
      message: 'the facilitator’s edit to be stored',
    })
    await waitFor(
      async () =>
        ((await (await api(boulder, 'GET', `/templates/${created.id}`)).json()) as TemplateSummary).version >
        created.version,
      {
        message: 'the template version to go up',
      },
    )
    const reader = connect(created.docName, boulder)
    await synced(reader)
    new PlanModel(reader.doc).initiatives()[0]?.text('owner')?.insert(0, 'Hacked ')
    // The refused change never reaches the stored document.
    await new Promise<void>((resolve) => reader.provider.once('status', () => resolve()))
    expect((await stored(created.docName)).initiatives[0]?.owner).toBe('Workforce office')
  })

  it('starts two independent plans from one template, with fresh ids and the template version recorded', async () => {
    const template = (await list(facilitator)).find((t) => t.kind === 'plan') as TemplateSummary
    // Only the team (or a facilitator) may start a jurisdiction's plan.
    expect(
      (await api(ohio, 'POST', `/templates/${template.id}/instantiate`, { jurisdictionId: 'boulder-co', title: 'X' }))
        .status,
    ).toBe(403)
    expect(
      (await api(coach, 'POST', `/templates/${template.id}/instantiate`, { jurisdictionId: 'boulder-co', title: 'X' }))
        .status,
    ).toBe(403)
    expect(
      (await api(boulder, 'POST', `/templates/${template.id}/instantiate`, { jurisdictionId: 'nowhere', title: 'X' }))
        .status,
    ).toBe(404)
    expect(
      (await api(boulder, 'POST', `/templates/${template.id}/instantiate`, { jurisdictionId: 'boulder-co', title: '' }))
        .status,
    ).toBe(400)

    const start = async (title: string) => {
      const res = await api(boulder, 'POST', `/templates/${template.id}/instantiate`, {
        jurisdictionId: 'boulder-co',
        title,
      })
      expect(res.status).toBe(201)
      return (await res.json()) as PlanSummary
    }
    const first = await start('Boulder plan A')
    const second = await start('Boulder plan B')
    expect(first).toMatchObject({ jurisdictionId: 'boulder-co', access: 'read-write', docName: `plan:${first.id}` })
    expect(first.id).not.toBe(second.id)
    const current = (await (await api(boulder, 'GET', `/templates/${template.id}`)).json()) as TemplateSummary
    expect(first.template).toEqual({ id: template.id, title: template.title, version: current.version })
    expect(((await (await api(boulder, 'GET', `/plans/${first.id}`)).json()) as PlanSummary).template?.version).toBe(
      current.version,
    )

    const source = await stored(template.docName)
    const a = await stored(first.docName)
    const b = await stored(second.docName)
    expect(a.title).toBe('Boulder plan A')
    expect(a.jurisdictionId).toBe('boulder-co')
    expect(a.sections.problem).toBe(source.sections.problem)
    expect(a.initiatives.map((i) => i.title)).toEqual(source.initiatives.map((i) => i.title))
    const ids = (p: typeof a) => [
      ...p.initiatives.map((i) => i.id),
      ...p.initiatives.flatMap((i) => i.metrics.map((m) => m.id)),
      ...p.initiatives.flatMap((i) => i.milestones.map((m) => m.id)),
    ]
    const sourceIds = new Set(ids(source))
    expect(ids(a).length).toBe(sourceIds.size)
    for (const id of ids(a)) expect(sourceIds.has(id)).toBe(false)
    for (const id of ids(b)) expect(ids(a)).not.toContain(id)

    // Editing one plan leaves the other (and the template) as it was.
    const editor = connect(first.docName, boulder)
    await synced(editor)
    const model = new PlanModel(editor.doc)
    model.initiatives()[0]?.text('owner')?.insert(0, 'Boulder procurement')
    model.section('problem').insert(0, [new Y.XmlElement('paragraph')])
    model.removeInitiative(model.initiatives()[1]?.id as string)
    await waitFor(async () => (await stored(first.docName)).initiatives.length === 3, { message: 'edits stored' })
    const secondNow = await stored(second.docName)
    expect(secondNow.initiatives).toHaveLength(4)
    expect(secondNow.initiatives[0]?.owner).toBe('')
    expect((await stored(template.docName)).initiatives).toHaveLength(4)
  })

  it('refuses to start a plan from an initiative template, and to add a plan template into a lever', async () => {
    const templates = await list(facilitator)
    const plan = templates.find((t) => t.kind === 'plan') as TemplateSummary
    const initiative = templates.find((t) => t.title === 'Job-quality standards in public contracts') as TemplateSummary
    const res = await api(boulder, 'POST', `/templates/${initiative.id}/instantiate`, {
      jurisdictionId: 'boulder-co',
      title: 'X',
    })
    expect(res.status).toBe(400)
    const target = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder })
    const wrong = await api(boulder, 'POST', `/plans/${target.id}/initiatives/from-template`, {
      templateId: plan.id,
      lever: 'procurement',
    })
    expect(wrong.status).toBe(400)
  })

  it('adds an initiative template into a chosen lever of a plan, as a server-made edit seen live', async () => {
    const template = (await list(facilitator)).find(
      (t) => t.title === 'Job-quality standards in public contracts',
    ) as TemplateSummary
    const target = await createPlan(server, { jurisdictionId: 'boulder-co', token: boulder, title: 'Adds' })
    const watcher = connect(target.docName, boulder)
    await synced(watcher)
    const add = () =>
      api(boulder, 'POST', `/plans/${target.id}/initiatives/from-template`, {
        templateId: template.id,
        lever: 'policy',
      })
    const res = await add()
    expect(res.status).toBe(201)
    const { initiativeId } = (await res.json()) as { initiativeId: string }
    const again = (await (await add()).json()) as { initiativeId: string }
    expect(again.initiativeId).not.toBe(initiativeId)
    await waitFor(() => new PlanModel(watcher.doc).initiatives('policy').length === 2, {
      message: 'the added initiatives to reach the open plan',
    })
    const added = new PlanModel(watcher.doc).initiative(initiativeId)
    expect(added?.title).toBe('Job-quality standards in public contracts')
    expect(added?.lever).toBe('policy')
    expect(added?.fromTemplate).toMatchObject({ templateId: template.id, version: template.version })
    expect(added?.metrics.list()).toHaveLength(3)

    // Someone who cannot edit the plan is refused; an unknown lever or template is a clear error.
    expect(
      (
        await api(ohio, 'POST', `/plans/${target.id}/initiatives/from-template`, {
          templateId: template.id,
          lever: 'policy',
        })
      ).status,
    ).toBe(403)
    expect(
      (
        await api(coach, 'POST', `/plans/${target.id}/initiatives/from-template`, {
          templateId: template.id,
          lever: 'policy',
        })
      ).status,
    ).toBe(403)
    const noLever = await api(boulder, 'POST', `/plans/${target.id}/initiatives/from-template`, {
      templateId: template.id,
      lever: 'education',
    })
    expect(noLever.status).toBe(400)
    expect((await noLever.json()).error.message).toContain('no lever')
    expect(
      (
        await api(boulder, 'POST', `/plans/${target.id}/initiatives/from-template`, {
          templateId: 'missing',
          lever: 'policy',
        })
      ).status,
    ).toBe(404)
  })
})
