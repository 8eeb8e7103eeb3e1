import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

/** A normal typing pace: about 8 characters a second, well under Yjs's 500 ms capture timeout. */
const PACE_MS = 120
const LIVE = 2_000
const PROBLEM = '#editor-section-problem'
const THEORY = '#editor-section-theoryOfChange'
const DEFINITION = '#editor-section-jobQualityDefinition'

/** The text of an editor, without the others' caret labels. */
const textOf = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => {
      caret.remove()
    })
    return copy.textContent ?? ''
  })
/** The text of the first paragraph of an editor, without the others' caret labels. */
const firstParagraph = (page: Page, selector: string) => textOf(page, `${selector} p:first-child`)

/** Pastes `text` into the focused editor as a person's Ctrl+V does (a paste event with clipboard data). */
async function paste(page: Page, selector: string, text: string): Promise<void> {
  await page.locator(selector).evaluate((el, t) => {
    const data = new DataTransfer()
    data.setData('text/plain', t)
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}

describe('undo in prose groups typing like a word processor', () => {
  const suite = browserSuite()

  it('undoes and redoes typed words a word at a time and a paste in one step, in a plan whose other sections hold content', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Undo plan' })
    const ana = await suite.person(lead('boulder-co'))
    await openPlan([ana], planUrl(suite.server, plan))
    const page = ana.page

    // Other sections hold content (the case where each keystroke used to be its own undo step).
    await page.locator(THEORY).click()
    await page.keyboard.type('Better contracts lead to better jobs.')
    await page.locator(DEFINITION).click()
    await page.keyboard.type('A good job pays a living wage.')

    await page.locator(PROBLEM).click()
    await page.keyboard.type('Warehouse wages', { delay: PACE_MS })
    await expect.poll(() => textOf(page, PROBLEM)).toBe('Warehouse wages')

    await page.keyboard.press('Control+z')
    await expect.poll(() => textOf(page, PROBLEM)).toBe('Warehouse')
    await page.keyboard.press('Control+z')
    await expect.poll(() => textOf(page, PROBLEM)).toBe('')
    // The other sections are untouched.
    await expect(textOf(page, THEORY)).resolves.toBe('Better contracts lead to better jobs.')

    // Redo brings the words back the same way.
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(() => textOf(page, PROBLEM)).toBe('Warehouse')
    await page.keyboard.press('Control+Shift+z')
    await expect.poll(() => textOf(page, PROBLEM)).toBe('Warehouse wages')

    // A paste right after typing is one step of its own, and so is what is typed after it.
    await page.keyboard.press('Control+End')
    await page.keyboard.type(' are low', { delay: PACE_MS })
    await paste(page, PROBLEM, ' for three in four workers, as the 2024 survey shows')
    await page.keyboard.type('.', { delay: PACE_MS })
    await expect
      .poll(() => textOf(page, PROBLEM))
      .toBe('Warehouse wages are low for three in four workers, as the 2024 survey shows.')
    await screenshot(page, 'undo-grouping-typed')
    await page.keyboard.press('Control+z')
    await expect
      .poll(() => textOf(page, PROBLEM))
      .toBe('Warehouse wages are low for three in four workers, as the 2024 survey shows')
    await page.keyboard.press('Control+z')
    await expect.poll(() => textOf(page, PROBLEM)).toBe('Warehouse wages are low')
    await page.keyboard.press('Control+Shift+z')
    await expect
      .poll(() => textOf(page, PROBLEM))
      .toBe('Warehouse wages are low for three in four workers, as the 2024 survey shows')
    expect(ana.errors).toEqual([])
  })

  it('never undoes what another person typed meanwhile in the same section', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Undo with two plan' })
    const ana = await suite.person(lead('boulder-co'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], planUrl(suite.server, plan))

    await ana.page.locator(THEORY).click()
    await ana.page.keyboard.type('Better contracts lead to better jobs.')
    await fran.page.locator(THEORY).getByText('Better contracts').waitFor({ timeout: LIVE })

    // Ana writes two words in the problem section while Fran adds a paragraph of her own to it.
    await ana.page.locator(PROBLEM).click()
    await ana.page.keyboard.type('Low pay', { delay: PACE_MS })
    await fran.page.locator(PROBLEM).getByText('Low pay').waitFor({ timeout: LIVE })
    await fran.page.locator(PROBLEM).click()
    await fran.page.keyboard.press('Control+End')
    await fran.page.keyboard.press('Enter')
    await fran.page.keyboard.type('Turnover is high', { delay: PACE_MS })
    await ana.page.locator(PROBLEM).getByText('Turnover is high').waitFor({ timeout: LIVE })
    await ana.page.keyboard.type(' everywhere', { delay: PACE_MS })
    await fran.page.locator(PROBLEM).getByText('Low pay everywhere').waitFor({ timeout: LIVE })

    // Ana undoes her three words, one Ctrl+Z each (the last takes her paragraph with it); Fran's
    // sentence stays, for both of them.
    for (const expected of ['Low pay', 'Low']) {
      await ana.page.keyboard.press('Control+z')
      for (const p of [ana, fran])
        await expect.poll(() => firstParagraph(p.page, PROBLEM), { timeout: LIVE }).toBe(expected)
    }
    await ana.page.keyboard.press('Control+z')
    for (const p of [ana, fran]) {
      await expect.poll(() => textOf(p.page, PROBLEM), { timeout: LIVE }).toBe('Turnover is high')
      await expect(textOf(p.page, THEORY)).resolves.toBe('Better contracts lead to better jobs.')
    }
    await screenshot(fran.page, 'undo-grouping-others-text-stays')
    expect([...ana.errors, ...fran.errors]).toEqual([])
  })
})
