import fs from 'node:fs'
import path from 'node:path'
import { PlanModel } from '@lever/shared'
import type { Locator, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, browserSuite, openPlan, planUrl, screenshot } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

/** A name of 150 characters without a space: a pasted address, or a file's name. */
const LONG_NAME = `https://example.org/plans/boulder/${'quarterly_job_quality_report_'.repeat(5)}`
  .padEnd(150, 'x')
  .slice(0, 150)

/** How far the content of `locator` reaches past its box, in pixels (0: none). */
function overflowOf(locator: Locator): Promise<number> {
  return locator.evaluate((el) => el.scrollWidth - el.clientWidth)
}

/** Whether the page scrolls sideways. */
function pageOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }))
}

describe('layouts that hold at narrow widths and with long text', () => {
  const suite = browserSuite()

  it('on a phone the top navigation stays on the dark bar and the page never scrolls sideways', async () => {
    const fran = await suite.person(FACILITATOR, { viewport: { width: 390, height: 850 } })
    const page = fran.page
    await page.goto(`${suite.server.url}/`)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'People' }).waitFor()

    const { scrollWidth, innerWidth } = await pageOverflow(page)
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth)

    const bar = await page.locator('header.topbar').boundingBox()
    if (!bar) throw new Error('no top bar')
    const links = await nav.getByRole('link').all()
    expect(links.length).toBeGreaterThanOrEqual(8)
    for (const link of links) {
      const box = await link.boundingBox()
      if (!box) throw new Error(`no box for ${await link.textContent()}`)
      const name = await link.textContent()
      expect({ name, inside: box.x >= bar.x - 0.5 && box.x + box.width <= bar.x + bar.width + 0.5 }).toEqual({
        name,
        inside: true,
      })
      expect({ name, inside: box.y >= bar.y - 0.5 && box.y + box.height <= bar.y + bar.height + 0.5 }).toEqual({
        name,
        inside: true,
      })
    }
    await viewportShot(page, 'layout-home-390-top')
    await screenshot(page, 'layout-home-390')
    expect(fran.errors).toEqual([])
  })

  it('the results of the top bar search stay inside the window, where the top bar wraps too', async () => {
    const fran = await suite.person(FACILITATOR, { viewport: { width: 1280, height: 800 } })
    const page = fran.page
    await page.goto(`${suite.server.url}/sessions`)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    const box = page.getByRole('combobox', { name: 'Find in Lever' })
    const popup = page.locator('.search-box__popup')
    // At 1280 the box sits at the right of the bar; at 1000 and 860 the bar wraps and puts it
    // further left, where a list opening leftwards from its right edge would start off screen.
    for (const width of [1280, 1000, 860]) {
      await page.setViewportSize({ width, height: 800 })
      await box.click()
      await box.fill('')
      await page.keyboard.type('coaching')
      await popup.getByRole('option').first().waitFor()
      const rect = await popup.boundingBox()
      if (!rect) throw new Error('no results panel')
      const inside = rect.x >= 0 && rect.x + rect.width <= width
      expect({ width, x: Math.round(rect.x), inside }).toEqual({ width, x: Math.round(rect.x), inside: true })
      expect((await pageOverflow(page)).scrollWidth).toBeLessThanOrEqual(width)
      await viewportShot(page, `layout-search-${width}`)
      await page.keyboard.press('Escape')
    }
    expect(fran.errors).toEqual([])
  })

  it('a long name without spaces wraps in the version history, on initiative cards, warnings and check-ins', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder good jobs plan' })
    await suite.server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => {
        const model = new PlanModel(doc)
        // No metric: the plan health warns about it, naming the initiative.
        const initiative = model.addInitiative('procurement', { title: LONG_NAME })
        initiative.setStatus('onTrack')
        initiative.setComponent('wages', true)
      }),
    )
    const ana = await suite.person(lead('boulder-co'), { viewport: { width: 1280, height: 900 } })
    const page = ana.page
    page.setDefaultTimeout(15_000)
    await openPlan([ana], planUrl(suite.server, plan))

    // The initiative's card and the warnings that name it.
    const card = page.locator('article.initiative-card').filter({ hasText: LONG_NAME.slice(0, 40) })
    await card.waitFor()
    expect(await overflowOf(card)).toBeLessThanOrEqual(1)
    const warnings = page.locator('.warning').filter({ hasText: LONG_NAME.slice(0, 40) })
    expect(await warnings.count()).toBeGreaterThan(0)
    for (const warning of await warnings.all()) expect(await overflowOf(warning)).toBeLessThanOrEqual(1)
    expect((await pageOverflow(page)).scrollWidth).toBeLessThanOrEqual(1280)
    // The coverage table's column names each fit their column: none runs into the next.
    const headers = page.getByTestId('coverage-matrix').locator('thead th')
    expect(await headers.count()).toBe(10)
    for (const header of await headers.all()) {
      const name = await header.getAttribute('title')
      expect({ name, overflow: await overflowOf(header) }).toEqual({ name, overflow: 0 })
    }
    await page.getByTestId('coverage-matrix').scrollIntoViewIfNeeded()
    await viewportShot(page, 'layout-plan-coverage')
    await screenshot(page, 'layout-plan-long-initiative')

    // Its check-in card on the Progress tab.
    await page.getByRole('tab', { name: 'Progress' }).click()
    const checkIn = page.getByTestId('check-in').filter({ hasText: LONG_NAME.slice(0, 40) })
    await checkIn.waitFor()
    expect(await overflowOf(checkIn)).toBeLessThanOrEqual(1)
    await screenshot(page, 'layout-progress-long-initiative')

    // On a phone the plan's title shows whole in its box, and the page does not scroll sideways.
    const phone = await suite.person(lead('boulder-co'), { viewport: { width: 390, height: 850 } })
    await openPlan([phone], planUrl(suite.server, plan))
    const title = phone.page.getByLabel('Plan title')
    await title.fill('Boulder job quality plan')
    expect(await overflowOf(title)).toBeLessThanOrEqual(1)
    expect((await pageOverflow(phone.page)).scrollWidth).toBeLessThanOrEqual(390)
    await viewportShot(phone.page, 'layout-plan-390-top')
    await screenshot(phone.page, 'layout-plan-390')
    expect(phone.errors).toEqual([])
    await page.getByRole('tab', { name: 'Plan' }).click()

    // A version named with it: the notice, the list and the pane stay inside the dialog.
    await page.getByRole('button', { name: 'History' }).click()
    const dialog = page.getByRole('dialog', { name: 'Version history' })
    await dialog.getByLabel('Name the plan as it is now').fill(LONG_NAME)
    await dialog.getByRole('button', { name: 'Save version' }).click()
    await dialog.getByRole('status').getByText('Saved', { exact: false }).waitFor()
    const list = dialog.getByRole('list', { name: 'Versions, newest first' })
    const named = list.getByRole('button', { name: new RegExp(LONG_NAME.slice(0, 40).replace(/[.?/]/g, '\\$&')) })
    await named.click()
    await dialog.locator('.history-pane').getByRole('button', { name: 'Compare' }).waitFor()
    for (const part of [
      dialog,
      dialog.locator('.history-notice'),
      dialog.locator('.history-list-pane'),
      named,
      dialog.locator('.history-pane'),
      dialog.locator('.history-pane__head'),
    ]) {
      expect(await overflowOf(part)).toBeLessThanOrEqual(1)
    }
    await viewportShot(page, 'layout-history-long-name')
    expect(ana.errors).toEqual([])
  })
})

/** A screenshot of what the window shows now (an open popup or dialog as it is), under tests/artifacts/. */
function viewportShot(page: Page, name: string): Promise<Buffer> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`) })
}
