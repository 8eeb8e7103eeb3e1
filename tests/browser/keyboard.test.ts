import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, focusedId, openPlan, planUrl, screenshot, tabTo } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

const LIVE = 1_000

const focusedElementId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '')

describe('keyboard-only use of the plan editor', () => {
  const suite = browserSuite()

  it('starts a new plan from the jurisdiction page, saying what to fix when the title is empty', async () => {
    const ana = await suite.person(lead('tulsa-ok'))
    const page = ana.page
    await page.goto(`${suite.server.url}/jurisdictions/tulsa-ok`)
    await page.getByLabel('Plan title').waitFor()
    await page.keyboard.press('Tab')
    expect(await focusedId(page)).toMatch(/Skip to main content/)
    await tabTo(page, page.getByLabel('Plan title'))
    await page.keyboard.press('Enter')
    await page.getByRole('alert').getByText('A plan needs a title').waitFor()
    expect(await focusedElementId(page)).toBe('new-plan-title')
    await page.keyboard.type('Tulsa good jobs plan')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/plans\//)
    await page.getByText('All changes saved').waitFor()
    await expect(page.getByLabel('Plan title').inputValue()).resolves.toBe('Tulsa good jobs plan')
  })

  it('adds and fills an initiative with the keyboard alone, and Ctrl+Z undoes only my own changes while the other person’s stay', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa plan' })
    const ana = await suite.person(lead('tulsa-ok'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], planUrl(suite.server, plan))
    const a = ana.page

    await tabTo(a, a.getByRole('button', { name: 'Add initiative to HR practices' }))
    await a.keyboard.press('Enter')
    await expect.poll(() => focusedElementId(a)).toMatch(/^initiative-.+-title$/)
    await a.keyboard.type('Paid apprenticeships for county maintenance jobs')
    await a.keyboard.press('Tab')
    expect(await focusedElementId(a)).toMatch(/-owner$/)
    await a.keyboard.type('Human Resources')
    const card = a.locator('article.initiative-card')
    await tabTo(a, card.getByLabel('Status', { exact: true }))
    await a.keyboard.press('ArrowDown') // Not started → On track
    await tabTo(a, card.getByRole('checkbox', { name: 'Wages' }))
    await a.keyboard.press('Space')
    await tabTo(a, card.getByRole('button', { name: 'Add metric' }))
    await a.keyboard.press('Enter')
    await expect.poll(() => focusedElementId(a)).toMatch(/^metric-.+-name$/)
    await a.keyboard.type('Apprentices hired')

    // Fran sees all of it live, and edits another field of the same initiative.
    const franCard = fran.page.locator('article.initiative-card')
    await franCard
      .getByRole('heading', { name: 'Paid apprenticeships for county maintenance jobs' })
      .waitFor({ timeout: LIVE })
    await franCard.getByText('Human Resources').waitFor({ timeout: LIVE })
    await franCard.getByText('On track').waitFor({ timeout: LIVE })
    await franCard.getByRole('button', { name: /^Edit/ }).click()
    await expect
      .poll(() => franCard.getByLabel('Metric', { exact: true }).inputValue(), { timeout: LIVE })
      .toBe('Apprentices hired')
    await franCard.getByLabel('Partners').fill('Tulsa Tech')
    await expect.poll(() => card.getByLabel('Partners').inputValue(), { timeout: LIVE }).toBe('Tulsa Tech')

    // Ana undoes with the keyboard: her typing goes, Fran's partners stay (for both of them).
    await a.keyboard.press('Control+z')
    for (const c of [card, franCard]) {
      await expect.poll(() => c.getByLabel('Metric', { exact: true }).inputValue(), { timeout: LIVE }).toBe('')
      await expect(c.getByLabel('Partners').inputValue()).resolves.toBe('Tulsa Tech')
    }
    // Again: the metric she added is gone. Redo (Ctrl+Shift+Z, Ctrl+Y) brings both back.
    await a.keyboard.press('Control+z')
    for (const c of [card, franCard]) await expect.poll(() => c.getByLabel('Metric', { exact: true }).count()).toBe(0)
    await a.keyboard.press('Control+Shift+z')
    await expect.poll(() => card.getByLabel('Metric', { exact: true }).count()).toBe(1)
    await a.keyboard.press('Control+y')
    for (const c of [card, franCard]) {
      await expect
        .poll(() => c.getByLabel('Metric', { exact: true }).inputValue(), { timeout: LIVE })
        .toBe('Apprentices hired')
    }
    await expect(card.getByLabel('Partners').inputValue()).resolves.toBe('Tulsa Tech')
    await expect(card.getByLabel('Status', { exact: true }).inputValue()).resolves.toBe('onTrack')
    await screenshot(a, 'keyboard-initiative')
  })

  it('reorders, removes after confirming, and restores initiatives with the keyboard, keeping focus in place', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa policy plan' })
    const ana = await suite.person(lead('tulsa-ok'))
    await openPlan([ana], planUrl(suite.server, plan))
    const a = ana.page
    for (const title of ['First initiative', 'Second initiative']) {
      await tabTo(a, a.getByRole('button', { name: 'Add initiative to Policy' }))
      await a.keyboard.press('Enter')
      await expect.poll(() => focusedElementId(a)).toMatch(/-title$/)
      await a.keyboard.type(title)
    }
    const headings = () => a.locator('#lever-policy article.initiative-card h4').allTextContents()
    await expect.poll(headings).toEqual(['First initiative', 'Second initiative'])

    const moveUp = a.getByRole('button', { name: 'Move initiative “Second initiative” up' })
    await tabTo(a, moveUp, { backwards: true })
    await a.keyboard.press('Enter')
    await expect.poll(headings).toEqual(['Second initiative', 'First initiative'])
    await expect.poll(() => moveUp.evaluate((el) => el === document.activeElement)).toBe(true)

    const remove = a.getByRole('button', { name: 'Remove initiative “First initiative”' })
    await tabTo(a, remove)
    await a.keyboard.press('Enter')
    const dialog = a.getByRole('dialog', { name: 'Remove this initiative?' })
    await dialog.waitFor()
    expect(await focusedId(a)).toMatch(/Cancel/)
    await a.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    await expect.poll(() => remove.evaluate((el) => el === document.activeElement)).toBe(true)
    await a.keyboard.press('Enter')
    await dialog.waitFor()
    await a.keyboard.press('Shift+Tab')
    expect(await focusedId(a)).toMatch(/Remove initiative/)
    await a.keyboard.press('Enter')
    await expect.poll(headings).toEqual(['Second initiative'])
    await expect.poll(() => focusedElementId(a)).toBe('add-initiative-policy')

    await a.keyboard.press('Control+z')
    await expect.poll(headings).toEqual(['Second initiative', 'First initiative'])
  })

  it('writes and formats prose, and jumps through the plan from its contents, with the keyboard', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa prose plan' })
    const ana = await suite.person(lead('tulsa-ok'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], planUrl(suite.server, plan))
    const a = ana.page
    const editor = a.locator('#editor-section-equityPopulations')
    await tabTo(a, editor)
    await a.keyboard.type('We focus on ')
    await a.keyboard.press('Control+b')
    await a.keyboard.type('workers without a degree')
    await a.keyboard.press('Control+b')
    await a.keyboard.type('.')
    // The toolbar is one Tab stop; arrows move inside it.
    await a.keyboard.press('Shift+Tab')
    expect(await focusedId(a)).toMatch(/Bold/)
    for (let i = 0; i < 4; i++) await a.keyboard.press('ArrowRight')
    expect(await focusedId(a)).toMatch(/Bulleted list/)
    await a.keyboard.press('Enter')
    const franEditor = fran.page.locator('#editor-section-equityPopulations')
    await franEditor.locator('ul li strong', { hasText: 'workers without a degree' }).waitFor({ timeout: LIVE })

    const warningsLink = a.getByRole('navigation', { name: 'Plan contents' }).getByRole('link', { name: /^Warnings/ })
    await tabTo(a, warningsLink, { backwards: true })
    await a.keyboard.press('Enter')
    await expect.poll(() => focusedElementId(a)).toBe('plan-warnings-heading')
  })
})
