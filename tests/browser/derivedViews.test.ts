import { SLFRF_DEADLINES } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

const LIVE = 1_000

describe('derived views of a plan', () => {
  const suite = browserSuite()

  it('updates coverage, completeness and SLFRF deadline warnings live in the other person’s browser, and takes them to the field to fix', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'racine-wi', title: 'Racine good jobs plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('racine-wi'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], url)
    const a = ana.page
    const f = fran.page
    const percent = () => f.getByTestId('completeness-percent').textContent()
    const before = await percent()
    const cell = (lever: string, component: string) =>
      f
        .getByTestId('coverage-matrix')
        .getByRole('row', { name: new RegExp(`^${lever}`) })
        .locator(`td[data-component="${component}"]`)
    await expect(cell('Procurement', 'wages').textContent()).resolves.toBe('0')
    // An empty plan is not "fine": health says what is missing.
    await f.getByTestId('plan-gaps').getByText('No initiatives yet', { exact: false }).waitFor()

    // Ana adds an initiative that addresses wages and benefits.
    await a.getByRole('button', { name: 'Add initiative to Procurement' }).click()
    await a.getByLabel('Initiative title').fill('Living wage in city contracts')
    const card = a.locator('article.initiative-card')
    await card.getByRole('checkbox', { name: 'Wages', exact: true }).check()
    await card.getByRole('checkbox', { name: 'Benefits', exact: true }).check()
    await expect.poll(() => cell('Procurement', 'wages').textContent(), { timeout: LIVE }).toBe('1')
    await expect.poll(() => cell('Procurement', 'benefits').textContent(), { timeout: LIVE }).toBe('1')
    await expect(cell('Procurement', 'scheduling').textContent()).resolves.toBe('0')
    await expect.poll(percent, { timeout: LIVE }).not.toBe(before)
    // Warnings every initiative gets until it has them: no metric, owner or evidence tier.
    const other = f.getByTestId('other-warnings')
    for (const text of ['no metric yet', 'no owner yet', 'no evidence tier yet']) {
      await other.getByText(`Living wage in city contracts: ${text}.`).waitFor({ timeout: LIVE })
    }

    // SLFRF money on work that runs past the spending deadline: a serious warning, for Fran too.
    await card.getByRole('button', { name: 'Add funding line' }).click()
    await card.getByLabel('Source').selectOption({ label: 'ARP State and Local Fiscal Recovery Funds (SLFRF)' })
    await card.getByLabel('SLFRF expenditure category').selectOption('2.10')
    await card.getByLabel('Due date').fill('2027-06-30')
    const serious = f.getByTestId('serious-warnings')
    await serious
      .getByText(`past the spending deadline of ${SLFRF_DEADLINES.spendBy}`, { exact: false })
      .waitFor({ timeout: LIVE })
    // Starting after the obligation deadline is flagged as well.
    await card.getByLabel('Start date').fill('2025-02-01')
    await serious
      .getByText(`after funds must be obligated (${SLFRF_DEADLINES.obligateBy})`, { exact: false })
      .waitFor({ timeout: LIVE })
    await f
      .getByRole('navigation', { name: 'Plan contents' })
      .getByText(/2 serious/)
      .waitFor({ timeout: LIVE })

    // An amount that does not fit is explained where it was typed and kept there, unsaved.
    const budget = card.getByLabel('Budgeted ($)')
    await budget.fill('12,5OO')
    await card.getByText('Enter an amount in dollars').waitFor()
    await expect(budget.inputValue()).resolves.toBe('12,5OO')
    // The page does not say everything is saved while it is there.
    await a.getByTestId('saved-state').getByText('Not saved: 1 field needs fixing').waitFor()
    await budget.fill('12,500')
    await card.getByText('Enter an amount in dollars').waitFor({ state: 'hidden' })
    await a.getByTestId('saved-state').getByText('Not saved').waitFor({ state: 'hidden' })

    // Fixing the due date clears the warning in Fran's browser; adding a metric clears another.
    await card.getByLabel('Due date').fill('2026-06-30')
    await serious.getByText('past the spending deadline', { exact: false }).waitFor({ state: 'hidden', timeout: LIVE })
    await card.getByRole('button', { name: 'Add metric' }).click()
    await other.getByText('Living wage in city contracts: no metric yet.').waitFor({ state: 'hidden', timeout: LIVE })
    await screenshot(f, 'derived-views-fran')

    // "Fix this" opens the initiative in Fran's browser and puts focus in the field.
    await serious
      .getByRole('button', { name: /Fix this/ })
      .first()
      .click()
    await expect.poll(() => f.evaluate(() => document.activeElement?.id ?? '')).toMatch(/^initiative-.+-startDate$/)
    // A completeness item takes Fran to the empty prose section.
    await f.getByRole('list', { name: 'Still empty' }).getByRole('button', { name: 'Theory of change' }).click()
    await expect.poll(() => f.evaluate(() => document.activeElement?.id ?? '')).toBe('editor-section-theoryOfChange')
  })
})
