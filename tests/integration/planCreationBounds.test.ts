import type { LeverServer } from '@lever/server'
import type { TemplateSummary } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiCaller, FACILITATOR, lead, signIn, startServer } from '../support/server.ts'

/**
 * An attacker review found that a team member could start plans without end, each with its own
 * versions, until the disk was full for everyone. Starting a plan is bounded per person and per
 * team; facilitators, who run the cohort, are not.
 */
describe('bounds on starting plans', () => {
  let server: LeverServer
  const api = (token: string, method: string, path: string, body?: unknown) =>
    apiCaller(server)(token, method, path, body)
  const start = (token: string, jurisdictionId: string, title: string) =>
    api(token, 'POST', `/jurisdictions/${jurisdictionId}/plans`, { title })

  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    await server?.close()
  })

  it('lets a team member start 20 plans an hour, then refuses with 429 and a plain message, from a template too', async () => {
    const ana = await signIn(server, lead('ohio'))
    for (let i = 0; i < 20; i++) expect((await start(ana, 'ohio', `Plan ${i}`)).status).toBe(201)
    const refused = await start(ana, 'ohio', 'One too many')
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual({
      error: { code: 'rate_limited', message: 'You have started 20 plans in the last hour; try again later.' },
    })
    const templates = (await (await api(ana, 'GET', '/templates')).json()) as { templates: TemplateSummary[] }
    const template = templates.templates.find((t) => t.kind === 'plan')
    const fromTemplate = await api(ana, 'POST', `/templates/${template?.id}/instantiate`, {
      jurisdictionId: 'ohio',
      title: 'From the template',
    })
    expect(fromTemplate.status).toBe(429)
    // Nothing was created by the refused requests, and other people are not held back.
    const plans = (await (await api(ana, 'GET', '/jurisdictions/ohio/plans')).json()) as { plans: unknown[] }
    expect(plans.plans).toHaveLength(20)
    const other = await signIn(server, lead('baltimore-county-md'))
    expect((await start(other, 'baltimore-county-md', 'Their own plan')).status).toBe(201)
  })

  it('holds a team at 100 plans, after which only a facilitator starts more', async () => {
    const fran = await signIn(server, FACILITATOR)
    for (let i = 0; i < 100; i++) expect((await start(fran, 'boulder-co', `Plan ${i}`)).status).toBe(201)
    const member = await start(await signIn(server, lead('boulder-co')), 'boulder-co', 'Plan 101')
    expect(member.status).toBe(409)
    expect(((await member.json()) as { error: { message: string } }).error.message).toBe(
      'This team already has 100 plans; ask a facilitator to start another.',
    )
    expect((await start(fran, 'boulder-co', 'Plan 101')).status).toBe(201)
  })
})
