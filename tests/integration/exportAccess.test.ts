import type { LeverServer } from '@lever/server'
import { PlanModel, type PlanSummary, ThreadsModel, threadDocName } from '@lever/shared'
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced } from '../support/clients.ts'
import { getExport, pdfText, tempFile } from '../support/exports.ts'
import { writeLargePlan } from '../support/planFixtures.ts'
import { COACH, createPlan, lead, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('who may export, and how exports fail', () => {
  let server: LeverServer
  let facilitator = ''
  let plan: PlanSummary

  beforeAll(async () => {
    server = await startServer()
    facilitator = await signIn(server)
    plan = await createPlan(server, { token: facilitator, jurisdictionId: 'boulder-co', title: 'Boulder plan' })
    await server.rooms.withRoom(plan.docName, (room) => room.transactServer((doc) => writeLargePlan(doc, 3)))
    // A coach's thread for the team and its coaches (the team's thread document).
    await server.rooms.withRoom(threadDocName(plan.id, 'team'), (room) =>
      room.transactServer((doc) => {
        new ThreadsModel(doc).create({
          anchor: { kind: 'text', field: 'section:problem', quote: 'Bold claim', before: '', after: '' },
          author: { id: 'u1', name: 'Coach Carla' },
          body: 'Where does this number come from?',
        })
      }),
    )
  })
  afterAll(async () => {
    await server?.close()
  })

  const exportPlan = (query: string, token?: string) => getExport(server, `/plans/${plan.id}/export?${query}`, token)

  it('answers 401, 403 and 404 as JSON exactly as reading the plan does', async () => {
    const anonymous = await exportPlan('format=md')
    expect(anonymous.status).toBe(401)
    expect(anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } })

    const other = await signIn(server, lead('atlanta-ga'))
    const forbidden = await exportPlan('format=md', other)
    expect(forbidden.status).toBe(403)
    expect(forbidden.json()).toMatchObject({ error: { code: 'forbidden' } })
    const readPlan = await fetch(`${server.url}/api/plans/${plan.id}`, {
      headers: { authorization: `Bearer ${other}` },
    })
    expect(readPlan.status).toBe(403)

    const missing = await getExport(server, '/plans/nope/export?format=md', facilitator)
    expect(missing.status).toBe(404)
    expect(missing.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('lets the team, its coach and (once shared) peers export, like reading', async () => {
    for (const email of [lead('boulder-co'), COACH]) {
      const res = await exportPlan('format=csv', await signIn(server, email))
      expect(res.status, email).toBe(200)
    }
    const peer = await signIn(server, lead('atlanta-ga'))
    await server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => doc.getMap('meta').set('sharedWithCohort', true)),
    )
    await waitFor(async () => (await exportPlan('format=md', peer)).status === 200, {
      message: 'the shared plan to export',
    })
    await server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => doc.getMap('meta').set('sharedWithCohort', false)),
    )
    await waitFor(async () => (await exportPlan('format=md', peer)).status === 403, {
      message: 'the unshared plan to refuse',
    })
  })

  it('refuses an unknown format with 400 and a stored version that does not exist with 404 version_not_found', async () => {
    const unknown = await exportPlan('format=rtf', facilitator)
    expect(unknown.status).toBe(400)
    expect(unknown.json()).toMatchObject({
      error: { code: 'validation_failed', message: expect.stringContaining('format') },
    })
    const none = await exportPlan('', facilitator)
    expect(none.status).toBe(400)
    const version = await exportPlan('format=md&version=v1', facilitator)
    expect(version.status).toBe(404)
    expect(version.json()).toMatchObject({ error: { code: 'version_not_found' } })
  })

  it('adds the open comment threads as an appendix only when asked', async () => {
    const without = (await exportPlan('format=md', facilitator)).text()
    expect(without).not.toContain('open comment threads')
    const withComments = (await exportPlan('format=md&comments=1', facilitator)).text()
    expect(withComments).toContain('## Appendix: open comment threads')
    expect(withComments).toContain('### Problem and baseline')
    expect(withComments).toContain('**Coach Carla**')
    expect(withComments).toContain('Where does this number come from?')
  })

  it('leaves the team’s threads out of a peer’s export of the shared plan, and puts in those for everyone', async () => {
    await server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => new PlanModel(doc).setSharedWithCohort(true)),
    )
    await waitFor(async () => (await server.plans.get(plan.id))?.sharedWithCohort === true, {
      message: 'the plan to be shared',
    })
    await server.rooms.withRoom(threadDocName(plan.id, 'all'), (room) =>
      room.transactServer((doc) => {
        new ThreadsModel(doc).create({
          anchor: { kind: 'initiative', initiativeId: 'x' },
          author: { id: 'u2', name: 'Lee Lead' },
          body: 'Open question for the cohort',
        })
      }),
    )
    const peer = (await exportPlan('format=md&comments=1', await signIn(server, lead('tulsa-ok')))).text()
    expect(peer).toContain('Open question for the cohort')
    expect(peer).not.toContain('Where does this number come from?')
    const team = (await exportPlan('format=md&comments=1', facilitator)).text()
    expect(team).toContain('Open question for the cohort')
    expect(team).toContain('Where does this number come from?')
    await server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => new PlanModel(doc).setSharedWithCohort(false)),
    )
  })

  it('gives facilitators the cohort roll-up with every jurisdiction, and refuses everyone else', async () => {
    const coach = await getExport(server, '/cohort/export?format=xlsx', await signIn(server, COACH))
    expect(coach.status).toBe(403)
    expect((await getExport(server, '/cohort/export?format=xlsx')).status).toBe(401)
    expect((await getExport(server, '/cohort/export?format=csv', facilitator)).status).toBe(400)

    const res = await getExport(server, '/cohort/export?format=xlsx', facilitator)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Cohort-roll-up-\d{4}-\d{2}-\d{2}\.xlsx"/,
    )
    const sheets = await readXlsxFile(res.bytes)
    expect(sheets.map((s) => s.sheet)).toEqual(['Plans', 'Initiatives', 'Funding'])
    const plans = sheets[0]?.data ?? []
    expect(plans).toHaveLength(21)
    const boulder = plans.find((r) => r[0] === 'City of Boulder')
    expect(boulder?.slice(0, 5)).toEqual([
      'City of Boulder',
      expect.stringContaining('Good jobs plan'),
      'In review',
      new Date('2024-03-15T00:00:00Z'),
      3,
    ])
    expect(boulder?.[9]).toBe(100000 + 101000.5 + 102001)
    expect(plans.filter((r) => r[1] === 'No plan yet')).toHaveLength(19)
    const initiatives = sheets[1]?.data ?? []
    expect(initiatives).toHaveLength(4)
    expect(initiatives[1]?.[0]).toBe('City of Boulder')
  })

  it('prints the cohort roll-up as a PDF with a page per jurisdiction', { timeout: 180_000 }, async () => {
    const res = await getExport(server, '/cohort/export?format=pdf', facilitator)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const text = pdfText(tempFile(res.bytes, 'cohort.pdf'))
    expect(text).toContain('Cohort roll-up')
    expect(text).toContain('City of Boulder')
    expect(text).toContain('City of Atlanta')
    expect(text).toContain('No plan yet.')
    expect(text).toContain('Initiatives by lever and status')
  })

  it('exports while people edit live, and keeps serving their edits', { timeout: 240_000 }, async () => {
    const writer = connectClient(wsUrl(server), plan.docName, { params: { token: facilitator } })
    const reader = connectClient(wsUrl(server), plan.docName, { params: { token: facilitator } })
    try {
      await synced(writer)
      await synced(reader)
      const title = writer.doc.getMap('meta')
      let typed = 0
      let stop = false
      const typing = (async () => {
        while (!stop) {
          typed += 1
          title.set('lastEdit', typed)
          await waitFor(() => reader.doc.getMap('meta').get('lastEdit') === typed, {
            message: `edit ${typed} to arrive`,
          })
        }
      })()
      // Two exports at once (the PDFs queue for the one browser) while edits flow.
      const [pdfA, pdfB, docx] = await Promise.all([
        exportPlan('format=pdf', facilitator),
        exportPlan('format=pdf', facilitator),
        exportPlan('format=docx', facilitator),
      ])
      const during = typed
      await waitFor(() => typed > during + 3, { message: 'edits to go on after the exports' })
      stop = true
      await typing
      expect([pdfA.status, pdfB.status, docx.status]).toEqual([200, 200, 200])
      expect(pdfText(tempFile(pdfA.bytes, 'a.pdf'))).toContain('Executive summary')
      expect(pdfText(tempFile(pdfB.bytes, 'b.pdf'))).toContain('Executive summary')
      expect(typed).toBeGreaterThan(3)
    } finally {
      writer.destroy()
      reader.destroy()
    }
  })
})

describe('a server without a browser', () => {
  let server: LeverServer
  beforeAll(async () => {
    server = await startServer({ export: { chromiumPath: '/nonexistent/chromium' } })
  })
  afterAll(async () => {
    await server?.close()
  })

  it('answers PDF exports with 503 pdf_unavailable saying what to install, and every other format still works', async () => {
    const token = await signIn(server)
    const plan = await createPlan(server, { token })
    const pdf = await getExport(server, `/plans/${plan.id}/export?format=pdf`, token)
    expect(pdf.status).toBe(503)
    expect(pdf.json()).toMatchObject({
      error: { code: 'pdf_unavailable', message: expect.stringMatching(/apt-get install chromium.*CHROMIUM_PATH/) },
    })
    const cohort = await getExport(server, '/cohort/export?format=pdf', token)
    expect(cohort.status).toBe(503)
    for (const format of ['docx', 'xlsx', 'csv', 'md']) {
      expect((await getExport(server, `/plans/${plan.id}/export?format=${format}`, token)).status, format).toBe(200)
    }
  })
})
