import type { LeverServer } from '@lever/server'
import { CheckInsModel, newId, PlanModel, type PlanSummary, periodOf, recentPeriods, todayIso } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { browserSuite, focusedId, openPlan, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { COACH, createPlan, FACILITATOR, lead } from '../support/server.ts'

const LIVE = 5_000

/** A plan with initiatives, funding, metrics, an overdue milestone and check-ins of past months. */
async function seededPlan(server: LeverServer, jurisdictionId: string, title: string): Promise<PlanSummary> {
  const plan = await createPlan(server, { jurisdictionId, title })
  const [current, previous, older] = recentPeriods({ frequency: 'monthly', graceDays: 7 }, todayIso(), 3) as [
    string,
    string,
    string,
  ]
  await server.rooms.withRoom(plan.docName, (room) =>
    room.transactServer((doc) => {
      const model = new PlanModel(doc)
      const checkIns = new CheckInsModel(doc)
      const first = model.addInitiative('procurement', { title: 'Job-quality scoring in city contracts' })
      first.setStatus('onTrack')
      first.setComponent('wages', true)
      first.setComponent('safety', true)
      const slfrf = first.funding.add(newId())
      slfrf.setSource('slfrf')
      slfrf.setCategory('2.10')
      slfrf.setAmount('budgeted', 400_000)
      slfrf.setAmount('obligated', 250_000)
      slfrf.setAmount('spent', 90_000)
      const metric = first.metrics.add(newId())
      metric.text('name')?.insert(0, 'Contracts scored')
      metric.text('baseline')?.insert(0, '2')
      metric.text('target')?.insert(0, '30 contracts')
      metric.setTargetDate('2026-12-31')
      const milestone = first.milestones.add(newId())
      milestone.title?.insert(0, 'Scoring rubric adopted by council')
      milestone.setDueDate('2025-06-30')
      for (const [period, value, obligated, spent] of [
        [older, 6, 150_000, 20_000],
        [previous, 11, 250_000, 90_000],
      ] as const) {
        checkIns.setStatus(period, first.id, 'onTrack')
        checkIns.setMetricActual(period, first.id, metric.id, { value, date: `${period}-15` })
        checkIns.setFundingAsOf(period, first.id, slfrf.id, { obligated, spent })
      }
      const second = model.addInitiative('hrPractices', { title: 'Paid apprenticeships for city trades' })
      second.setStatus('atRisk')
      second.setComponent('learning', true)
      const local = second.funding.add(newId())
      local.setSource('local')
      local.setAmount('budgeted', 120_000)
      local.setAmount('obligated', 30_000)
      const third = model.addInitiative('policy', { title: 'Fair-chance hiring ordinance' })
      third.setStatus('offTrack')
      third.setComponent('voice', true)
      void current
    }),
  )
  return plan
}

describe('progress in the browser: check-ins, the plan dashboard and the cohort overview', () => {
  const suite = browserSuite()

  it('lets a team check in on the Progress tab and shows the dashboard as captioned charts with their data', async () => {
    const plan = await seededPlan(suite.server, 'boulder-co', 'Boulder good jobs plan')
    const ana = await suite.person(lead('boulder-co'))
    const page = ana.page
    await openPlan([ana], planUrl(suite.server, plan))

    await page.getByRole('tab', { name: 'Progress' }).click()
    const panel = page.getByTestId('check-ins')
    await panel.waitFor()
    await expect(panel.getByTestId('check-ins-summary').textContent()).resolves.toContain('0 of 3 checked in')
    const card = panel.getByTestId('check-in').filter({ hasText: 'Job-quality scoring in city contracts' })
    await card.getByRole('radio', { name: /At risk/ }).check()
    await card.getByLabel('Short update').pressSequentially('Two vendors contested the rubric; legal review under way.')
    await card.getByLabel('Contracts scored: actual').fill('14')
    await card.getByLabel('Obligated ($)').fill('300,000')
    await expect
      .poll(() => panel.getByTestId('check-ins-summary').textContent(), { timeout: LIVE })
      .toContain('1 of 3 checked in')
    // Typed key by key, every character is kept.
    await expect(card.getByLabel('Short update').inputValue()).resolves.toBe(
      'Two vendors contested the rubric; legal review under way.',
    )
    await screenshot(page, 'progress-check-ins')
    expect(await seriousA11yViolations(page)).toEqual([])

    // A closed period is read-only, with the reason said.
    const old = recentPeriods({ frequency: 'monthly', graceDays: 7 }, todayIso(), 3)[2] as string
    await page.getByLabel('Reporting period').selectOption(old)
    await panel.getByTestId('period-closed').waitFor()
    await expect(card.getByRole('radio', { name: /On track/ }).isDisabled()).resolves.toBe(true)
    await expect(card.getByRole('radio', { name: /On track/ }).isChecked()).resolves.toBe(true)

    // The dashboard: the check-in moved the initiative to "at risk".
    await page.getByRole('tab', { name: 'Dashboard' }).click()
    const status = page.getByTestId('chart-status')
    await status.waitFor()
    const procurement = status.getByRole('row', { name: /^Procurement/ })
    await expect
      .poll(() => procurement.locator('td').allTextContents(), { timeout: LIVE })
      .toEqual(['0', '0', '1', '0', '0', '1'])
    await expect(status.locator('svg.chart__svg[role="img"]').count()).resolves.toBe(1)
    await expect(status.locator('figcaption').textContent()).resolves.toBe('Initiatives by lever and status')
    await expect(status.locator('.chart__summary').textContent()).resolves.toContain(
      '3 initiatives: 2 at risk, 1 off track',
    )
    const funding = page.getByTestId('chart-funding')
    await expect(
      funding
        .getByRole('row', { name: /^ARP State and Local/ })
        .locator('td')
        .allTextContents(),
    ).resolves.toEqual(['$400,000', '$300,000', '$90,000'])
    const slfrf = page.getByTestId('chart-slfrf')
    await expect(slfrf.locator('svg.chart__svg').textContent()).resolves.toContain('Obligate by Dec 31, 2024')
    await expect(slfrf.locator('svg.chart__svg').textContent()).resolves.toContain('Spend by Dec 31, 2026')
    await expect(slfrf.locator('tbody tr').count()).resolves.toBe(4) // two past months, this one, the budget
    const metric = page.getByTestId('chart-metric')
    await expect(metric.locator('tbody tr').count()).resolves.toBe(5) // three actuals, baseline, target
    await expect(metric.locator('.chart__summary').textContent()).resolves.toContain('Latest actual 14')
    await expect(page.getByTestId('overdue-milestones').textContent()).resolves.toContain(
      'Scoring rubric adopted by council',
    )
    await expect(
      page
        .getByTestId('dashboard-coverage')
        .getByRole('row', { name: /^Procurement/ })
        .locator('td')
        .first()
        .textContent(),
    ).resolves.toBe('1')
    await screenshot(page, 'progress-dashboard')
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.emulateMedia({ media: 'print' })
    await screenshot(page, 'progress-dashboard-print')
    await page.emulateMedia({ media: 'screen' })
    expect(ana.errors).toEqual([])
  })

  it('shows facilitators every jurisdiction in a sortable, filterable overview that opens plans from the keyboard', async () => {
    const plan = await seededPlan(suite.server, 'atlanta-ga', 'Atlanta good jobs plan')
    await suite.server.figures.flush()
    const fran = await suite.person(FACILITATOR)
    const page = fran.page
    await page.goto(`${suite.server.url}/overview`)
    const table = page.getByTestId('overview-table')
    await table.waitFor()
    await expect(table.getByTestId('overview-row').count()).resolves.toBe(20)

    // Sorting by budget, largest first, puts the two seeded plans on top.
    await page.getByTestId('sort-budgeted').click()
    await page.getByTestId('sort-budgeted').click()
    await expect(table.locator('th[aria-sort="descending"]').textContent()).resolves.toContain('Budgeted')
    const firstRows = await table.getByTestId('overview-row').locator('th a').allTextContents()
    expect(firstRows.slice(0, 2).sort()).toEqual(['City of Atlanta', 'City of Boulder'].sort())
    const atlanta = table.getByTestId('overview-row').filter({ hasText: 'City of Atlanta' })
    await expect(atlanta.locator('td').nth(2).textContent()).resolves.toBe('$520,000')
    await expect(atlanta.locator('td').nth(7).textContent()).resolves.toBe('0 of 3')

    // The heatmap writes every count.
    const heat = page.getByTestId('overview-heatmap').getByRole('row', { name: /^City of Atlanta/ })
    await expect(heat.locator('td').allTextContents()).resolves.toEqual(['1', '0', '0', '1', '1', '1', '0', '0'])
    await screenshot(page, 'progress-overview')
    expect(await seriousA11yViolations(page)).toEqual([])

    // Filtering.
    await page.getByLabel('Search').fill('atl')
    await expect.poll(() => table.getByTestId('overview-row').count()).toBe(1)
    await page.getByLabel('Search').fill('')
    await page.getByLabel('With warnings').check()
    await expect.poll(() => table.getByTestId('overview-row').count()).toBe(2)

    // Keyboard: arrows move between rows, Enter opens the plan.
    const links = table.locator('a[data-row-link]')
    await links.first().focus()
    await page.keyboard.press('ArrowDown')
    const second = await links.nth(1).textContent()
    await expect(focusedId(page)).resolves.toContain(second ?? '?')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('End')
    await expect(focusedId(page)).resolves.toContain(second ?? '?')
    await page.keyboard.press('Home')
    const first = (await links.first().textContent()) ?? ''
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/plans\//)
    const opened = first === 'City of Atlanta' ? plan.id : null
    if (opened) expect(page.url()).toContain(opened)
    await page.getByText('All changes saved').waitFor()
    expect(fran.errors).toEqual([])
  })

  it('shows a coach only the jurisdictions assigned to them', async () => {
    const coach = await suite.person(COACH)
    await coach.page.goto(`${suite.server.url}/overview`)
    const rows = coach.page.getByTestId('overview-table').getByTestId('overview-row')
    await rows.first().waitFor()
    const assigned = (await suite.server.auth.users.getByEmail(COACH))?.coachOf ?? []
    await expect(rows.count()).resolves.toBe(assigned.length)
    expect(periodOf(todayIso(), 'monthly')).toMatch(/^\d{4}-\d{2}$/)
  })
})
