import { describe, expect, it } from 'vitest'
import { browserSuite, focusedId, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

describe('the cohort calendar', () => {
  const suite = browserSuite()

  it('lets a facilitator add and edit a session with clear messages, and shows a team member their pre-work and where to write it in their own plan', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'durham-nc', title: 'Durham good jobs plan' })
    const fran = await suite.person(FACILITATOR)
    const ana = await suite.person(lead('durham-nc'))

    // The seeded curriculum is on the calendar, in the past.
    await fran.page.goto(`${suite.server.url}/sessions`)
    await fran.page.getByTestId('past').getByRole('heading', { name: 'Lever 1: Procurement' }).waitFor()
    await fran.page.getByTestId('upcoming').getByText('No upcoming sessions.').waitFor()

    // An empty form says what is missing, and puts focus on the first field to fix.
    await fran.page.getByRole('link', { name: 'New session' }).click()
    await fran.page.getByRole('button', { name: 'Add to the calendar' }).click()
    await fran.page.getByText('A session needs a title.').waitFor()
    await fran.page.getByText('Choose the date and time the session starts.').waitFor()
    await expect.poll(() => focusedId(fran.page)).toBe('session-title')
    await fran.page.getByLabel('Length in minutes').fill('5')
    await fran.page.getByLabel('Title').fill('Lever 2: HR practices')
    await fran.page.getByLabel('Topic').fill('HR practices')
    await fran.page.getByLabel('Phase').selectOption({ label: 'Phase 2: levers' })
    await fran.page.getByLabel('Starts').fill('2031-03-12T11:00')
    await fran.page.getByRole('button', { name: 'Add to the calendar' }).click()
    await fran.page.getByText('A session lasts 15 to 480 minutes, in whole minutes.').waitFor()
    await fran.page.getByLabel('Length in minutes').fill('90')
    await fran.page.getByLabel('Agenda').fill('Welcome\nPresentation: hiring for good jobs\nBreakouts')
    await fran.page.getByLabel('Pre-work').fill('List one hiring practice your agency could change.')
    await fran.page.getByLabel('Lever: HR practices').check()
    await fran.page.getByLabel('Populations we focus on').check()
    await fran.page.getByRole('button', { name: 'Add to the calendar' }).click()
    const upcoming = fran.page.getByTestId('upcoming')
    const card = upcoming.getByTestId('session-card').filter({ hasText: 'Lever 2: HR practices' })
    await card.waitFor()
    // The time is shown in the viewer's time zone (the browser's, here UTC).
    await card.getByText(/Mar 12, 2031/).waitFor()
    await expect(seriousA11yViolations(fran.page)).resolves.toEqual([])

    // Editing keeps what was there and changes what was changed.
    await card.getByRole('link', { name: /Edit/ }).click()
    await expect(fran.page.getByLabel('Pre-work').inputValue()).resolves.toBe(
      'List one hiring practice your agency could change.',
    )
    await fran.page.getByLabel('Title').fill('Lever 2: HR practices and hiring')
    await fran.page.getByRole('button', { name: 'Save changes' }).click()
    await upcoming.getByRole('heading', { name: 'Lever 2: HR practices and hiring' }).waitFor()

    // A team member sees the session, its pre-work, and links into their own plan's lever and section.
    await ana.page.goto(`${suite.server.url}/sessions`)
    const anaCard = ana.page
      .getByTestId('upcoming')
      .getByTestId('session-card')
      .filter({ hasText: 'Lever 2: HR practices and hiring' })
    await anaCard.getByText('Your pre-work').waitFor()
    await anaCard.getByText('Where to write it in “Durham good jobs plan”:').waitFor()
    const leverLink = anaCard.getByRole('link', { name: /HR practices initiatives/ })
    await expect(leverLink.getAttribute('href')).resolves.toBe(`/plans/${plan.id}#lever-hrPractices`)
    await expect(anaCard.getByRole('link', { name: /Populations we focus on/ }).getAttribute('href')).resolves.toBe(
      `/plans/${plan.id}#section-equityPopulations`,
    )
    await expect(anaCard.getByRole('link', { name: /Edit/ }).count()).resolves.toBe(0)
    await expect(seriousA11yViolations(ana.page)).resolves.toEqual([])
    await screenshot(ana.page, 'sessions-calendar')
    await leverLink.click()
    await ana.page.waitForURL(`**/plans/${plan.id}#lever-hrPractices`)
    // The plan opens at the lever, with focus on its heading.
    await expect.poll(() => focusedId(ana.page), { timeout: 15_000 }).toBe('lever-hrPractices-heading')
    expect([...fran.errors, ...ana.errors]).toEqual([])
  })
})
