import { PLAN_SECTIONS, PlanModel, sectionField } from '@lever/shared'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { paragraph } from '../support/planFixtures.ts'
import { createPlan, DEMO_PASSWORD, FACILITATOR } from '../support/server.ts'

const INITIATIVES = 8

/**
 * A page script that notes what the plan page holds at the first moment its first section is an
 * editor: how many sections' editors, initiative cards and comment sidebars are there then.
 */
const FIRST_SECTION_WATCH = `(() => {
  window.__leverAtFirstSection = null
  const observer = new MutationObserver(() => {
    if (window.__leverAtFirstSection) return
    if (!document.querySelector('#editor-section-problem[contenteditable="true"]')) return
    window.__leverAtFirstSection = {
      editors: document.querySelectorAll('.rich-text[contenteditable="true"]').length,
      initiatives: document.querySelectorAll('li.initiative-list__item').length,
      sidebar: document.querySelector('.comments-sidebar') !== null,
      contents: document.querySelector('nav.plan-nav') !== null,
      busy: document.querySelector('.plan-layout[aria-busy="true"]') !== null,
    }
    observer.disconnect()
  })
  observer.observe(document, { childList: true, subtree: true, attributes: true })
})()`

interface AtFirstSection {
  editors: number
  initiatives: number
  sidebar: boolean
  contents: boolean
  busy: boolean
}

