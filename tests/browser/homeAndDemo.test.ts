import { describe, expect, it } from 'vitest'
import { browserSuite, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { COACH, FACILITATOR } from '../support/server.ts'

describe('home pages by role and the demo calendar (DEMO=1)', () => {
  const suite = browserSuite({ demoContent: true })

  it('lands a team member on their plan and what needs them, a coach on their jurisdictions, a facilitator on the cohort', async () => {
    const dana = await suite.person('member@baltimore-county-md.demo.test')
    const d = dana.page
    await d.goto(suite.server.url)
    await d.getByRole('heading', { name: 'Welcome, Dana Ortiz' }).waitFor()
    const plans = d.getByTestId('home-plans')
    await plans.getByRole('heading', { name: 'Your plans' }).waitFor()
    await plans.getByRole('link', { name: 'Good jobs in county contracting 2025–2027' }).waitFor()
    const needs = d.getByTestId('home-needs')
    const mention = needs.getByRole('listitem').filter({ hasText: 'Mentions you' })
    await mention.getByRole('link', { name: /Registered apprenticeships for county trades/ }).waitFor()
    await mention.getByText('Cory Coach:', { exact: false }).waitFor()
    await needs
      .getByRole('listitem')
      .filter({ hasText: 'Milestone' })
      .getByRole('link', { name: 'First cohort starts' })
      .waitFor()
    // Owners see what their plans owe for the reporting period ("3 updates due Friday").
    await d
      .getByTestId('check-ins-due')
      .getByRole('link', { name: /\d+ updates? due/ })
      .first()
      .waitFor()
    await expect(seriousA11yViolations(d)).resolves.toEqual([])
    await screenshot(d, 'home-member')
    // The mention opens the thread on the plan.
    await mention.getByRole('link').click()
    await d.waitForURL(/\/plans\/[^/?]+\?thread=/)

    const cory = await suite.person(COACH)
    const c = cory.page
    await c.goto(suite.server.url)
    const coached = c.getByTestId('home-plans')
    await coached.getByRole('heading', { name: 'Your jurisdictions' }).waitFor()
    for (const name of ['Baltimore County', 'City of Atlanta', 'City of Boulder']) {
      await coached.getByRole('link', { name, exact: true }).waitFor()
    }
    await c
      .getByTestId('home-needs')
      .getByRole('listitem')
      .filter({ hasText: 'Waiting for an answer' })
      .getByText('Baltimore County lead:', { exact: false })
      .waitFor()
    await expect(seriousA11yViolations(c)).resolves.toEqual([])
    await screenshot(c, 'home-coach')

    const fran = await suite.person(FACILITATOR)
    await fran.page.goto(suite.server.url)
    await fran.page.getByRole('heading', { name: 'Cohort jurisdictions' }).waitFor()
    await fran.page.getByTestId('jurisdictions').waitFor()
    expect([...dana.errors, ...cory.errors, ...fran.errors]).toEqual([])
  })

  it('shows sessions relative to today, and past sessions read-only: no “Prepare and start” on a past session', async () => {
    const fran = await suite.person(FACILITATOR, { viewport: { width: 1280, height: 1000 } })
    const f = fran.page
    await f.goto(`${suite.server.url}/sessions`)
    const liveCard = f.getByRole('region', { name: 'Live now' }).getByTestId('session-card')
    await liveCard.getByRole('heading', { name: 'Check-in: funding deadlines and next steps' }).waitFor()
    await liveCard.getByRole('link', { name: 'Open the session room' }).waitFor()
    await liveCard.getByText('90 minutes').waitFor()
    const upcoming = f.getByTestId('upcoming').getByTestId('session-card')
    await expect(upcoming.count()).resolves.toBeGreaterThanOrEqual(2)
    await expect(
      upcoming
        .first()
        .getByRole('link', { name: /Prepare and start/ })
        .count(),
    ).resolves.toBe(1)
    const past = f.getByTestId('past')
    const recent = past.getByTestId('session-card').filter({ hasText: 'Spending SLFRF on good jobs' })
    await recent.getByRole('link', { name: /Follow-up/ }).waitFor()
    await expect(past.getByRole('link', { name: /Prepare and start/ }).count()).resolves.toBe(0)
    const old = past.getByTestId('session-card').filter({ hasText: 'Lever 1: Procurement' })
    await old.getByRole('link', { name: /Reschedule/ }).waitFor()
    await expect(seriousA11yViolations(f)).resolves.toEqual([])
    await screenshot(f, 'sessions-demo-calendar')

    // Its room, opened by address, says it is read-only and offers no start.
    const id = (await old.getAttribute('id'))?.replace(/^session-/, '') as string
    await f.goto(`${suite.server.url}/sessions/${id}/live`)
    await f.getByTestId('past-session').waitFor()
    await expect(f.getByRole('button', { name: 'Start the session' }).count()).resolves.toBe(0)
    await expect(f.getByRole('button', { name: /Create groups|Add group/ }).count()).resolves.toBe(0)

    // The follow-up of the recent session lists the ideas teams sent.
    await f.goto(`${suite.server.url}/sessions`)
    await f
      .getByTestId('past')
      .getByTestId('session-card')
      .filter({ hasText: 'Spending SLFRF on good jobs' })
      .getByRole('link', { name: /Follow-up/ })
      .click()
    await f.getByText('Pay apprentices from day one').waitFor()
    expect(fran.errors).toEqual([])
  })
})
