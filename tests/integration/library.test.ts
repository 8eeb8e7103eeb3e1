import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { LeverServer } from '@lever/server'
import { PlanModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced } from '../support/clients.ts'
import {
  bearer,
  COACH,
  createPlan,
  FACILITATOR,
  lead,
  signIn,
  sqliteOf,
  startServer,
  tempDir,
  wsUrl,
} from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

const UPLOAD_LIMIT = 64 * 1024

interface Entry {
  id: string
  title: string
  rating: { scheme: string; value: string } | null
  levers: string[]
  components: string[]
  populations: string[]
  suggestedTier: string | null
  revision: number
  source: { name: string; url: string }
}

const entryBody = (over: Record<string, unknown> = {}) => ({
  title: 'Sector-based training partnership',
  summary: 'Employer-led training for in-demand occupations raised earnings of participants.',
  source: { name: 'Test clearinghouse', url: 'https://clearinghouse.example.gov/study/1' },
  rating: { scheme: 'CLEAR', value: 'High causal evidence' },
  outcomeDomains: ['Earnings'],
  populations: ['Adults with low incomes'],
  components: ['wages', 'learning'],
  levers: ['procurement', 'policy'],
  suggestedTier: 'strong',
  checked: { on: '2026-11-30', where: 'The study page of the clearinghouse' },
  ...over,
})

const seedFixture = (entries: unknown[]) => JSON.stringify({ schemaVersion: 1, entries })
const seedEntry = (id: string, title: string, value: string) => ({
  id,
  ...entryBody({ title, rating: { scheme: 'Pathways', value } }),
})

function json(method: string, token: string | null, body?: unknown): RequestInit {
  return {
    method,
    headers: { ...(token ? bearer(token) : {}), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }
}

function uploadForm(
  file: { name: string; type: string; bytes: Uint8Array },
  fields: Record<string, string | string[]> = {},
) {
  const form = new FormData()
  form.set('title', 'A sample document')
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) form.append(key, v)
  }
  form.set('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }), file.name)
  return form
}

/**
 * Posts a form on a connection of its own: the server answers an oversize upload before reading
 * it and then closes that connection, which a pooled connection would be reused after.
 */
async function postOnce(url: string, token: string, form: FormData): Promise<{ status: number; body: string }> {
  const encoded = new Response(form)
  const bytes = Buffer.from(await encoded.arrayBuffer())
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          ...bearer(token),
          'content-type': encoded.headers.get('content-type') ?? '',
          'content-length': String(bytes.byteLength),
        },
      },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }))
      },
    )
    // The server may close before it has read everything: the answer has come by then.
    request.on('error', reject)
    request.end(bytes)
  })
}

const PDF = new TextEncoder().encode('%PDF-1.4\n% a tiny test document\n%%EOF\n')

