import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, browserSuite, openPlan, planUrl, screenshot } from '../support/browser.ts'
import { writeLargePlan } from '../support/planFixtures.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

describe('exporting and printing a plan in the browser', () => {
  const suite = browserSuite()

  it('downloads a plan from the export menu, shows progress for the PDF, and prints the briefing book with Ctrl+P', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder plan' })
    await suite.server.rooms.withRoom(plan.docName, (room) => room.transactServer((doc) => writeLargePlan(doc, 4)))
    const ana = await suite.person(lead('boulder-co'))
    await openPlan([ana], planUrl(suite.server, plan))
    const page = ana.page

    await page.getByText('Export', { exact: true }).click()
    const markdown = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Markdown' }).click()
    const md = await markdown
    expect(md.suggestedFilename()).toMatch(/^City of Boulder-Good jobs plan .*\.md$/)
    const mdText = fs.readFileSync((await md.path()) ?? '', 'utf8')
    expect(mdText).toContain('## Executive summary')
    await page.getByRole('status').filter({ hasText: 'Downloaded' }).waitFor()

    const pdf = page.waitForEvent('download', { timeout: 120_000 })
    await page.getByRole('button', { name: 'Briefing book (PDF)' }).click()
    await page.getByRole('progressbar', { name: 'Preparing Briefing book (PDF)' }).waitFor()
    expect((await pdf).suggestedFilename()).toMatch(/\.pdf$/)
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'export-menu.png') })

    // Ctrl+P: the page prints as the briefing book, not the editor with its drawers.
    await page.emulateMedia({ media: 'print' })
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
    await expect.poll(() => page.locator('.print-book h1').textContent()).toContain('Good jobs plan')
    expect(await page.locator('.plan-page').isVisible()).toBe(false)
    expect(await page.locator('.topbar').isVisible()).toBe(false)
    expect(await page.locator('.print-book').getByRole('heading', { name: 'Executive summary' }).isVisible()).toBe(true)
    await screenshot(page, 'export-ctrl-p')
    await page.emulateMedia({ media: 'screen' })
  })

  it('shows the print view with the layout of the PDF, and the facilitator exports the cohort', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Print view plan' })
    await suite.server.rooms.withRoom(plan.docName, (room) => room.transactServer((doc) => writeLargePlan(doc, 2)))
    const fran = await suite.person(FACILITATOR)
    await fran.page.goto(`${planUrl(suite.server, plan)}/print`)
    const book = fran.page.locator('article.bb')
    await book.getByRole('heading', { level: 1 }).waitFor()
    expect(await book.getByRole('heading', { name: 'Contents' }).isVisible()).toBe(true)
    expect(await book.getByRole('heading', { name: 'Initiative 2 apprenticeships' }).isVisible()).toBe(true)
    await screenshot(fran.page, 'export-print-view')
    expect(fran.errors).toEqual([])

    await fran.page.goto(suite.server.url)
    await fran.page.getByText('Export the cohort roll-up').click()
    const download = fran.page.waitForEvent('download')
    await fran.page.getByRole('button', { name: 'Spreadsheet (.xlsx)' }).click()
    expect((await download).suggestedFilename()).toMatch(/^Cohort roll-up-\d{4}-\d{2}-\d{2}\.xlsx$/)
  })

  it('says why an export failed', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Failing plan' })
    const ana = await suite.person(lead('boulder-co'))
    await openPlan([ana], planUrl(suite.server, plan))
    // The server cannot make this export: the menu says so, in the server’s words.
    await ana.page.route('**/export?format=docx', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'export_failed', message: 'The export could not be made.' } }),
      }),
    )
    await ana.page.getByText('Export', { exact: true }).click()
    await ana.page.getByRole('button', { name: 'Word document (.docx)' }).click()
    await ana.page.getByRole('alert').filter({ hasText: 'The export failed: The export could not be made.' }).waitFor()
  })
})
