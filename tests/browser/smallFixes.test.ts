import path from 'node:path'
import type { ConsoleMessage, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, browserSuite, openPlan, planUrl, screenshot } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'
import { selectWords, threadCard } from './commentHelpers.ts'

const LIVE = 2_000
const PROBLEM = '#editor-section-problem'

/** Every console message of `page` from now on, as "type: text". */
function consoleOf(page: Page): string[] {
  const messages: string[] = []
  page.on('console', (msg: ConsoleMessage) => messages.push(`${msg.type()}: ${msg.text()}`))
  return messages
}

/**
 * Watches an editor for others' carets drawn outside a paragraph (straight between its blocks);
 * returns a function that reads what was seen.
 */
async function watchStrayCarets(page: Page, editor: string): Promise<() => Promise<string[]>> {
  await page.evaluate((selector) => {
    const root = document.querySelector(selector)
    if (!root) throw new Error(`no ${selector}`)
    const seen: string[] = []
    ;(window as unknown as { strayCarets: string[] }).strayCarets = seen
    const check = () => {
      for (const caret of Array.from(root.querySelectorAll(':scope > .collaboration-carets__caret'))) {
        seen.push(caret.textContent ?? '')
      }
    }
    new MutationObserver(check).observe(root, { childList: true })
    check()
  }, editor)
  return () => page.evaluate(() => (window as unknown as { strayCarets: string[] }).strayCarets)
}

