import path from 'node:path'
import { PlanModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, browserSuite, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { connectClient, synced } from '../support/clients.ts'
import { COACH, createPlan, FACILITATOR, lead, signIn, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

describe('templates, borrowing from peers and the coaching log in the browser', () => {
  const suite = browserSuite()

  it('a team starts a plan from the action-plan template and adds an initiative template into a lever', async () => {
    const ana = await suite.person(lead('boulder-co'))
    const page = ana.page
    await page.goto(`${suite.server.url}/templates`)
    await page.getByRole('heading', { name: 'Templates', level: 1 }).waitFor()
    await page.getByTestId('templates').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'templates-list')

    await page.getByRole('button', { name: 'Start a plan from this template' }).click()
    const form = page.getByRole('form', { name: 'Start a plan from “Job-quality action plan”' })
    // Boulder's team may start plans only for Boulder: it is already chosen.
    expect(await form.getByLabel('Jurisdiction').inputValue()).toBe('boulder-co')
    await form.getByRole('button', { name: 'Start the plan' }).click()
    await form.getByRole('alert').waitFor()
    expect(await form.getByRole('alert').textContent()).toContain('title')
    await form.getByLabel('Plan title').fill('Boulder good jobs plan 2027')
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'templates-start-form')
    await form.getByRole('button', { name: 'Start the plan' }).click()
    await page.waitForURL(/\/plans\/[A-Za-z0-9_-]+$/, { timeout: 15_000 })
    await page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    await page.getByRole('heading', { name: 'Procurement: reward job quality in awards and contracts' }).waitFor()
    await page.getByRole('heading', { name: 'Empowerment: equip workers and businesses' }).waitFor()
    await page.getByText('Which workers and jobs in your jurisdiction').first().waitFor()
    expect(await page.getByTestId('plan-template').textContent()).toContain(
      'Started from the template “Job-quality action plan” (version',
    )

    // An initiative template goes into a chosen lever of the plan.
    await page.getByRole('button', { name: 'Add from template to HR practices' }).click()
    await page.getByLabel('Initiative template for HR practices').selectOption({
      label: 'Job-quality standards in public contracts',
    })
    await page.getByRole('button', { name: 'Add it' }).click()
    const hr = page.getByRole('list', { name: 'Initiatives under HR practices' })
    await hr.getByRole('heading', { name: 'Job-quality standards in public contracts' }).waitFor({ timeout: 15_000 })
    await expect
      .poll(() => hr.getByText('“Job-quality standards in public contracts” (version', { exact: false }).count(), {
        timeout: 15_000,
      })
      .toBe(1)
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'templates-plan-started')
    await hr.screenshot({ path: path.join(ARTIFACTS_DIR, 'templates-added-initiative.png') })
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'templates-plan-started-top.png') })

    const planId = new URL(page.url()).pathname.split('/').at(-1) as string
    const plan = await suite.server.plans.get(planId)
    const template = (
      (await await fetch(`${suite.server.url}/api/templates`, {
        headers: { authorization: `Bearer ${await signIn(suite.server, lead('boulder-co'))}` },
      }).then((r) => r.json())) as { templates: Array<{ id: string; kind: string }> }
    ).templates.find((t) => t.kind === 'plan')
    expect(plan?.template?.id).toBe(template?.id)
    expect(ana.errors).toEqual([])
  })

  it('a facilitator opens a template in the plan editor and changes it', async () => {
    const fay = await suite.person(FACILITATOR)
    const page = fay.page
    await page.goto(`${suite.server.url}/templates`)
    await page.getByRole('link', { name: 'Edit template “Job-quality standards in public contracts”' }).click()
    await page.getByLabel('Template title').waitFor({ timeout: 15_000 })
    await page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    await page.getByRole('button', { name: 'Edit Job-quality standards in public contracts' }).click()
    const owner = page.getByLabel('Owner').first()
    await owner.fill('Central procurement office')
    await page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'templates-editor')
    const template = (
      (await await fetch(`${suite.server.url}/api/templates`, {
        headers: { authorization: `Bearer ${await signIn(suite.server, FACILITATOR)}` },
      }).then((r) => r.json())) as { templates: Array<{ docName: string; kind: string }> }
    ).templates.find((t) => t.kind === 'initiative')
    await waitFor(
      async () =>
        (await suite.server.rooms.withRoom(template?.docName as string, (room) =>
          new PlanModel(room.doc).initiatives()[0]?.text('owner')?.toString(),
        )) === 'Central procurement office',
      { message: 'the template edit to be stored', timeoutMs: 15_000 },
    )
    expect(fay.errors).toEqual([])
  })

  it('a team copies an initiative from a plan another team shared, and the original team sees it was borrowed', async () => {
    const boulder = await signIn(suite.server, lead('boulder-co'))
    const source = await createPlan(suite.server, {
      jurisdictionId: 'boulder-co',
      token: boulder,
      title: 'Boulder shared plan',
    })
    const writer = connectClient(wsUrl(suite.server), source.docName, { params: { token: boulder } })
    await synced(writer)
    const model = new PlanModel(writer.doc)
    writer.doc.transact(() => {
      model.addInitiative('procurement', { title: 'Living wage in janitorial contracts' })
      model.setSharedWithCohort(true)
    })
    await waitFor(async () => (await suite.server.plans.get(source.id))?.sharedWithCohort === true, {
      message: 'sharing',
    })
    writer.destroy()
    const ohio = await signIn(suite.server, lead('ohio'))
    await createPlan(suite.server, { jurisdictionId: 'ohio', token: ohio, title: 'Ohio jobs plan' })

    const olu = await suite.person(lead('ohio'))
    const page = olu.page
    await page.goto(`${suite.server.url}/plans/${source.id}`)
    await page.getByRole('heading', { name: 'Living wage in janitorial contracts' }).waitFor({ timeout: 15_000 })
    await page.getByRole('button', { name: 'Copy to my plan “Living wage in janitorial contracts”' }).click()
    await page.getByLabel('Lever in your plan').selectOption('hrPractices')
    await page.getByRole('button', { name: 'Copy into “Ohio jobs plan”' }).click()
    await page.getByRole('status').filter({ hasText: 'Copied into' }).waitFor({ timeout: 15_000 })
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'borrow-copied')
    await page
      .getByRole('list', { name: 'Initiatives under Procurement' })
      .screenshot({ path: path.join(ARTIFACTS_DIR, 'borrow-copied-card.png') })
    await page.getByRole('link', { name: 'Ohio jobs plan' }).click()
    await page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    const copied = page.getByRole('list', { name: 'Initiatives under HR practices' })
    await copied.getByTestId('borrowed-from').waitFor({ timeout: 15_000 })
    expect(await copied.getByTestId('borrowed-from').textContent()).toContain(
      'City of Boulder’s plan “Boulder shared plan”',
    )
    await copied.screenshot({ path: path.join(ARTIFACTS_DIR, 'borrow-in-own-plan-card.png') })

    const ana = await suite.person(lead('boulder-co'))
    await ana.page.goto(`${suite.server.url}/plans/${source.id}`)
    await ana.page.getByText('All changes saved').waitFor({ timeout: 15_000 })
    await expect
      .poll(() => ana.page.getByTestId('borrow-count').textContent(), { timeout: 15_000 })
      .toBe('by 1 other team')
    await ana.page
      .getByRole('list', { name: 'Initiatives under Procurement' })
      .screenshot({ path: path.join(ARTIFACTS_DIR, 'borrow-count-card.png') })
    expect(olu.errors).toEqual([])
    expect(ana.errors).toEqual([])
  })

  it('a coach logs a session and the team and facilitators see the hours', async () => {
    const cory = await suite.person(COACH)
    const page = cory.page
    await page.goto(`${suite.server.url}/coaching`)
    await page.getByRole('heading', { name: 'Log a coaching session' }).waitFor()
    await page.getByLabel('Team', { exact: true }).selectOption({ label: 'City of Boulder' })
    await page.getByLabel('Minutes').fill('90')
    await page.getByRole('group', { name: 'Levers discussed' }).getByLabel('Procurement').check()
    await page.getByRole('group', { name: 'Job-quality components discussed' }).getByLabel('Wages').check()
    await page
      .getByLabel('Notes', { exact: true })
      .fill('Scored two bids on wages; the team wants sample contract language.')
    await page.getByLabel('Follow-ups').fill('Send sample contract language\nIntroduce Atlanta’s procurement lead')
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.getByRole('button', { name: 'Log the session' }).click()
    const log = page.getByTestId('coaching-log')
    await log.getByRole('heading', { name: 'City of Boulder: 1 h 30 min on' }).waitFor({ timeout: 15_000 })
    await page
      .getByRole('table')
      .getByRole('row', { name: /City of Boulder/ })
      .getByText('1 h 30 min')
      .waitFor()
    await screenshot(page, 'coaching-coach')
    // The coach corrects the length afterwards.
    await log.getByRole('button', { name: /^Edit the session of/ }).click()
    const edit = page.getByRole('form', { name: /^Edit the session of/ })
    // A cleared length is refused under its field, named once, and the field takes the focus.
    await edit.getByLabel('Minutes').fill('')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => edit.getByLabel('Minutes').getAttribute('aria-invalid')).toBe('true')
    expect(
      await edit.locator(`#${await edit.getByLabel('Minutes').getAttribute('aria-describedby')}`).textContent(),
    ).toBe('Minutes must be a number.')
    expect(await edit.getByLabel('Minutes').evaluate((el) => el === document.activeElement)).toBe(true)
    await edit.getByLabel('Minutes').fill('120')
    expect(await seriousA11yViolations(page)).toEqual([])
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await log.getByRole('heading', { name: 'City of Boulder: 2 h on' }).waitFor({ timeout: 15_000 })
    expect(cory.errors).toEqual([])

    const ana = await suite.person(lead('boulder-co'))
    await ana.page.goto(`${suite.server.url}/coaching`)
    await expect
      .poll(() => ana.page.getByTestId('hours-used').textContent(), { timeout: 15_000 })
      .toBe('2 h used of 4 h')
    expect(await ana.page.getByRole('progressbar').first().getAttribute('value')).toBe('120')
    await ana.page.getByText('Scored two bids on wages').waitFor()
    expect(await seriousA11yViolations(ana.page)).toEqual([])
    await screenshot(ana.page, 'coaching-team')
    await ana.page.goto(`${suite.server.url}/`)
    await expect
      .poll(() => ana.page.getByTestId('home-hours-used').textContent(), { timeout: 15_000 })
      .toBe('2 h used of 4 h')

    // Another team sees neither the session nor its notes.
    const olu = await suite.person(lead('ohio'))
    await olu.page.goto(`${suite.server.url}/coaching`)
    await olu.page.getByTestId('hours-used').waitFor()
    expect(await olu.page.getByText('Scored two bids').count()).toBe(0)

    const fay = await suite.person(FACILITATOR)
    await fay.page.goto(`${suite.server.url}/coaching`)
    await fay.page.getByTestId('hours-table').waitFor()
    expect(await fay.page.getByTestId('hours-flags').textContent()).toContain('19 have not used any yet')
    await fay.page
      .getByRole('row', { name: /City of Boulder/ })
      .getByText('On track')
      .waitFor()
    expect(await seriousA11yViolations(fay.page)).toEqual([])
    await screenshot(fay.page, 'coaching-facilitator')
    expect(ana.errors).toEqual([])
    expect(fay.errors).toEqual([])
  })
})
