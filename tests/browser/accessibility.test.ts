import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

/** Fills an initiative with one of everything, so every control of the editor is on the page. */
async function fillInitiative(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Add initiative to Empowerment' }).click()
  await page.getByLabel('Initiative title').fill('Worker centre partnership')
  const card = page.locator('article.initiative-card')
  await card.getByRole('button', { name: 'Add funding line' }).click()
  await card.getByLabel('Source').selectOption('slfrf')
  await card.getByLabel('Budgeted ($)').fill('12x') // an inline error is on the page too
  await card.getByLabel('Due date').fill('2027-01-31')
  await card.getByRole('button', { name: 'Add metric' }).click()
  await card.getByLabel('Metric', { exact: true }).fill('Workers reached')
  await card.getByRole('button', { name: 'Add milestone' }).click()
  await card.getByLabel('Milestone', { exact: true }).fill('Partnership agreement signed')
}

describe('accessibility of every page', () => {
  const suite = browserSuite()

  it('finds no serious or critical axe violations on the sign-in, cohort and jurisdiction pages', async () => {
    const context = await suite.browser.newContext({ bypassCSP: true })
    const anonymous = await context.newPage()
    await anonymous.goto(`${suite.server.url}/sign-in`)
    await anonymous.getByRole('heading', { name: 'Sign in to Lever' }).waitFor()
    await anonymous.getByRole('button', { name: 'Sign in' }).click()
    await anonymous.getByRole('alert').waitFor()
    expect(await seriousA11yViolations(anonymous)).toEqual([])
    await context.close()

    const ana = await suite.person(lead('durham-nc'))
    const page = ana.page
    await page.goto(`${suite.server.url}/cohort`)
    await page.getByTestId('jurisdictions').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'cohort')
    await page.getByLabel('Search').fill('county')
    await page.getByText(/Showing \d+ of 20 jurisdictions/).waitFor()
    await page.getByLabel('Search').fill('nowhere at all')
    await page.getByText('No jurisdiction matches').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    await createPlan(suite.server, { jurisdictionId: 'durham-nc', title: 'Durham good jobs plan' })
    await page.goto(`${suite.server.url}/jurisdictions/durham-nc`)
    await page.getByRole('link', { name: 'Durham good jobs plan' }).waitFor()
    await page.getByRole('button', { name: 'Create plan' }).click()
    await page.getByRole('alert').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'jurisdiction')
  })

  it('finds no serious or critical axe violations on a busy plan page, at 1280 and at 800 pixels wide', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'durham-nc', title: 'Durham busy plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('durham-nc'))
    const fran = await suite.person(FACILITATOR, { viewport: { width: 800, height: 1000 } })
    await openPlan([ana, fran], url)
    await fillInitiative(ana.page)
    await ana.page.locator('#editor-section-problem').click()
    await ana.page.keyboard.type('Too many jobs without benefits.')
    // Fran is in another section, so Ana sees her caret and her avatar next to it.
    await fran.page.locator('#editor-section-problem').click()
    await fran.page.keyboard.press('End')
    await ana.page.locator('.collaboration-carets__label', { hasText: 'Fran Facilitator' }).waitFor()
    await ana.page.getByTestId('serious-warnings').waitFor()

    expect(await seriousA11yViolations(ana.page)).toEqual([])
    await screenshot(ana.page, 'plan-page-1280')

    await fran.page.getByRole('heading', { name: 'Worker centre partnership' }).waitFor()
    await fran.page.getByRole('button', { name: /^Edit/ }).click()
    await fran.page.getByLabel('Initiative title').waitFor()
    expect(await seriousA11yViolations(fran.page)).toEqual([])
    await screenshot(fran.page, 'plan-page-800')
  })

  it('shows a plan shared with the cohort read-only to a peer, without serious axe violations', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'durham-nc', title: 'Durham shared plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('durham-nc'))
    await ana.page.goto(url)
    await ana.page.getByText('All changes saved').waitFor()
    await fillInitiative(ana.page)
    // The amount that could not be written keeps the page from saying all is saved, until fixed.
    await ana.page.getByText('Not saved: 1 field needs fixing').waitFor()
    await ana.page.locator('article.initiative-card').getByLabel('Budgeted ($)').fill('12,000')
    await ana.page.getByLabel('Shared with the cohort').check()
    await ana.page.getByText('All changes saved').waitFor()

    const peer = await suite.person(lead('tulsa-ok'))
    await peer.page.goto(url)
    await peer.page.getByText('Read only').waitFor()
    await peer.page.getByRole('heading', { name: 'Worker centre partnership' }).waitFor()
    await expect(peer.page.getByRole('button', { name: /^Add initiative/ }).count()).resolves.toBe(0)
    await expect(peer.page.locator('#editor-section-problem').getAttribute('contenteditable')).resolves.toBe('false')
    // Ana's edits still reach the peer live.
    await ana.page.getByLabel('Initiative title').fill('Worker centre partnership, phase 2')
    await peer.page.getByRole('heading', { name: 'Worker centre partnership, phase 2' }).waitFor({ timeout: 1_000 })
    await peer.page.getByRole('button', { name: /^Open/ }).click()
    await expect(peer.page.getByLabel('Initiative title').getAttribute('readonly')).resolves.not.toBeNull()
    expect(await seriousA11yViolations(peer.page)).toEqual([])
    await expect(peer.page.getByTestId('connection-state').textContent()).resolves.toMatch(/Connected/)
  })
})
