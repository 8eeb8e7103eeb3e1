import type { LeverServer } from '@lever/server'
import { HOSTILE, randomInput, rng } from '@lever/server/testing/hostileInput'
import { PlanModel, sectionField, ThreadsModel, threadDocName } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
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

interface Result {
  kind: string
  title: string
  snippet: string
  planId?: string
  href: string
}

async function search(server: { url: string }, token: string | null, q: string, kind?: string) {
  const params = new URLSearchParams({ q, ...(kind ? { kind } : {}) })
  const res = await fetch(`${server.url}/api/search?${params}`, { headers: token ? bearer(token) : {} })
  return { status: res.status, body: (await res.json()) as { results: Result[] } }
}

function writeProblem(client: TestClient, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement('paragraph')
  const content = new Y.XmlText(text)
  paragraph.insert(0, [content])
  client.doc.getXmlFragment(sectionField('problem')).insert(0, [paragraph])
  return content
}

describe('search', () => {
  let server: LeverServer
  let team = ''
  let peer = ''
  let coach = ''
  let client: TestClient
  let planId = ''
  const dataDir = tempDir()

  beforeAll(async () => {
    server = await startServer({ dataDir })
    team = await signIn(server, lead('tulsa-ok'))
    peer = await signIn(server, lead('boulder-co'))
    coach = await signIn(server, COACH) // assigned to Baltimore County, Atlanta and Boulder, not Tulsa
    const plan = await createPlan(server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa good jobs plan', token: team })
    planId = plan.id
    client = connectClient(wsUrl(server), plan.docName, { params: { token: team } })
    await synced(client)
  })
  afterAll(async () => {
    client.destroy()
    await server.close()
  })

  it('finds a word typed into a plan over the live connection, and no longer once it is deleted', async () => {
    const text = writeProblem(client, 'Our apprenticeship pipeline pays a prevailing wage.')
    const found = await waitFor(
      async () => (await search(server, team, 'apprenticesh')).body.results.find((r) => r.kind === 'section'),
      { message: 'the typed word to be found' },
    )
    expect(found.planId).toBe(planId)
    expect(found.href).toBe(`/plans/${planId}#heading-section-problem`)
    expect(found.snippet).toContain('<mark>apprenticeship</mark>')

    text.delete(0, text.length)
    text.insert(0, 'Our pipeline pays well.')
    // (The evidence library has apprenticeship entries of its own: only the plan's results count.)
    await waitFor(
      async () =>
        (await search(server, team, 'apprenticeship')).body.results.filter((r) => r.planId === planId).length === 0,
      { message: 'the deleted word to disappear from results' },
    )
    expect((await search(server, team, 'pipeline')).body.results.length).toBeGreaterThan(0)
  })

  it('rewrites only the rows a change touched: the rest of the plan is not written again', async () => {
    const paragraph = new Y.XmlElement('paragraph')
    paragraph.insert(0, [new Y.XmlText('Displaced workers first.')])
    client.doc.getXmlFragment(sectionField('theoryOfChange')).insert(0, [paragraph])
    await waitFor(async () => (await search(server, team, 'displaced')).body.results.some((r) => r.planId === planId), {
      message: 'the theory of change to be indexed',
    })
    // Every write to the plan's rows, seen by triggers of the server's own connection (temporary:
    // gone with it).
    sqliteOf(server).exec(`
      CREATE TEMP TABLE search_writes (what TEXT NOT NULL);
      CREATE TEMP TRIGGER search_writes_ai AFTER INSERT ON main.search_rows WHEN new.plan_id = '${planId}'
        BEGIN INSERT INTO search_writes VALUES ('insert ' || new.kind || ':' || new.ref); END;
      CREATE TEMP TRIGGER search_writes_au AFTER UPDATE ON main.search_rows WHEN new.plan_id = '${planId}'
        BEGIN INSERT INTO search_writes VALUES ('update ' || new.kind || ':' || new.ref); END;
      CREATE TEMP TRIGGER search_writes_ad AFTER DELETE ON main.search_rows WHEN old.plan_id = '${planId}'
        BEGIN INSERT INTO search_writes VALUES ('delete ' || old.kind || ':' || old.ref); END;
    `)
    try {
      const more = new Y.XmlElement('paragraph')
      more.insert(0, [new Y.XmlText('Union partners co-design the training.')])
      client.doc.getXmlFragment(sectionField('communityEngagement')).insert(0, [more])
      await waitFor(
        async () => (await search(server, team, 'co-design')).body.results.some((r) => r.planId === planId),
        { message: 'the community engagement section to be indexed' },
      )
      const writes = (sqliteOf(server).prepare('SELECT what FROM search_writes').all() as Array<{ what: string }>).map(
        (r) => r.what,
      )
      expect(writes).toHaveLength(1)
      expect(writes[0]).toMatch(/^(insert|update) section:communityEngagement$/)
    } finally {
      sqliteOf(server).exec(`
        DROP TRIGGER temp.search_writes_ai; DROP TRIGGER temp.search_writes_au; DROP TRIGGER temp.search_writes_ad;
        DROP TABLE temp.search_writes;
      `)
    }
  })

  it('keeps an unshared plan from a peer and an unassigned coach, and shows it to the peer once shared, without reindexing', async () => {
    writeProblem(client, 'Sectoral bargaining council for home care workers.')
    await waitFor(async () => (await search(server, team, 'sectoral bargaining')).body.results.length > 0, {
      message: 'the team to find its own words',
    })
    expect((await search(server, peer, 'sectoral bargaining')).body.results).toEqual([])
    expect((await search(server, coach, 'sectoral bargaining')).body.results).toEqual([])
    const facilitator = await signIn(server, FACILITATOR)
    expect((await search(server, facilitator, 'sectoral bargaining')).body.results.length).toBeGreaterThan(0)

    const rowsBefore = sqliteOf(server).prepare('SELECT count(*) AS n FROM search_rows').get() as { n: number }
    client.doc.transact(() => new PlanModel(client.doc).setSharedWithCohort(true))
    await waitFor(async () => (await search(server, peer, 'sectoral bargaining')).body.results.length > 0, {
      message: 'the peer to find words of the shared plan',
    })
    // Once shared, everyone signed in may read the plan: the unassigned coach too.
    expect((await search(server, coach, 'sectoral bargaining')).body.results.length).toBeGreaterThan(0)
    const rowsAfter = sqliteOf(server).prepare('SELECT count(*) AS n FROM search_rows').get() as { n: number }
    expect(rowsAfter.n).toBe(rowsBefore.n)
    client.doc.transact(() => new PlanModel(client.doc).setSharedWithCohort(false))
    await waitFor(async () => (await search(server, peer, 'sectoral bargaining')).body.results.length === 0, {
      message: 'unsharing to hide the plan again',
    })
  })

  it('finds initiatives by title above body matches, comment threads (escaped), sessions and jurisdictions', async () => {
    client.doc.transact(() => {
      const plan = new PlanModel(client.doc)
      const lever = plan.leverList()[0]?.id as string
      const other = plan.addInitiative(lever, { title: 'Transit passes' })
      other.text('owner')?.insert(0, 'Childcare office')
      plan.addInitiative(lever, { title: 'Childcare stipend' })
    })
    await waitFor(async () => (await search(server, team, 'childcare', 'initiative')).body.results.length === 2, {
      message: 'the initiatives to be indexed',
    })
    const initiatives = (await search(server, team, 'childcare', 'initiative')).body.results
    expect(initiatives.every((r) => r.kind === 'initiative')).toBe(true)
    expect(initiatives[0]?.title).toBe('Childcare stipend')
    expect(initiatives[0]?.href).toMatch(new RegExp(`^/plans/${planId}#initiative-`))

    const me = await server.auth.users.getByEmail(lead('tulsa-ok'))
    const threads = connectClient(wsUrl(server), threadDocName(planId, 'team'), { params: { token: team } })
    await synced(threads)
    const initiativeId = new PlanModel(client.doc).initiatives()[0]?.id as string
    const threadId = new ThreadsModel(threads.doc).create({
      anchor: { kind: 'initiative', initiativeId },
      author: { id: me?.id as string, name: me?.name as string },
      body: 'Check the <b>prevailing</b> wage rules before we commit.',
      mentions: [],
    }).id
    const found = await waitFor(
      async () => {
        const results = (await search(server, team, 'prevailing wage rules', 'thread')).body.results
        return results.length > 0 && results
      },
      { message: 'the comment to be found' },
    )
    threads.destroy()
    expect(found[0]?.href).toBe(`/plans/${planId}?thread=${threadId}`)
    expect(found[0]?.snippet).toContain('&lt;b&gt;<mark>prevailing</mark>&lt;/b&gt;')

    const jurisdictions = (await search(server, team, 'tulsa', 'jurisdiction')).body.results
    expect(jurisdictions[0]?.href).toBe('/jurisdictions/tulsa-ok')
    const sessions = (await search(server, team, 'equity', 'session')).body.results
    expect(sessions.length).toBeGreaterThan(0)
    expect(sessions.every((r) => r.kind === 'session' && r.href.startsWith('/sessions/'))).toBe(true)
  })

  it('answers queries that are empty, too short, hostile or huge without an error', async () => {
    for (const q of [
      '',
      'a',
      '"',
      'AND',
      'job-quality',
      'NEAR(',
      '*',
      '"unbalanced',
      'title:x',
      '😀',
      '\u0000\u0001',
    ]) {
      const { status, body } = await search(server, team, q)
      expect(status, q).toBe(200)
      expect(Array.isArray(body.results)).toBe(true)
    }
    expect((await search(server, team, '')).body.results).toEqual([])
    expect((await search(server, team, 'x'.repeat(3000))).status).toBe(400)
    expect((await search(server, team, 'wage', 'nonsense')).status).toBe(400)
    expect((await search(server, null, 'wage')).status).toBe(401)
  })

  it('answers seeded random hostile query strings over HTTP with results or a clear 400, never an error', async () => {
    writeProblem(client, 'Hostile <b>markup</b> & "quotes" near job-quality 中文 é')
    await waitFor(async () => (await search(server, team, 'markup')).body.results.length > 0, {
      message: 'the text to be indexed',
    })
    const seed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const next = rng(seed)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T
    // Raw pieces of a query string: broken and odd percent-encodings as well as encoded text.
    const raw = ['%', '%z', '%zz', '%C3', '%ED%A0%80', '%00', '%FF', '+', '&', '=', '&q=', '&kind=', '#', ';', '%2B']
    const kinds = ['', 'plan', 'section', 'thread', 'initiative', 'nonsense', 'PLAN', '__proto__', 'constructor']
    for (let i = 0; i < 300; i++) {
      let q = ''
      const parts = 1 + Math.floor(next() * 6)
      for (let k = 0; k < parts; k++) {
        const r = next()
        q +=
          r < 0.5
            ? encodeURIComponent(randomInput(next).replace(/[\uD800-\uDFFF]/g, ''))
            : r < 0.8
              ? pick(raw)
              : encodeURIComponent(pick(HOSTILE).replace(/[\uD800-\uDFFF]/g, '')).repeat(1 + Math.floor(next() * 40))
      }
      const kind = pick(kinds)
      const url = `${server.url}/api/search?q=${q}${kind ? `&kind=${kind}` : ''}`
      const context = `seed ${seed}, case ${i}: ${url}`
      const res = await fetch(url, { headers: bearer(team) })
      expect([200, 400], context).toContain(res.status)
      const body = (await res.json()) as { results?: Result[]; error?: unknown }
      if (res.status === 400) {
        expect(body.error, context).toBeTruthy()
        continue
      }
      expect(Array.isArray(body.results), context).toBe(true)
      for (const r of body.results ?? []) {
        // Snippets are escaped text with matches marked: no other markup gets through.
        expect(r.snippet.replace(/<\/?mark>/g, ''), context).not.toMatch(/[<>]/)
      }
    }
  })

  it('rebuilds the index at startup when its layout changed, from the stored documents', async () => {
    writeProblem(client, 'Fair scheduling ordinance for retail.')
    await waitFor(async () => (await search(server, team, 'scheduling ordinance')).body.results.length > 0, {
      message: 'the words to be indexed',
    })
    // An older layout, and rows of a plan that no stored document holds.
    sqliteOf(server).prepare("UPDATE search_state SET value = '0' WHERE key = 'layout'").run()
    sqliteOf(server)
      .prepare(
        "INSERT INTO search_rows (kind, plan_id, jurisdiction_id, ref, title, body) VALUES ('section', 'gone', 'tulsa-ok', 'x', 'Stale', 'zeppelin')",
      )
      .run()
    client.destroy()
    await server.close()
    server = await startServer({ dataDir })
    const again = await signIn(server, lead('tulsa-ok'))
    const stale = sqliteOf(server).prepare("SELECT count(*) AS n FROM search_rows WHERE body = 'zeppelin'").get() as {
      n: number
    }
    expect(stale.n).toBe(0)
    expect((await search(server, again, 'scheduling ordinance')).body.results.length).toBeGreaterThan(0)
    client = connectClient(wsUrl(server), `plan:${planId}`, { params: { token: again } })
  })
})