describe('opening a large plan', () => {
  const suite = browserSuite()

  /** Types `words` at the end of the first section and waits until the server's document has them. */
  async function typeInFirstSectionAndSeeItStored(page: Page, docName: string, words: string): Promise<void> {
    await page.locator('#editor-section-problem').click()
    await page.keyboard.press('End')
    await page.keyboard.type(words)
    await expect
      .poll(
        async () => {
          let text = ''
          await suite.server.rooms.withRoom(docName, (room) => {
            text = room.doc.getXmlFragment(sectionField('problem')).toString()
          })
          return text
        },
        { timeout: 15_000 },
      )
      .toContain(words.trim())
  }

  async function largePlan(title: string) {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title })
    await suite.server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => {
        const model = new PlanModel(doc)
        for (const s of PLAN_SECTIONS) {
          doc.getXmlFragment(sectionField(s.id)).insert(0, [paragraph(`${s.label}: words about wages.`)])
        }
        for (let n = 0; n < INITIATIVES; n++) {
          model.addInitiative(['procurement', 'hrPractices', 'policy'][n % 3] as string, {
            title: `Initiative ${n + 1}`,
          })
        }
      }),
    )
    return plan
  }

  it('shows the first section, ready to type in, before the rest of the plan is built; then all of it', async () => {
    const plan = await largePlan('Opening plan')
    const fran = await suite.person(FACILITATOR)
    await fran.page.addInitScript({ content: FIRST_SECTION_WATCH })
    await fran.page.goto(planUrl(suite.server, plan))

    // The first moment the first section could be typed in, the rest was not built yet
    const first = () =>
      fran.page.evaluate(
        () => (window as unknown as { __leverAtFirstSection: AtFirstSection | null }).__leverAtFirstSection,
      )
    await expect.poll(first, { timeout: 15_000 }).not.toBeNull()
    // (and the page said it was still being built).
    expect(await first()).toEqual({ editors: 1, initiatives: 0, sidebar: false, contents: false, busy: true })

    // Then the whole plan shows: every section's editor, every initiative and the comments.
    await expect
      .poll(() => fran.page.locator('.rich-text[contenteditable="true"]').count(), { timeout: 15_000 })
      .toBe(PLAN_SECTIONS.length)
    await expect.poll(() => fran.page.locator('article.initiative-card').count(), { timeout: 15_000 }).toBe(INITIATIVES)
    await fran.page.getByRole('navigation', { name: 'Plan contents' }).waitFor({ timeout: 15_000 })
    await fran.page.locator('.comments-sidebar').waitFor({ timeout: 15_000 })
    await fran.page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    await expect.poll(() => fran.page.locator('[aria-busy="true"]').count(), { timeout: 15_000 }).toBe(0)
    // Typing in the first section works as before, and is saved.
    await typeInFirstSectionAndSeeItStored(fran.page, plan.docName, ' Typed.')
    await screenshot(fran.page, 'plan-opened-whole')
    expect(await seriousA11yViolations(fran.page)).toEqual([])
    expect(fran.errors).toEqual([])
  })

  it('connects to the plan as the page starts, without waiting for its summary, and edits over that one connection', async () => {
    const plan = await largePlan('Plan connected early')
    const fran = await suite.person(FACILITATOR)
    // The plan's summary is held until the page has the plan's document.
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    await fran.page.route(new RegExp(`/api/plans/${plan.id}$`), async (route) => {
      await released
      await route.continue()
    })
    let sockets = 0
    let framesIn = 0
    fran.page.on('websocket', (ws) => {
      if (!ws.url().includes(`/collab/${plan.docName}?`)) return
      sockets++
      ws.on('framereceived', () => {
        framesIn++
      })
    })
    await fran.page.goto(planUrl(suite.server, plan))
    // The document arrives while the summary is still on its way.
    await expect.poll(() => framesIn, { timeout: 15_000 }).toBeGreaterThan(1)
    expect(sockets).toBe(1)
    release()
    await fran.page.locator('#editor-section-problem[contenteditable="true"]').waitFor({ timeout: 15_000 })
    await fran.page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    expect(sockets).toBe(1)
    // That connection is the editor's: what is typed is saved, and the page says so.
    await typeInFirstSectionAndSeeItStored(fran.page, plan.docName, ' Early.')
    await fran.page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    expect(sockets).toBe(1)
    expect(fran.errors).toEqual([])
  })

  it('opens a plan without the code of its other tabs and its history, fetches each when pointed at, focused or opened, and says so when it cannot', async () => {
    const plan = await largePlan('Plan with tabs')
    const fran = await suite.person(FACILITATOR)
    const scripts: string[] = []
    fran.page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname)
    })
    const laterCode = /\/assets\/(PlanDashboard|CheckInsPanel|HistoryDialog)-[^/]*\.js$/
    // The progress tab's code cannot be fetched (the connection dropped, or Lever was updated).
    await fran.page.route(/\/assets\/CheckInsPanel-[^/]*\.js$/, (route) => route.abort())
    await fran.page.goto(planUrl(suite.server, plan))
    await fran.page.locator('#editor-section-problem[contenteditable="true"]').waitFor({ timeout: 15_000 })
    await fran.page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    await expect.poll(() => fran.page.locator('[aria-busy="true"]').count(), { timeout: 15_000 }).toBe(0)
    // The whole plan is open, and none of that code was fetched.
    expect(scripts.some((s) => /\/assets\/PlanRoute-[^/]*\.js$/.test(s))).toBe(true)
    expect(scripts.filter((s) => laterCode.test(s))).toEqual([])

    // The dashboard's code comes as soon as its tab is pointed at, before it is opened.
    const fetched = (name: string) => scripts.some((s) => new RegExp(`/assets/${name}-[^/]*\\.js$`).test(s))
    await fran.page.getByRole('tab', { name: 'Dashboard' }).hover()
    await expect.poll(() => fetched('PlanDashboard'), { timeout: 15_000 }).toBe(true)
    await fran.page.getByRole('tab', { name: 'Dashboard' }).click()
    await fran.page.getByTestId('plan-dashboard').waitFor({ timeout: 15_000 })
    // The history's, as soon as its button has the keyboard's focus.
    expect(fetched('HistoryDialog')).toBe(false)
    await fran.page.getByRole('button', { name: 'History' }).focus()
    await expect.poll(() => fetched('HistoryDialog'), { timeout: 15_000 }).toBe(true)
    await fran.page.keyboard.press('Enter')
    const history = fran.page.getByRole('dialog', { name: 'Version history' })
    await history.waitFor({ timeout: 15_000 })
    await history.getByRole('button', { name: 'Close' }).click()
    await history.waitFor({ state: 'hidden' })

    // A tab whose code cannot be fetched says so, and offers to reload; the plan is still there.
    await fran.page.getByRole('tab', { name: 'Progress' }).click()
    const missing = fran.page.getByRole('alert').filter({ hasText: 'This tab could not be loaded' })
    await missing.waitFor({ timeout: 15_000 })
    // Under the plan's own heading, the notice is a section of the page, not a second page title.
    await missing.getByRole('heading', { level: 2, name: 'This tab could not be loaded' }).waitFor()
    await missing.getByRole('button', { name: 'Try again' }).waitFor()
    await fran.page.getByRole('tab', { name: 'Plan' }).click()
    await fran.page.locator('#editor-section-problem[contenteditable="true"]').waitFor({ timeout: 15_000 })
    // The only error is the refused fetch.
    expect(fran.errors.filter((e) => !/Failed to load resource|CheckInsPanel/.test(e))).toEqual([])
  })

  it('says a page whose code cannot be fetched could not be loaded, as the page heading, and offers a reload that opens it', async () => {
    const fran = await suite.person(FACILITATOR)
    let refuse = true
    await fran.page.route(/\/assets\/PeoplePage-[^/]*\.js$/, (route) => (refuse ? route.abort() : route.continue()))
    await fran.page.goto(`${suite.server.url}/people`)
    const missing = fran.page.getByRole('alert').filter({ hasText: 'This page could not be loaded' })
    await missing.waitFor({ timeout: 15_000 })
    // Nothing else is on the page to title it: the notice is the page's one level-1 heading.
    await missing.getByRole('heading', { level: 1, name: 'This page could not be loaded' }).waitFor()
    expect(await fran.page.getByRole('heading', { level: 1 }).count()).toBe(1)
    expect(await missing.textContent()).toContain('Reloading fixes it')
    // The connection is back: "Try again" reloads, and the page opens.
    refuse = false
    await missing.getByRole('button', { name: 'Try again' }).click()
    await fran.page.getByRole('heading', { level: 1, name: 'People' }).waitFor({ timeout: 15_000 })
    expect(fran.errors.filter((e) => !/Failed to load resource|PeoplePage/.test(e))).toEqual([])
  })

  it('asks someone not signed in who follows a plan link to sign in, without saying a session ended, then opens the plan', async () => {
    const plan = await largePlan('Plan behind a link')
    const visitor = await suite.person(FACILITATOR)
    await visitor.context.clearCookies()
    // Whether the page ever said a session ended, from its start to the plan shown.
    await visitor.page.addInitScript({
      content: `window.__leverEndedNotice = false
        new MutationObserver(() => {
          if (document.querySelector('[data-testid="signed-out-notice"]')) window.__leverEndedNotice = true
        }).observe(document, { childList: true, subtree: true })`,
    })
    const refused = visitor.page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/plans/${plan.id}` && r.status() === 401,
    )
    await visitor.page.goto(planUrl(suite.server, plan))
    // The plan's summary was asked for as the page started, and refused.
    await refused
    await visitor.page.getByLabel('Email address').waitFor({ timeout: 15_000 })
    await visitor.page.getByLabel('Email address').fill(FACILITATOR)
    await visitor.page.getByLabel('Password').fill(DEMO_PASSWORD)
    await visitor.page.getByRole('button', { name: 'Sign in' }).click()
    await visitor.page.locator('#editor-section-problem[contenteditable="true"]').waitFor({ timeout: 15_000 })
    await visitor.page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    expect(await visitor.page.locator('h1').first().textContent()).toContain('Plan behind a link')
    // That refusal was not taken for a session that ended.
    expect(
      await visitor.page.evaluate(() => (window as unknown as { __leverEndedNotice: boolean }).__leverEndedNotice),
    ).toBe(false)
    // The browser notes the refused request; nothing else went wrong.
    expect(visitor.errors.filter((e) => !/status of 401/.test(e))).toEqual([])
  })

  it('opens the plan for typing without waiting for its jurisdiction, and names the jurisdiction once it comes', async () => {
    const plan = await largePlan('Plan before its jurisdiction')
    const fran = await suite.person(FACILITATOR)
    // The jurisdiction's answer is held until the plan could be typed in.
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    let asked = 0
    await fran.page.route(/\/api\/jurisdictions\/boulder-co$/, async (route) => {
      asked++
      await released
      await route.continue()
    })
    await fran.page.goto(planUrl(suite.server, plan))
    await fran.page.locator('#editor-section-problem[contenteditable="true"]').waitFor({ timeout: 15_000 })
    expect(asked).toBeGreaterThan(0)
    // Meanwhile the header names the jurisdiction by its id; then by its name and agency.
    await expect(fran.page.locator('.plan-meta__jurisdiction').textContent()).resolves.toBe('boulder-co')
    release()
    await expect
      .poll(() => fran.page.locator('.plan-meta__jurisdiction').textContent(), { timeout: 15_000 })
      .toMatch(/^City of Boulder · /)
    expect(fran.errors).toEqual([])
  })

  it('builds the whole plan at once when the link leads to a place in it', async () => {
    const plan = await largePlan('Linked plan')
    const fran = await suite.person(FACILITATOR)
    await fran.page.addInitScript({ content: FIRST_SECTION_WATCH })
    await fran.page.goto(`${planUrl(suite.server, plan)}#section-communityEngagement`)
    const first = () =>
      fran.page.evaluate(
        () => (window as unknown as { __leverAtFirstSection: AtFirstSection | null }).__leverAtFirstSection,
      )
    await expect.poll(first, { timeout: 15_000 }).not.toBeNull()
    expect(await first()).toMatchObject({ editors: PLAN_SECTIONS.length, busy: false })
    // The link's place is reached: its heading has focus.
    await expect
      .poll(() => fran.page.evaluate(() => document.activeElement?.id ?? ''), { timeout: 15_000 })
      .toBe('heading-section-communityEngagement')
    expect(fran.errors).toEqual([])
  })
})
