import { describe, expect, it } from 'vitest'
import { browserSuite, screenshot } from '../support/browser.ts'
import { apiCaller, FACILITATOR, lead, signIn } from '../support/server.ts'

describe('lists that refresh when they change', () => {
  const suite = browserSuite()

  it('shows a team member a session a facilitator just added, and a plan their teammate just created, without reloading', async () => {
    const member = await suite.person(lead('boulder-co'))
    const page = member.page
    const api = apiCaller(suite.server)
    const facilitator = await signIn(suite.server, FACILITATOR)

    await page.goto(`${suite.server.url}/sessions`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    const title = 'Wage standards clinic (added while the page was open)'
    await expect.poll(() => page.getByText(title).count()).toBe(0)
    const created = await api(facilitator, 'POST', '/sessions', {
      title,
      startsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    })
    expect(created.status).toBe(201)
    await expect.poll(() => page.getByText(title).count(), { timeout: 15_000 }).toBeGreaterThan(0)

    await page.goto(`${suite.server.url}/jurisdictions/boulder-co`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    const planTitle = 'Fair scheduling pilot (created by a teammate)'
    const teammate = await signIn(suite.server, lead('boulder-co'))
    expect((await api(teammate, 'POST', '/jurisdictions/boulder-co/plans', { title: planTitle })).status).toBe(201)
    await expect.poll(() => page.getByText(planTitle).count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await screenshot(page, 'live-lists-new-plan')
    expect(member.errors).toEqual([])
  })
})