describe('the library', () => {
  let server: LeverServer
  const dataDir = tempDir()
  const seedFile = path.join(tempDir(), 'evidence.seed.json')
  const uploads = path.join(dataDir, 'uploads')
  let facilitator = ''
  let member = ''
  let otherMember = ''
  let coach = ''

  const api = (p: string, init?: RequestInit) => fetch(`${server.url}/api${p}`, init)
  const storedFiles = () => (fs.existsSync(uploads) ? fs.readdirSync(uploads) : [])

  beforeAll(async () => {
    fs.writeFileSync(
      seedFile,
      seedFixture([
        seedEntry('seeded-kept', 'Seeded entry a facilitator edits', 'Supported'),
        seedEntry('seeded-plain', 'Seeded entry nobody edits', 'Well-supported'),
      ]),
    )
    server = await startServer({ dataDir, library: { uploadMaxBytes: UPLOAD_LIMIT, evidenceSeedFile: seedFile } })
    facilitator = await signIn(server, FACILITATOR)
    member = await signIn(server, lead('boulder-co'))
    otherMember = await signIn(server, lead('tulsa-ok'))
    coach = await signIn(server, COACH) // coach of Boulder: comment-only on its plans
  })
  afterAll(async () => {
    await server.close()
  })

  describe('evidence entries', () => {
    it('are read by everyone signed in and by nobody signed out', async () => {
      expect((await api('/library/evidence')).status).toBe(401)
      expect((await api('/library/evidence/seeded-plain')).status).toBe(401)
      for (const token of [member, coach, facilitator]) {
        const res = await api('/library/evidence', { headers: bearer(token) })
        expect(res.status).toBe(200)
        const { entries } = (await res.json()) as { entries: Entry[] }
        expect(entries.map((e) => e.id)).toEqual(expect.arrayContaining(['seeded-kept', 'seeded-plain']))
      }
      const one = await api('/library/evidence/seeded-plain', { headers: bearer(member) })
      expect(one.status).toBe(200)
      const { entry } = (await one.json()) as { entry: Entry }
      expect(entry).toMatchObject({
        id: 'seeded-plain',
        title: 'Seeded entry nobody edits',
        source: { name: 'Test clearinghouse', url: 'https://clearinghouse.example.gov/study/1' },
        rating: { scheme: 'Pathways', value: 'Well-supported' },
        components: ['wages', 'learning'],
        levers: ['procurement', 'policy'],
        suggestedTier: 'strong',
        revision: 1,
      })
      expect((await api('/library/evidence/no-such-entry', { headers: bearer(member) })).status).toBe(404)
    })

    it('are written by facilitators only: a team member and a coach get 403', async () => {
      for (const token of [member, coach]) {
        expect((await api('/library/evidence', json('POST', token, entryBody()))).status).toBe(403)
        expect((await api('/library/evidence/seeded-plain', json('PATCH', token, { title: 'Changed' }))).status).toBe(
          403,
        )
      }
      expect((await api('/library/evidence', json('POST', null, entryBody()))).status).toBe(401)
      expect(
        (await api('/library/evidence/seeded-plain', { headers: bearer(member) }).then((r) => r.json())) as unknown,
      ).toMatchObject({
        entry: { title: 'Seeded entry nobody edits', revision: 1 },
      })

      const created = await api('/library/evidence', json('POST', facilitator, entryBody()))
      expect(created.status).toBe(201)
      const { entry } = (await created.json()) as { entry: Entry }
      expect(entry.id).toMatch(/^sector-based-training-partnership-/)
      expect(entry.revision).toBe(1)

      const patched = await api(`/library/evidence/${entry.id}`, json('PATCH', facilitator, { populations: ['Youth'] }))
      expect(patched.status).toBe(200)
      expect(((await patched.json()) as { entry: Entry }).entry).toMatchObject({ populations: ['Youth'], revision: 2 })
      expect((await api('/library/evidence/no-such-entry', json('PATCH', facilitator, { title: 'x' }))).status).toBe(
        404,
      )
    })

    it('refuse bad input with 400 and say why', async () => {
      const cases: Array<[unknown, string]> = [
        [entryBody({ source: { name: 'X', url: 'javascript:alert(1)' } }), 'source.url'],
        [entryBody({ source: { name: 'X', url: 'ftp://example.org/file' } }), 'source.url'],
        [entryBody({ title: '  ' }), 'title'],
        [entryBody({ components: ['happiness'] }), 'components.0'],
        [entryBody({ levers: ['nope'] }), 'levers.0'],
        [entryBody({ suggestedTier: 'excellent' }), 'suggestedTier'],
        [entryBody({ checked: { on: '2026-02-30', where: 'x' } }), 'checked.on'],
        [{ ...entryBody(), extra: true }, ''],
      ]
      for (const [body, field] of cases) {
        const res = await api('/library/evidence', json('POST', facilitator, body))
        expect(res.status, JSON.stringify(body)).toBe(400)
        const error = (
          (await res.json()) as { error: { code: string; message: string; details: Array<{ path: string }> } }
        ).error
        expect(error.code).toBe('validation_failed')
        // The details name the field; the message is a sentence for the form, without zod's notation.
        if (field) expect(error.details[0]?.path, error.message).toBe(field)
        expect(error.message).not.toMatch(/^[\w.]+: |[<>]=|expected /)
      }
      expect((await api('/library/evidence/seeded-plain', json('PATCH', facilitator, {}))).status).toBe(400)
      const notJson = await api('/library/evidence', {
        method: 'POST',
        headers: { ...bearer(facilitator), 'content-type': 'text/plain' },
        body: 'x',
      })
      expect(notJson.status).toBe(415)
    })

    it('filter by lever, component, rating, population and text', async () => {
      const add = async (over: Record<string, unknown>) =>
        (
          (await (await api('/library/evidence', json('POST', facilitator, entryBody(over)))).json()) as {
            entry: Entry
          }
        ).entry
      const hr = await add({
        title: 'Fair scheduling pilot',
        levers: ['hrPractices'],
        components: ['scheduling'],
        populations: ['Retail workers'],
        rating: { scheme: 'Pathways', value: 'Not supported' },
      })
      const voice = await add({
        title: 'Worker voice councils',
        levers: ['empowerment'],
        components: ['voice'],
        rating: null,
        summary: 'Councils of frontline staff advise managers.',
      })
      const ids = async (query: string) =>
        (
          (await (await api(`/library/evidence?${query}`, { headers: bearer(member) })).json()) as { entries: Entry[] }
        ).entries.map((e) => e.id)
      expect(await ids('lever=hrPractices')).toEqual([hr.id])
      expect(await ids('component=voice')).toEqual([voice.id])
      expect(await ids('rating=not%20supported')).toEqual([hr.id])
      expect(await ids('rating=none')).toEqual([voice.id])
      expect(await ids('population=retail%20workers')).toEqual([hr.id])
      expect(await ids('q=frontline%20councils')).toEqual([voice.id])
      expect(await ids('lever=empowerment&component=wages')).toEqual([])
      expect((await api(`/library/evidence?q=${'x'.repeat(300)}`, { headers: bearer(member) })).status).toBe(400)
    })

    it('keep the rating history of an entry', async () => {
      const res = await api('/library/evidence/seeded-plain', { headers: bearer(member) })
      const body = (await res.json()) as { ratingHistory: Array<{ revision: number; rating: { value: string } }> }
      expect(body.ratingHistory.map((h) => h.rating.value)).toEqual(['Well-supported'])
    })
  })

  describe('resources', () => {
    it('take a link from a facilitator, and refuse others and bad links', async () => {
      const link = {
        title: 'Good jobs contract clauses',
        description: 'Model language for procurement',
        levers: ['procurement'],
        components: ['wages'],
        url: 'https://example.org/clauses',
      }
      expect((await api('/library/resources', json('POST', member, link))).status).toBe(403)
      expect((await api('/library/resources', json('POST', coach, link))).status).toBe(403)
      expect((await api('/library/resources', json('POST', null, link))).status).toBe(401)
      expect(
        (await api('/library/resources', json('POST', facilitator, { ...link, url: 'javascript:alert(1)' }))).status,
      ).toBe(400)
      expect((await api('/library/resources', json('POST', facilitator, { ...link, levers: ['x'] }))).status).toBe(400)
      const created = await api('/library/resources', json('POST', facilitator, link))
      expect(created.status).toBe(201)
      const { resource } = (await created.json()) as { resource: { id: string; url: string; file: null } }
      expect(resource).toMatchObject({ url: link.url, file: null, levers: ['procurement'] })

      expect((await api('/library/resources')).status).toBe(401)
      const list = (await (await api('/library/resources', { headers: bearer(coach) })).json()) as {
        resources: Array<{ id: string }>
      }
      expect(list.resources.map((r) => r.id)).toContain(resource.id)

      expect((await api(`/library/resources/${resource.id}`, json('PATCH', member, { title: 'x' }))).status).toBe(403)
      const patched = await api(
        `/library/resources/${resource.id}`,
        json('PATCH', facilitator, { title: 'Contract clauses for good jobs' }),
      )
      expect(patched.status).toBe(200)
      expect(((await patched.json()) as { resource: { title: string } }).resource.title).toBe(
        'Contract clauses for good jobs',
      )
      expect(
        (await api(`/library/resources/${resource.id}`, { method: 'DELETE', headers: bearer(coach) })).status,
      ).toBe(403)
    })

    it('store an uploaded file under the data folder and serve it as an attachment, not sniffed', async () => {
      const res = await api('/library/resources', {
        method: 'POST',
        headers: bearer(facilitator),
        body: uploadForm(
          { name: 'Procurement guide – 2026.pdf', type: 'application/pdf', bytes: PDF },
          { levers: ['procurement', 'policy'], components: 'wages', description: 'How to score bids' },
        ),
      })
      expect(res.status).toBe(201)
      const { resource } = (await res.json()) as {
        resource: { id: string; levers: string[]; file: { name: string; type: string; size: number; href: string } }
      }
      expect(resource.levers).toEqual(['procurement', 'policy'])
      expect(resource.file).toMatchObject({
        name: 'Procurement guide – 2026.pdf',
        type: 'application/pdf',
        size: PDF.byteLength,
      })
      expect(storedFiles()).toHaveLength(1)
      expect(fs.readFileSync(path.join(uploads, storedFiles()[0] as string))).toEqual(Buffer.from(PDF))

      expect((await fetch(`${server.url}${resource.file.href}`)).status).toBe(401)
      const download = await fetch(`${server.url}${resource.file.href}`, { headers: bearer(member) })
      expect(download.status).toBe(200)
      expect(download.headers.get('content-type')).toBe('application/pdf')
      expect(download.headers.get('x-content-type-options')).toBe('nosniff')
      expect(download.headers.get('content-disposition')).toBe(
        `attachment; filename="Procurement guide _ 2026.pdf"; filename*=UTF-8''Procurement%20guide%20%E2%80%93%202026.pdf`,
      )
      expect(new Uint8Array(await download.arrayBuffer())).toEqual(PDF)

      const deleted = await api(`/library/resources/${resource.id}`, { method: 'DELETE', headers: bearer(facilitator) })
      expect(deleted.status).toBe(204)
      expect(storedFiles()).toEqual([])
      expect((await fetch(`${server.url}${resource.file.href}`, { headers: bearer(member) })).status).toBe(404)
    })

    it('refuse an oversize upload with 413 and a disallowed one with 415, writing nothing', async () => {
      const before = storedFiles()
      const post = (form: FormData, token = facilitator) =>
        api('/library/resources', { method: 'POST', headers: bearer(token), body: form })
      // Far over the limit: refused by its length, before the body is read.
      const huge = new Uint8Array(UPLOAD_LIMIT * 4)
      huge.set(PDF)
      const hugeRes = await postOnce(
        `${server.url}/api/library/resources`,
        facilitator,
        uploadForm({ name: 'big.pdf', type: 'application/pdf', bytes: huge }),
      )
      expect(hugeRes.status).toBe(413)
      expect((JSON.parse(hugeRes.body) as { error: { code: string } }).error.code).toBe('payload_too_large')
      // Just over: the form fits, the file does not.
      const over = new Uint8Array(UPLOAD_LIMIT + 10)
      over.set(PDF)
      expect((await post(uploadForm({ name: 'over.pdf', type: 'application/pdf', bytes: over }))).status).toBe(413)

      const refused: Array<{ name: string; type: string; bytes: Uint8Array }> = [
        { name: 'run.exe', type: 'application/x-msdownload', bytes: new Uint8Array([0x4d, 0x5a, 0, 0]) },
        { name: 'page.html', type: 'text/html', bytes: new TextEncoder().encode('<script>alert(1)</script>') },
        { name: 'guide.exe', type: 'application/pdf', bytes: PDF },
        { name: 'fake.pdf', type: 'application/pdf', bytes: new TextEncoder().encode('<html>not a pdf</html>') },
        { name: 'binary.txt', type: 'text/plain', bytes: new Uint8Array([0x41, 0, 0x42]) },
      ]
      for (const file of refused) {
        const res = await post(uploadForm(file))
        expect(res.status, file.name).toBe(415)
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type')
      }
      expect((await post(uploadForm({ name: 'a.pdf', type: 'application/pdf', bytes: PDF }), member)).status).toBe(403)
      const noTitle = uploadForm({ name: 'a.pdf', type: 'application/pdf', bytes: PDF })
      noTitle.set('title', '')
      expect((await post(noTitle)).status).toBe(400)
      expect(storedFiles()).toEqual(before)
      const csv = await post(
        uploadForm({
          name: 'wages.csv',
          type: 'application/vnd.ms-excel',
          bytes: new TextEncoder().encode('a,b\n1,2\n'),
        }),
      )
      expect(csv.status).toBe(201)
      expect(((await csv.json()) as { resource: { file: { type: string } } }).resource.file.type).toBe('text/csv')
    })
  })

  describe('search', () => {
    it('finds evidence entries and resources, and no longer a deleted resource', async () => {
      const entry = (
        (await (
          await api(
            '/library/evidence',
            json('POST', facilitator, entryBody({ title: 'Transitional jobs for returning citizens' })),
          )
        ).json()) as { entry: Entry }
      ).entry
      const res = await api(
        '/library/resources',
        json('POST', facilitator, { title: 'Apprenticeship ordinance toolkit', url: 'https://example.org/toolkit' }),
      )
      const { resource } = (await res.json()) as { resource: { id: string } }
      const search = async (q: string) =>
        (
          (await (await api(`/search?${new URLSearchParams({ q })}`, { headers: bearer(otherMember) })).json()) as {
            results: Array<{ kind: string; href: string; title: string; snippet: string }>
          }
        ).results
      expect(await search('transitional jobs')).toContainEqual(
        expect.objectContaining({
          kind: 'evidence',
          title: 'Transitional jobs for returning citizens',
          href: `/library/evidence/${entry.id}`,
        }),
      )
      expect(await search('ordinance toolkit')).toContainEqual(
        expect.objectContaining({ kind: 'resource', href: `/library/resources#resource-${resource.id}` }),
      )
      // Populations are searched too, and read as words in the snippet.
      const byPopulation = (await search('low incomes')).find((r) => r.href === `/library/evidence/${entry.id}`) as
        | { snippet: string }
        | undefined
      expect(byPopulation?.snippet).toContain('Adults with <mark>low</mark> <mark>incomes</mark>')
      await api(
        `/library/evidence/${entry.id}`,
        json('PATCH', facilitator, { title: 'Subsidized employment for returning citizens' }),
      )
      expect((await search('transitional')).filter((r) => r.kind === 'evidence')).toEqual([])
      expect((await search('subsidized employment')).map((r) => r.kind)).toContain('evidence')
      await api(`/library/resources/${resource.id}`, { method: 'DELETE', headers: bearer(facilitator) })
      expect(await search('ordinance toolkit')).toEqual([])
    })
  })

  describe('in plans', () => {
    let planId = ''
    let docName = ''
    let initiativeId = ''

    beforeAll(async () => {
      const plan = await createPlan(server, { jurisdictionId: 'boulder-co', title: 'Boulder plan', token: member })
      planId = plan.id
      docName = plan.docName
      initiativeId = await server.rooms.withRoom(docName, (room) => {
        let id = ''
        room.transactServer((doc) => {
          id = new PlanModel(doc).addInitiative('procurement', { title: 'Living wage in contracts' }).id
        })
        return id
      })
    })

    const readInitiative = (id: string) =>
      server.rooms.withRoom(docName, (room) => new PlanModel(room.doc).initiative(id)?.snapshot() ?? null)

    it('a citation keeps the rating it had when cited, and the entry shows a newer revision after a change', async () => {
      const cite = (token: string, entryId = 'seeded-kept') =>
        api(`/plans/${planId}/initiatives/${initiativeId}/citations`, json('POST', token, { entryId }))
      expect((await cite(coach)).status).toBe(403)
      expect((await cite(otherMember)).status).toBe(403)
      expect(
        (
          await api(
            `/plans/${planId}/initiatives/${initiativeId}/citations`,
            json('POST', null, { entryId: 'seeded-kept' }),
          )
        ).status,
      ).toBe(401)
      expect((await cite(member, 'no-such-entry')).status).toBe(400)
      expect(
        (await api(`/plans/${planId}/initiatives/nope/citations`, json('POST', member, { entryId: 'seeded-kept' })))
          .status,
      ).toBe(404)

      const res = await cite(member)
      expect(res.status).toBe(201)
      const { citation } = (await res.json()) as { citation: { id: string; revision: number } }
      expect(citation.revision).toBe(1)

      // The team sees the citation over its live connection.
      const client = connectClient(wsUrl(server), docName, { params: { token: member } })
      try {
        await synced(client)
        const seen = new PlanModel(client.doc).initiative(initiativeId)?.citations ?? []
        expect(seen).toMatchObject([
          {
            entryId: 'seeded-kept',
            title: 'Seeded entry a facilitator edits',
            rating: { scheme: 'Pathways', value: 'Supported' },
            revision: 1,
          },
        ])
      } finally {
        client.destroy()
      }

      const changed = await api(
        '/library/evidence/seeded-kept',
        json('PATCH', facilitator, { rating: { scheme: 'Pathways', value: 'Well-supported' } }),
      )
      expect(changed.status).toBe(200)
      const current = ((await changed.json()) as { entry: Entry }).entry
      const stored = (await readInitiative(initiativeId))?.evidence.citations ?? []
      expect(stored[0]?.rating).toEqual({ scheme: 'Pathways', value: 'Supported' })
      // "Updated since cited": the entry's current revision is newer than the one cited.
      expect(current.revision).toBeGreaterThan(stored[0]?.revision ?? Infinity)
      const history = (await (await api('/library/evidence/seeded-kept', { headers: bearer(member) })).json()) as {
        ratingHistory: Array<{ revision: number; rating: { value: string } }>
      }
      expect(history.ratingHistory.map((h) => [h.revision, h.rating.value])).toEqual([
        [1, 'Supported'],
        [2, 'Well-supported'],
      ])

      expect(
        (
          await api(`/plans/${planId}/initiatives/${initiativeId}/citations/${citation.id}`, {
            method: 'DELETE',
            headers: bearer(coach),
          })
        ).status,
      ).toBe(403)
      const removed = await api(`/plans/${planId}/initiatives/${initiativeId}/citations/${citation.id}`, {
        method: 'DELETE',
        headers: bearer(member),
      })
      expect(removed.status).toBe(204)
      expect((await readInitiative(initiativeId))?.evidence.citations).toEqual([])
      expect(
        (
          await api(`/plans/${planId}/initiatives/${initiativeId}/citations/${citation.id}`, {
            method: 'DELETE',
            headers: bearer(member),
          })
        ).status,
      ).toBe(404)
    })

    it('lists the plans each person may start an initiative in: their own team’s, all for facilitators, none for coaches', async () => {
      const plansOf = async (token: string | null) => {
        const res = await api('/library/plans', token ? { headers: bearer(token) } : {})
        return {
          status: res.status,
          ids: res.ok ? ((await res.json()) as { plans: Array<{ id: string }> }).plans.map((p) => p.id) : [],
        }
      }
      expect((await plansOf(null)).status).toBe(401)
      expect((await plansOf(member)).ids).toEqual([planId])
      expect((await plansOf(otherMember)).ids).toEqual([])
      expect((await plansOf(coach)).ids).toEqual([])
      expect((await plansOf(facilitator)).ids).toContain(planId)
    })

    it('"start an initiative from this" adds a pre-filled initiative in the chosen lever', async () => {
      const start = (token: string | null, body: unknown) =>
        api(`/plans/${planId}/initiatives/from-evidence`, json('POST', token, body))
      expect((await start(coach, { entryId: 'seeded-plain', lever: 'hrPractices' })).status).toBe(403)
      expect((await start(otherMember, { entryId: 'seeded-plain', lever: 'hrPractices' })).status).toBe(403)
      expect((await start(null, { entryId: 'seeded-plain', lever: 'hrPractices' })).status).toBe(401)
      expect((await start(member, { entryId: 'seeded-plain', lever: 'noSuchLever' })).status).toBe(400)
      expect((await start(member, { entryId: 'seeded-plain' })).status).toBe(400)
      expect(
        (
          await api(
            '/plans/nosuchplan/initiatives/from-evidence',
            json('POST', member, { entryId: 'seeded-plain', lever: 'hrPractices' }),
          )
        ).status,
      ).toBe(404)

      const res = await start(member, { entryId: 'seeded-plain', lever: 'hrPractices' })
      expect(res.status).toBe(201)
      const { initiativeId: created } = (await res.json()) as { initiativeId: string }
      const client = connectClient(wsUrl(server), docName, { params: { token: member } })
      try {
        await synced(client)
        const plan = new PlanModel(client.doc)
        expect(plan.initiatives('hrPractices').map((i) => i.id)).toEqual([created])
        const snapshot = plan.initiative(created)?.snapshot()
        expect(snapshot).toMatchObject({
          lever: 'hrPractices',
          title: 'Seeded entry nobody edits',
          description: entryBody().summary,
          components: ['wages', 'learning'],
          evidence: {
            tier: 'strong',
            citations: [{ entryId: 'seeded-plain', rating: { value: 'Well-supported' }, revision: 1 }],
          },
        })
      } finally {
        client.destroy()
      }
    })

    it('lists citations in the initiative evidence of an export', async () => {
      const res = await fetch(`${server.url}/api/plans/${planId}/export?format=md`, { headers: bearer(member) })
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).toContain('Seeded entry nobody edits (Pathways: Well-supported)')
    })
  })

  it('loads the data file again at startup: adds new entries, updates unedited ones, never overwrites edited ones', async () => {
    // `seeded-kept` was edited by a facilitator above (its rating).
    await server.close()
    fs.writeFileSync(
      seedFile,
      seedFixture([
        seedEntry('seeded-kept', 'Seeded entry a facilitator edits', 'Not supported'),
        seedEntry('seeded-plain', 'Seeded entry, corrected title', 'Well-supported'),
        seedEntry('seeded-new', 'A new entry in the file', 'Supported'),
      ]),
    )
    server = await startServer({ dataDir, library: { uploadMaxBytes: UPLOAD_LIMIT, evidenceSeedFile: seedFile } })
    const token = await signIn(server, FACILITATOR)
    const get = async (id: string) =>
      ((await (await api(`/library/evidence/${id}`, { headers: bearer(token) })).json()) as { entry: Entry }).entry
    expect(await get('seeded-kept')).toMatchObject({ rating: { value: 'Well-supported' }, revision: 2 })
    expect(await get('seeded-plain')).toMatchObject({ title: 'Seeded entry, corrected title', revision: 2 })
    expect(await get('seeded-new')).toMatchObject({ title: 'A new entry in the file', revision: 1 })
    const count = () =>
      (sqliteOf(server).prepare('SELECT count(*) AS n FROM evidence_entries').get() as { n: number }).n
    const before = count()
    await server.close()
    server = await startServer({ dataDir, library: { uploadMaxBytes: UPLOAD_LIMIT, evidenceSeedFile: seedFile } })
    expect(count()).toBe(before)
    expect(await waitFor(async () => (await server.library.evidence.get('seeded-plain'))?.revision === 2)).toBe(true)
  })
})
