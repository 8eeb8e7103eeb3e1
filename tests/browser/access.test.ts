import { PlanModel } from '@lever/shared'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot, whenBuilt } from '../support/browser.ts'
import { addPerson, COACH, createPlan, DEMO_PASSWORD, lead } from '../support/server.ts'

/** How long a live edit may take to reach another browser. */
const LIVE = 2_000
const TEAMMATE = 'bo@boulder.example'

/** Types at the end of a prose section's editor. */
async function typeInSection(page: Page, sectionId: string, text: string): Promise<void> {
  await page.locator(`#editor-section-${sectionId}`).click()
  await page.keyboard.press('ControlOrMeta+End')
  await page.keyboard.type(text)
}

describe('who may open and edit a plan, in the browser', () => {
  const suite = browserSuite()

  it('lets two members of one team, one signed in through the sign-in page, co-edit a section live', async () => {
    await addPerson(suite.server, { email: TEAMMATE, name: 'Bo Boulder', role: 'member', jurisdictionId: 'boulder-co' })
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder access plan' })
    const url = planUrl(suite.server, plan)

    // Bo signs in as a person would: the sign-in page, then on to the plan he asked for.
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    const bo = suite.track({ context, page, errors: [] })
    await bo.page.goto(url)
    await bo.page.getByRole('heading', { name: 'Sign in to Lever' }).waitFor()
    await bo.page.getByLabel('Email address').fill(TEAMMATE)
    await bo.page.getByLabel('Password').fill('not-his-password')
    await bo.page.getByRole('button', { name: 'Sign in' }).click()
    await bo.page.getByRole('alert').waitFor()
    await bo.page.getByLabel('Password').fill(DEMO_PASSWORD)
    await bo.page.getByRole('button', { name: 'Sign in' }).click()
    await bo.page.getByText('All changes saved').waitFor()
    expect(new URL(bo.page.url()).pathname).toBe(`/plans/${plan.id}`)

    const lee = await suite.person(lead('boulder-co'))
    await openPlan([lee], url)
    const presence = (p: Page) => p.getByTestId('presence')
    await presence(bo.page).getByText('City of Boulder lead', { exact: true }).waitFor({ timeout: LIVE })
    await presence(lee.page).getByText('Bo Boulder', { exact: true }).waitFor({ timeout: LIVE })

    await typeInSection(bo.page, 'problem', 'Bo: a third of city contracts pay below a living wage.')
    await lee.page
      .locator('#editor-section-problem')
      .getByText('Bo: a third of city contracts pay below a living wage.')
      .waitFor({ timeout: LIVE })
    await typeInSection(lee.page, 'problem', ' Lee: contractors report high turnover.')
    await bo.page.locator('#editor-section-problem').getByText('Lee: contractors report high turnover.').waitFor({
      timeout: LIVE,
    })
    await bo.page.getByText('All changes saved').waitFor()
    await lee.page.getByText('All changes saved').waitFor()
    await screenshot(bo.page, 'access-team-members-co-editing')
    expect(bo.errors).toEqual([])
    expect(lee.errors).toEqual([])
  })

  it('refuses a peer an unshared plan and shows it read-only once the team shares it', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder sharing plan' })
    const url = planUrl(suite.server, plan)
    const lee = await suite.person(lead('boulder-co'))
    await openPlan([lee], url)
    await typeInSection(lee.page, 'problem', 'Our baseline, written by the team.')
    await lee.page.getByText('All changes saved').waitFor()

    const tia = await suite.person(lead('tulsa-ok'))
    await tia.page.goto(url)
    await tia.page.getByRole('heading', { name: 'This plan is not shared with you' }).waitFor()
    await tia.page.goto(`${suite.server.url}/jurisdictions/boulder-co`)
    await tia.page.getByText('No plans you can open yet.').waitFor()

    await lee.page.getByLabel('Shared with the cohort').check()
    await lee.page.getByText('All changes saved').waitFor()
    // The sharing flag reaches the plan index within a couple of seconds; the peer then finds it listed.
    await expect
      .poll(
        async () => {
          await tia.page.reload()
          await tia.page.getByRole('heading', { name: 'Action plans' }).waitFor()
          return tia.page.getByRole('link', { name: 'Boulder sharing plan' }).count()
        },
        { timeout: 10_000, interval: 500 },
      )
      .toBe(1)
    await tia.page.getByRole('link', { name: 'Boulder sharing plan' }).click()
    await tia.page.getByText('Read only', { exact: true }).waitFor()
    const editor = tia.page.locator('#editor-section-problem')
    await editor.getByText('Our baseline, written by the team.').waitFor()
    await expect(editor.getAttribute('contenteditable')).resolves.toBe('false')
    await whenBuilt(tia.page)
    await expect(tia.page.getByRole('button', { name: /^Add initiative/ }).count()).resolves.toBe(0)
    await expect(tia.page.getByLabel('Shared with the cohort').isDisabled()).resolves.toBe(true)

    // Typing into the read-only section changes nothing, for the peer or for the team.
    await editor.click()
    await tia.page.keyboard.type('peer was here')
    await typeInSection(lee.page, 'problem', ' Still the team’s words.')
    await editor.getByText('Still the team’s words.', { exact: false }).waitFor({ timeout: LIVE })
    await expect(editor.textContent()).resolves.not.toContain('peer was here')
    await expect(lee.page.locator('#editor-section-problem').textContent()).resolves.not.toContain('peer was here')
    await expect(tia.page.getByTestId('connection-state').textContent()).resolves.toMatch(/Connected/)
    await screenshot(tia.page, 'access-peer-read-only')
  })

  it('keeps a coach out of a jurisdiction they are not assigned to, and lets them comment on one they are', async () => {
    const tulsa = await createPlan(suite.server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa private plan' })
    const boulder = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder coached plan' })
    const cory = await suite.person(COACH)

    await cory.page.goto(`${suite.server.url}/jurisdictions/tulsa-ok`)
    await cory.page.getByRole('heading', { name: 'Action plans' }).waitFor()
    await cory.page.getByText('No plans you can open yet.').waitFor()
    await expect(cory.page.getByRole('link', { name: 'Tulsa private plan' }).count()).resolves.toBe(0)
    await expect(cory.page.getByRole('button', { name: 'Create plan' }).count()).resolves.toBe(0)

    await cory.page.goto(planUrl(suite.server, tulsa))
    await cory.page.getByRole('heading', { name: 'This plan is not shared with you' }).waitFor()
    await cory.page.getByText('Ask them or a facilitator for access.').waitFor()
    await expect(cory.page.locator('#editor-section-problem').count()).resolves.toBe(0)
    await screenshot(cory.page, 'access-coach-refused')

    // Boulder is one of the coach's jurisdictions: listed, opened, comment only.
    await cory.page.goto(`${suite.server.url}/jurisdictions/boulder-co`)
    await cory.page.getByRole('link', { name: 'Boulder coached plan' }).click()
    await cory.page.getByText('Comment only', { exact: true }).waitFor()
    expect(new URL(cory.page.url()).pathname).toBe(`/plans/${boulder.id}`)
    // The coach can select words to comment on, but typing does not change the plan.
    const editor = cory.page.locator('#editor-section-problem')
    await editor.click()
    await cory.page.keyboard.type('coach rewrite')
    await expect(editor.textContent()).resolves.not.toContain('coach rewrite')
    await cory.page.getByText('All changes saved').waitFor()
    await expect(cory.page.getByTestId('connection-state').textContent()).resolves.toMatch(/Connected/)

    // A warning takes the coach to the field to look at it; fixing it is the team's.
    await suite.server.rooms.withRoom(boulder.docName, (room) =>
      room.transactServer((doc) => {
        new PlanModel(doc).addInitiative('procurement', { title: 'Wage floor in contracts' })
      }),
    )
    const warnings = cory.page.locator('#plan-warnings')
    await warnings
      .getByRole('button', { name: /^Show me: / })
      .first()
      .waitFor()
    await expect(warnings.getByRole('button', { name: /^Fix this/ }).count()).resolves.toBe(0)
  })
})
