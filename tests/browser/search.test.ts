import { PlanModel, sectionField } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { browserSuite, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { connectClient, synced } from '../support/clients.ts'
import { createPlan, lead, signIn, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('finding anything from the top bar', () => {
  const suite = browserSuite()

  it('Ctrl+K opens the palette, finds words of a plan grouped by kind, and Enter opens the plan at the match', async () => {
    const token = await signIn(suite.server, lead('tulsa-ok'))
    const plan = await createPlan(suite.server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa good jobs plan', token })
    const writer = connectClient(wsUrl(suite.server), plan.docName, { params: { token } })
    await synced(writer)
    writer.doc.transact(() => {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText('A registered apprenticeship in building maintenance, at a prevailing wage.')])
      writer.doc.getXmlFragment(sectionField('problem')).insert(0, [p])
      const model = new PlanModel(writer.doc)
      model.addInitiative(model.leverList()[0]?.id as string, { title: 'Apprenticeship pathways for county jobs' })
    })
    await waitFor(
      async () => {
        const res = await fetch(`${suite.server.url}/api/search?q=apprenticeship`, {
          headers: { authorization: `Bearer ${token}` },
        })
        return ((await res.json()) as { results: unknown[] }).results.length >= 2
      },
      { message: 'the plan to be indexed', timeoutMs: 30_000 },
    )
    writer.destroy()

    const ana = await suite.person(lead('tulsa-ok'))
    const page = ana.page
    await page.goto(`${suite.server.url}/sessions`)
    await page.getByRole('heading', { level: 1 }).first().waitFor()
    await page.keyboard.press('Control+k')
    const box = page.getByRole('combobox', { name: 'Find in Lever' })
    await expect.poll(() => box.evaluate((el) => el === document.activeElement), { timeout: 10_000 }).toBe(true)
    // With nothing typed, the palette offers the app's pages.
    await page.getByRole('option', { name: 'Inbox' }).waitFor()

    await page.keyboard.type('apprenticeship')
    const listbox = page.getByRole('listbox', { name: 'Matches' })
    await listbox.getByRole('group', { name: 'Initiatives' }).getByRole('option').first().waitFor()
    await listbox.getByRole('group', { name: 'Plan sections' }).getByRole('option').first().waitFor()
    await expect
      .poll(() => listbox.getByRole('group', { name: 'Plan sections' }).locator('mark').first().textContent(), {
        timeout: 10_000,
      })
      .toBe('apprenticeship')
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'search-palette')

    // The first option is the initiative (title matches rank first); move to the section and open it.
    const sectionOption = listbox.getByRole('group', { name: 'Plan sections' }).getByRole('option').first()
    for (let i = 0; i < 5; i++) {
      if ((await sectionOption.getAttribute('aria-selected')) === 'true') break
      await page.keyboard.press('ArrowDown')
    }
    expect(await sectionOption.getAttribute('aria-selected')).toBe('true')
    await page.keyboard.press('Enter')
    await page.waitForURL(new RegExp(`/plans/${plan.id}#heading-section-problem$`))
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id ?? ''), { timeout: 30_000 })
      .toBe('heading-section-problem')
    expect(ana.errors).toEqual([])
  })

  it('says when nothing is found and never shows an error for hostile input', async () => {
    const ana = await suite.person(lead('tulsa-ok'))
    const page = ana.page
    await page.goto(`${suite.server.url}/cohort`)
    await page.getByTestId('jurisdictions').waitFor()
    const box = page.getByRole('combobox', { name: 'Find in Lever' })
    await box.fill('"AND NEAR( job-quality *')
    await page
      .getByRole('status')
      .filter({ hasText: /Nothing found|results?$/ })
      .first()
      .waitFor()
    await box.fill('zzzqqq nothing')
    await page.getByText('Nothing found for “zzzqqq nothing”.').waitFor()
    await page.keyboard.press('Escape')
    expect(await box.getAttribute('aria-expanded')).toBe('false')

    // Opening a page from the palette puts the keyboard in that page's content.
    await box.fill('Library')
    await page
      .getByRole('listbox')
      .getByRole('option', { name: /Library/ })
      .first()
      .waitFor()
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/library/)
    await expect.poll(() => page.evaluate(() => document.activeElement?.id ?? ''), { timeout: 10_000 }).toBe('main')
    expect(ana.errors).toEqual([])
  })
})
