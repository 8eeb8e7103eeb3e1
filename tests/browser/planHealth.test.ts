import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { createPlan, lead } from '../support/server.ts'

const LIVE = 2_000

describe('plan health, coverage and funding as a person sees them', () => {
  const suite = browserSuite()

  it('says what an empty plan is missing, and fits the whole coverage matrix with the targeted components at 1400 pixels', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'racine-wi', title: 'Racine good jobs plan' })
    const ana = await suite.person(lead('racine-wi'), { viewport: { width: 1400, height: 900 } })
    const a = ana.page
    await openPlan([ana], planUrl(suite.server, plan))

    const gaps = a.getByTestId('plan-gaps')
    await gaps.getByRole('heading', { name: 'Nothing to check yet' }).waitFor()
    await gaps.getByText('No initiatives yet: add one under a lever', { exact: false }).waitFor()
    await gaps.getByText('No components of job quality chosen', { exact: false }).waitFor()
    await expect(a.getByTestId('no-warnings').count()).resolves.toBe(0)
    await expect(a.getByText('No warnings. Initiatives have owners').count()).resolves.toBe(0)
    // "Go there" takes the person to the first lever's Add button.
    await gaps.getByRole('button', { name: /Go there: No initiatives yet/ }).click()
    await expect.poll(() => a.evaluate(() => document.activeElement?.id ?? '')).toBe('add-initiative-procurement')

    // The plan targets learning: the matrix marks it, for eyes and for screen readers.
    await a.locator('#target-component-learning').check()
    const matrix = a.getByTestId('coverage-matrix')
    const learning = matrix.locator('thead th[data-component="learning"]')
    await expect.poll(() => learning.getAttribute('class'), { timeout: LIVE }).toBe('is-targeted')
    await expect(learning.locator('.visually-hidden').textContent()).resolves.toBe(
      'Learning and career development (targeted by the plan)',
    )
    await expect(
      matrix.getByRole('columnheader', { name: 'Learning and career development (targeted by the plan)' }).count(),
    ).resolves.toBe(1)
    await expect(
      matrix.getByRole('columnheader', { name: 'Voice and representation', exact: true }).count(),
    ).resolves.toBe(1)

    // Every column, the total included, is inside the table's scroll box and the window: nothing cut off.
    await matrix.scrollIntoViewIfNeeded()
    const box = await a.locator('section[aria-label="Coverage table"]').boundingBox()
    const table = await matrix.boundingBox()
    const total = await a.getByTestId('coverage-total').boundingBox()
    const lastHeader = await matrix.getByRole('columnheader', { name: 'Total' }).boundingBox()
    expect(box && table && total && lastHeader).toBeTruthy()
    if (!box || !table || !total || !lastHeader) return
    expect(table.width).toBeLessThanOrEqual(box.width + 0.5)
    expect(total.x + total.width).toBeLessThanOrEqual(box.x + box.width + 0.5)
    expect(lastHeader.x + lastHeader.width).toBeLessThanOrEqual(1400)
    await expect(
      a.locator('section[aria-label="Coverage table"]').evaluate((el) => el.scrollWidth <= el.clientWidth),
    ).resolves.toBe(true)
    // Each short header fits its column whole (no word broken across lines).
    const overflowing = await matrix.locator('thead th span[aria-hidden="true"]').evaluateAll((spans) =>
      spans
        .filter((s) => {
          const th = s.closest('th') as HTMLElement
          // The targeted star sits on its own line; the name itself must stay on one.
          const name = s.firstChild as Text
          const range = document.createRange()
          range.selectNodeContents(name)
          return th.scrollWidth > th.clientWidth || range.getClientRects().length > 1
        })
        .map((s) => s.textContent),
    )
    expect(overflowing).toEqual([])
    await expect(seriousA11yViolations(a)).resolves.toEqual([])
    await a.locator('#plan-health').scrollIntoViewIfNeeded()
    await a.locator('#plan-coverage').screenshot({ path: 'tests/artifacts/coverage-1400.png' })
    await screenshot(a, 'plan-health-empty')
    expect(ana.errors).toEqual([])
  })

  it('checks each funding line’s amounts and SLFRF dates, counts down to 2026-12-31 and totals per lever', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'racine-wi', title: 'Racine funded plan' })
    const ana = await suite.person(lead('racine-wi'), { viewport: { width: 1280, height: 900 } })
    const a = ana.page
    await openPlan([ana], planUrl(suite.server, plan))
    await a.getByRole('button', { name: 'Add initiative to HR practices' }).click()
    await a.getByLabel('Initiative title').fill('Apprenticeships in public works')
    const card = a.locator('article.initiative-card')
    await card.getByRole('button', { name: 'Add funding line' }).click()
    await card.getByLabel('Source').selectOption({ label: 'ARP State and Local Fiscal Recovery Funds (SLFRF)' })
    // The final rule's whole list is there, up to 7.2, with names.
    // The field appears once the card has re-rendered with the new source (its own subscription).
    const category = card.getByLabel('SLFRF expenditure category')
    await expect.poll(() => category.locator('option').count(), { timeout: 15_000 }).toBe(84)
    await category.selectOption('7.2')
    await expect
      .poll(() => category.locator('option:checked').textContent(), { timeout: 15_000 })
      .toBe('7.2 Transfers to Other Units of Government')
    await category.selectOption('2.10')
    // A long name is shown whole, wrapping, beside the select that may cut it.
    const fullName = card
      .locator('.field-hint')
      .getByText(
        '2.10 Assistance to Unemployed or Underemployed Workers (e.g. job training, subsidized employment, employment supports or incentives)',
        { exact: true },
      )
    await fullName.waitFor()
    await expect(fullName.evaluate((el) => el.scrollWidth <= el.clientWidth)).resolves.toBe(true)
    const source = card.getByLabel('Source')
    const sourceBox = await source.boundingBox()
    const sourceText = await source.evaluate((el) => {
      const s = el as HTMLSelectElement
      const c = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D
      c.font = getComputedStyle(s).font
      return c.measureText(s.options[s.selectedIndex]?.text ?? '').width
    })
    expect(sourceText).toBeLessThan((sourceBox?.width ?? 0) - 24) // the source's long name fits its select

    await card.getByLabel('Budgeted ($)').fill('100,000')
    await card.getByLabel('Obligated ($)').fill('80,000')
    await card.getByLabel('Spent ($)').fill('90,000')
    const problems = card.getByRole('list', { name: 'Problems with this funding line' })
    await problems.getByText('Spent ($90,000) is more than obligated ($80,000).').waitFor({ timeout: LIVE })
    // Spending past what was committed is that problem, not "all of it is spent"; exactly it is.
    await expect(card.getByTestId('slfrf-countdown').count()).resolves.toBe(0)
    await card.getByLabel('Spent ($)').fill('80,000')
    await card.getByTestId('slfrf-countdown').getByText('All of it is spent.').waitFor({ timeout: LIVE })
    await card.getByLabel('Spent ($)').fill('30,000')
    await problems.waitFor({ state: 'detached', timeout: LIVE })

    await card.getByLabel('Obligated by').fill('2025-03-01')
    await card.getByLabel('Spent by').fill('2027-02-01')
    await problems.getByText('SLFRF obligated on 2025-03-01, after the obligation deadline of 2024-12-31.').waitFor()
    await problems.getByText('SLFRF spent by 2027-02-01, after the spending deadline of 2026-12-31.').waitFor()
    const serious = a.getByTestId('serious-warnings')
    await serious.getByText('funding line 1: SLFRF spent by 2027-02-01', { exact: false }).waitFor({ timeout: LIVE })

    // Unspent SLFRF money counts down to the spending deadline, on the line and for the plan.
    const days = Math.round(
      (Date.parse('2026-12-31T00:00:00Z') -
        Date.parse(
          `${await a.evaluate(() => {
            const d = new Date()
            return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
          })}T00:00:00Z`,
        )) /
        86_400_000,
    )
    await card
      .getByTestId('slfrf-countdown')
      .getByText(`$50,000 unspent: ${days} days left to spend it (by 2026-12-31).`)
      .waitFor()
    await a.getByTestId('slfrf-plan-countdown').getByText('of SLFRF is not spent yet', { exact: false }).waitFor()
    const totals = a.getByTestId('funding-totals')
    const row = totals.getByRole('row', { name: /^HR practices/ })
    await expect(row.textContent()).resolves.toContain('$100,000$80,000$30,000')
    await expect(totals.getByRole('row', { name: /^Whole plan/ }).textContent()).resolves.toContain(
      '$100,000$80,000$30,000',
    )

    // Fixing the dates clears the line's problems.
    await card.getByLabel('Obligated by').fill('2024-11-15')
    await card.getByLabel('Spent by').fill('2026-11-30')
    await problems.waitFor({ state: 'detached', timeout: LIVE })
    await card.getByLabel('Obligated by').fill('2025-03-01')
    await problems.waitFor()
    await expect(seriousA11yViolations(a)).resolves.toEqual([])
    await card
      .locator('fieldset', { hasText: 'Funding' })
      .first()
      .screenshot({ path: 'tests/artifacts/funding-line.png' })
    await a.locator('#plan-funding').screenshot({ path: 'tests/artifacts/funding-totals.png' })
    expect(ana.errors).toEqual([])
  })

  it('stops initiative titles at 200 characters and refuses a last-reviewed date in the future or before 2020', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'racine-wi', title: 'Racine limits plan' })
    const ana = await suite.person(lead('racine-wi'))
    const a = ana.page
    await openPlan([ana], planUrl(suite.server, plan))
    await a.getByRole('button', { name: 'Add initiative to Policy' }).click()
    const title = a.getByLabel('Initiative title')
    await title.fill('x'.repeat(250))
    await expect(title.inputValue()).resolves.toHaveLength(200)
    const reviewed = a.getByLabel('Last reviewed')
    await reviewed.fill('2031-01-01')
    await a.getByText('Last reviewed: A review cannot be in the future').waitFor()
    await reviewed.fill('2019-05-01')
    await a.getByText('A review before 2020 predates the program', { exact: false }).waitFor()
    await reviewed.fill('2024-05-01')
    await a.getByText('A review before 2020', { exact: false }).waitFor({ state: 'hidden' })
    expect(ana.errors).toEqual([])
  })
})
