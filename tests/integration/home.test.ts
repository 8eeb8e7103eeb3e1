import type { LeverServer } from '@lever/server'
import { homeResponseSchema, localToday, PlanModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { bearer, COACH, FACILITATOR, lead, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('home pages by role (GET /api/home)', () => {
  let server: LeverServer
  const clients: TestClient[] = []
  const home = async (email: string) => {
    const token = await signIn(server, email)
    const res = await fetch(`${server.url}/api/home`, { headers: bearer(token) })
    expect(res.status).toBe(200)
    return { token, body: homeResponseSchema.parse(await res.json()) }
  }

  beforeAll(async () => {
    server = await startServer({ auth: { demoContent: true } })
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  it('gives a team member their plan and what needs them: mentions, threads to answer, milestones due', async () => {
    const { token, body } = await home('member@baltimore-county-md.demo.test')
    expect(body.role).toBe('member')
    expect(body.jurisdictions.map((j) => j.id)).toEqual(['baltimore-county-md'])
    expect(body.plans.map((p) => p.title)).toEqual(['Good jobs in county contracting 2025–2027'])
    const kinds = body.needs.map((n) => n.kind)
    expect(kinds).toContain('mention')
    const mention = body.needs.find((n) => n.kind === 'mention')
    expect(mention).toMatchObject({ by: 'Cory Coach', about: 'Registered apprenticeships for county trades' })
    // The lead already answered the other coach thread: it waits for the coach, not the team.
    expect(body.needs.filter((n) => n.kind === 'reply')).toEqual([])
    const milestones = body.needs.filter((n) => n.kind === 'milestone')
    expect(milestones.map((m) => m.kind === 'milestone' && m.title)).toEqual(['First cohort starts'])

    // An overdue milestone comes first; a done one never shows.
    const plan = body.plans[0]
    const editor = connectClient(wsUrl(server), plan?.docName as string, { params: { token } })
    clients.push(editor)
    await synced(editor)
    const model = new PlanModel(editor.doc)
    const initiative = model.initiatives('procurement')[0]
    const yesterday = new Date(Date.parse(`${localToday()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    editor.doc.transact(() => {
      const late = initiative?.milestones.add('late-1')
      late?.title?.insert(0, 'Send contractor survey')
      late?.setDueDate(yesterday)
    })
    await waitFor(
      async () => {
        const first = (await home('member@baltimore-county-md.demo.test')).body.needs[0]
        return first?.kind === 'milestone' && first.title === 'Send contractor survey' && first.overdue
      },
      { message: 'the overdue milestone to lead the list' },
    )
  })

  it('shows the lead the coach’s open question as a thread to answer', async () => {
    const { body } = await home(lead('baltimore-county-md'))
    const replies = body.needs.filter((n) => n.kind === 'reply')
    expect(replies.map((r) => r.kind === 'reply' && r.about)).toEqual(['Registered apprenticeships for county trades'])
  })

  it('lands a coach on their jurisdictions, with the threads the teams answered', async () => {
    const { body } = await home(COACH)
    expect(body.role).toBe('coach')
    expect(body.jurisdictions.map((j) => j.id).sort()).toEqual(['atlanta-ga', 'baltimore-county-md', 'boulder-co'])
    expect(body.plans).toHaveLength(3)
    const replies = body.needs.filter((n) => n.kind === 'reply')
    expect(replies.map((r) => r.kind === 'reply' && r.by)).toEqual(['Baltimore County lead'])
    expect(body.needs.some((n) => n.kind === 'milestone')).toBe(false)
  })

  it('lands a facilitator on the cohort', async () => {
    const { body } = await home(FACILITATOR)
    expect(body.role).toBe('facilitator')
    expect(body.jurisdictions).toEqual([])
  })

  it('needs a signed-in person', async () => {
    expect((await fetch(`${server.url}/api/home`)).status).toBe(401)
  })
})