describe('small things people noticed in the first hour', () => {
  const suite = browserSuite()

  it('shows the sign-in page without failed requests or errors in the console', async () => {
    const context = await suite.browser.newContext()
    try {
      const page = await context.newPage()
      const messages = consoleOf(page)
      const failed: string[] = []
      page.on('response', (res) => {
        if (res.status() >= 400) failed.push(`${res.status()} ${new URL(res.url()).pathname}`)
      })
      await page.goto(`${suite.server.url}/`)
      await page.getByRole('heading', { name: 'Sign in to Lever' }).waitFor()
      await page.getByRole('button', { name: 'Sign in' }).waitFor()
      await page.waitForLoadState('networkidle')
      expect(failed).toEqual([])
      expect(messages.filter((m) => m.startsWith('error'))).toEqual([])
    } finally {
      await context.close()
    }
  })

  it('adds bulleted lists while someone else has the plan open, without selection warnings in either console', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Lists plan' })
    const ana = await suite.person(lead('boulder-co'))
    const fran = await suite.person(FACILITATOR)
    const logs = [consoleOf(ana.page), consoleOf(fran.page)]
    await openPlan([ana, fran], planUrl(suite.server, plan))
    await fran.page.locator(PROBLEM).click()
    await ana.page.locator('#editor-section-theoryOfChange').click()
    await ana.page.keyboard.type('Inputs:')
    await ana.page.locator(PROBLEM).click()
    await ana.page.keyboard.type('- Low wages')
    await ana.page.keyboard.press('Enter')
    await ana.page.keyboard.type('High turnover')
    await ana.page
      .getByRole('toolbar', { name: /Theory of change/ })
      .getByRole('button', { name: 'Bulleted list' })
      .click()
    // A list started from the toolbar in an empty section, with the other person's caret in it.
    await fran.page.locator('#editor-section-equityPopulations').click()
    // Fran's caret was in the paragraph the list replaces: until Fran's page says where it is now,
    // Ana's page must not draw it between blocks (a caret there made Ana's typing land above the list).
    const strayCarets = await watchStrayCarets(ana.page, '#editor-section-equityPopulations')
    await ana.page
      .getByRole('toolbar', { name: /Populations we focus on/ })
      .getByRole('button', { name: 'Bulleted list' })
      .click()
    await ana.page.keyboard.type('Warehouse workers')
    await ana.page.keyboard.press('Enter')
    await ana.page.keyboard.type('Home care aides')
    await ana.page.keyboard.press('Enter')
    await ana.page.keyboard.press('Enter')
    await ana.page.keyboard.type('After the list.')
    await fran.page
      .locator('#editor-section-equityPopulations ul li', { hasText: 'Home care aides' })
      .waitFor({ timeout: LIVE })
    await fran.page.locator(`${PROBLEM} ul li`, { hasText: 'High turnover' }).waitFor({ timeout: LIVE })
    await fran.page.locator('#editor-section-theoryOfChange ul li', { hasText: 'Inputs:' }).waitFor({ timeout: LIVE })
    for (const p of [ana, fran]) await p.page.getByText('All changes saved').waitFor()
    expect(await strayCarets()).toEqual([])
    const warnings = logs.flat().filter((m) => m.includes('TextSelection endpoint'))
    expect(warnings).toEqual([])
    expect([...ana.errors, ...fran.errors]).toEqual([])
  })

  it('stops showing a plan’s content once the person’s access to it is revoked', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Revoked plan' })
    const url = planUrl(suite.server, plan)
    const lee = await suite.person(lead('boulder-co'))
    await openPlan([lee], url)
    await lee.page.locator(PROBLEM).click()
    await lee.page.keyboard.type('Confidential baseline figures.')
    await lee.page.getByLabel('Shared with the cohort').check()
    await lee.page.getByText('All changes saved').waitFor()

    const tia = await suite.person(lead('tulsa-ok'))
    await expect
      .poll(
        async () => {
          await tia.page.goto(url)
          await tia.page
            .getByText(/^(Read only|This plan is not shared with you)$/)
            .first()
            .waitFor()
          return tia.page.getByText('Confidential baseline figures.').count()
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(1)

    await lee.page.getByLabel('Shared with the cohort').uncheck()
    await tia.page
      .getByRole('heading', { name: 'This plan is no longer available to you' })
      .waitFor({ timeout: 10_000 })
    await tia.page.getByText('You no longer have access to this plan').waitFor()
    await expect(tia.page.getByText('Confidential baseline figures.').count()).resolves.toBe(0)
    await expect(tia.page.locator(PROBLEM).count()).resolves.toBe(0)
    await screenshot(tia.page, 'access-revoked')
  })

  it('shows reaction emoji in a colour emoji font that ships with Lever', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Reactions plan' })
    const ana = await suite.person(lead('boulder-co'))
    await openPlan([ana], planUrl(suite.server, plan))
    await ana.page.locator(PROBLEM).click()
    await ana.page.keyboard.type('Wages are too low.')
    await selectWords(ana.page, PROBLEM, 'too low')
    await ana.page.keyboard.press('Control+Alt+m')
    await ana.page.getByLabel('Your comment').fill('Which survey says so?')
    await ana.page.getByRole('button', { name: 'Post comment' }).click()
    const card = threadCard(ana, 'Which survey says so?')
    await card.waitFor({ timeout: LIVE })
    await card.getByText('React').first().click()
    await card.getByRole('button', { name: 'Agree', exact: true }).click()
    const given = card.locator('.reactions > .reaction')
    await given.first().waitFor()

    const fonts = await ana.page.evaluate(async () => {
      await document.fonts.load('16px "Lever Reaction Emoji"', '👍🙏✅❓')
      const faces: FontFace[] = []
      document.fonts.forEach((f) => {
        faces.push(f)
      })
      return faces.filter((f) => f.family.replaceAll('"', '') === 'Lever Reaction Emoji').map((f) => f.status)
    })
    expect(fonts).toEqual(['loaded', 'loaded'])
    // Each reaction emoji is drawn in colour from that font (not blank, not a box).
    const coloured = await ana.page.evaluate(() =>
      ['👍', '🙏', '✅', '❓'].map((emoji) => {
        const canvas = document.createElement('canvas')
        canvas.width = 48
        canvas.height = 48
        const ctx = canvas.getContext('2d') as CanvasRenderingContext2D
        ctx.font = '32px "Lever Reaction Emoji"'
        ctx.fillText(emoji, 4, 38)
        const data = ctx.getImageData(0, 0, 48, 48).data
        for (let i = 0; i < data.length; i += 4) {
          const [r = 0, g = 0, b = 0, a = 0] = [data[i], data[i + 1], data[i + 2], data[i + 3]]
          if (a > 0 && Math.max(r, g, b) - Math.min(r, g, b) > 60) return true
        }
        return false
      }),
    )
    expect(coloured).toEqual([true, true, true, true])
    await expect(
      given
        .first()
        .locator('.reaction-emoji')
        .evaluate((el) => getComputedStyle(el).fontFamily),
    ).resolves.toMatch(/^"Lever Reaction Emoji"/)
    await card.scrollIntoViewIfNeeded()
    await ana.page.screenshot({
      path: path.join(ARTIFACTS_DIR, 'reaction-emoji.png'),
      clip: (await card.boundingBox()) ?? undefined,
    })
    expect(ana.errors).toEqual([])
  })
})
