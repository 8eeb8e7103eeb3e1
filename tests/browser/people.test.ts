import { describe, expect, it } from 'vitest'
import { browserSuite, planUrl, seriousA11yViolations } from '../support/browser.ts'
import { COACH, createPlan, FACILITATOR, lead, updatePerson } from '../support/server.ts'
import { viewShot } from './commentHelpers.ts'

describe('people management by facilitators', () => {
  const suite = browserSuite()

  it('invites a person whose one-time link sets a password and signs them in; deactivating them signs them out of the plan they have open', async () => {
    const fran = await suite.person(FACILITATOR)
    const f = fran.page
    await f.goto(suite.server.url)
    await f.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).click()
    await f.getByRole('heading', { name: 'People', level: 1 }).waitFor()
    await f.getByTestId('people').getByText('coach@demo.test').waitFor()

    // Inline validation from the shared schemas, before anything is sent.
    await f.getByRole('button', { name: 'Create invitation' }).click()
    await f.getByText('A name is needed.').waitFor()
    await f.getByText('Enter a valid email address.').waitFor()
    await f.getByText('Choose the jurisdiction this person works for.').waitFor()
    expect(await seriousA11yViolations(f)).toEqual([])

    await f.getByLabel('Name', { exact: true }).fill('Bea Boulder')
    await f.getByLabel('Email address').fill('bea@boulder.example')
    await f.getByLabel('Team').selectOption({ label: 'City of Boulder' })
    await f.getByRole('button', { name: 'Create invitation' }).click()
    const link = f.getByLabel('Invitation link for Bea Boulder')
    await link.waitFor()
    await f.getByRole('button', { name: 'Copy link' }).click()
    await f.getByText(/Copied to the clipboard|press Ctrl\+C/).waitFor()
    const row = f.getByTestId('people').locator('tr', { hasText: 'bea@boulder.example' })
    await row.getByText('Invited, no password yet').waitFor()
    await viewShot(f, 'people-invite')
    const inviteUrl = await link.inputValue()
    expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/)

    // Bea opens the link in a browser of her own, sets a password, and is signed in.
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    suite.track({ context, page, errors: [] })
    await page.goto(inviteUrl)
    await page.getByRole('heading', { name: 'Welcome to Lever' }).waitFor()
    await page.getByLabel('New password').fill('short')
    await page.getByRole('button', { name: 'Set password and continue' }).click()
    await page.getByRole('alert').getByText('Use at least 12 characters.').waitFor()
    await page.getByLabel('New password').fill('bea-strong-password')
    await page.getByRole('button', { name: 'Set password and continue' }).click()
    await page.getByText('Bea Boulder').first().waitFor()
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'People' }).count(),
    ).resolves.toBe(0)
    // The link works once.
    const again = await context.newPage()
    await again.goto(inviteUrl)
    await again.getByText('This invitation cannot be used').waitFor()
    await again.close()
    // People management is for facilitators only.
    await page.goto(`${suite.server.url}/people`)
    await page.getByRole('heading', { name: 'Only facilitators manage people' }).waitFor()
    // A plan of another team that is not shared with the cohort says so (not a blank page).
    const elsewhere = await createPlan(suite.server, { jurisdictionId: 'durham-nc', title: 'Durham private plan' })
    await page.goto(`${suite.server.url}/plans/${elsewhere.id}`)
    await page.getByRole('heading', { name: 'This plan is not shared with you' }).waitFor()
    await page.getByText('Ask them or a facilitator for access.').waitFor()

    // Bea works on her team's plan; a facilitator deactivates her meanwhile.
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder people plan' })
    await page.goto(planUrl(suite.server, plan))
    await page.getByText('All changes saved').waitFor()
    await f.reload()
    await row.getByText('Active').waitFor()
    await row.getByRole('button', { name: 'Manage Bea Boulder' }).click()
    const dialog = f.getByRole('dialog', { name: 'Manage Bea Boulder' })
    await dialog.getByRole('button', { name: 'Deactivate…' }).click()
    const confirm = f.getByRole('dialog', { name: 'Deactivate Bea Boulder?' })
    expect(await seriousA11yViolations(f)).toEqual([])
    await confirm.getByRole('button', { name: 'Deactivate', exact: true }).click()
    await row.getByText('Deactivated').waitFor()

    await page
      .getByRole('alert')
      .getByText(/You were signed out/)
      .waitFor({ timeout: 5_000 })
    await viewShot(page, 'people-signed-out')
    // The alert's link leads to the sign-in page; the page may also get there by itself, as soon as
    // it next asks the server for something (people changed, so its lists refresh).
    const signInAgain = page.getByRole('link', { name: 'Sign in again' })
    if (await signInAgain.isVisible()) await signInAgain.click({ timeout: 3_000 }).catch(() => undefined)
    await page.getByTestId('signed-out-notice').waitFor()
    await page.getByLabel('Email address').fill('bea@boulder.example')
    await page.getByLabel('Password').fill('bea-strong-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').getByText('That email and password do not match an active account.').waitFor()

    // Reactivated, she signs in with the password she set.
    await row.getByRole('button', { name: 'Manage Bea Boulder' }).click()
    await dialog.getByRole('button', { name: 'Reactivate…' }).click()
    await f.getByRole('dialog', { name: 'Reactivate Bea Boulder?' }).getByRole('button', { name: 'Reactivate' }).click()
    await row.getByText('Active').waitFor()
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page
      .getByRole('heading', { name: 'Boulder people plan' })
      .or(page.getByText('Bea Boulder').first())
      .first()
      .waitFor()
    expect(fran.errors).toEqual([])
  })

  it('assigns a coach to jurisdictions and changes a person’s role and team', async () => {
    const fran = await suite.person(FACILITATOR)
    const f = fran.page
    await f.goto(`${suite.server.url}/people`)
    const coachRow = f.getByTestId('people').locator('tr', { hasText: 'coach@demo.test' })
    await coachRow.getByText(/Coaches .*City of Boulder/).waitFor()
    await coachRow.getByRole('button', { name: /^Manage/ }).click()
    const dialog = f.getByRole('dialog', { name: /^Manage/ })
    await dialog.getByRole('checkbox', { name: 'City of Tulsa' }).check()
    await dialog.getByRole('checkbox', { name: 'City of Boulder' }).uncheck()
    expect(await seriousA11yViolations(f)).toEqual([])
    await viewShot(f, 'people-manage-coach')
    await dialog.getByRole('button', { name: 'Save changes' }).click()
    await coachRow.getByText(/City of Tulsa/).waitFor()
    await expect(coachRow.textContent()).resolves.not.toMatch('City of Boulder')

    const leadRow = f.getByTestId('people').locator('tr', { hasText: lead('durham-nc') })
    await leadRow.getByRole('button', { name: /^Manage/ }).click()
    await dialog.getByLabel('Role').selectOption('coach')
    await dialog.getByRole('button', { name: 'Save changes' }).click()
    await leadRow.getByText('No jurisdictions assigned yet').waitFor()
    await leadRow.getByRole('button', { name: /^Manage/ }).click()
    await dialog.getByLabel('Role').selectOption('member')
    await dialog.getByRole('button', { name: 'Save changes' }).click()
    await dialog.getByText('Choose the jurisdiction this person works for.').waitFor()
    await dialog.getByLabel('Team').selectOption({ label: 'City of Durham' })
    await dialog.getByRole('button', { name: 'Save changes' }).click()
    await leadRow.getByRole('cell', { name: 'City of Durham', exact: true }).waitFor()
    await leadRow.getByText('Team member').waitFor()
    expect(fran.errors).toEqual([])
  })

  it('gives someone who has a plan open their new access when a facilitator changes their role', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'atlanta-ga', title: 'Atlanta plan' })
    const cory = await suite.person(COACH)
    await cory.page.goto(planUrl(suite.server, plan))
    await cory.page.getByText('Comment only').waitFor()
    const res = await updatePerson(suite.server, COACH, { role: 'facilitator' })
    expect(res.status).toBe(200)
    // The server closes the connection (its mode changed); the page reopens the plan, now editable.
    await cory.page.getByRole('button', { name: 'Undo' }).waitFor({ timeout: 5_000 })
    await expect(cory.page.getByText('Comment only').count()).resolves.toBe(0)
    await cory.page.locator('#editor-section-problem').click()
    await cory.page.keyboard.type('Now I can write.')
    await cory.page.getByText('All changes saved').waitFor()
    await expect(cory.page.getByTestId('connection-state').textContent()).resolves.toMatch(/Connected/)
  })

  it('renames someone while they edit: everyone sees the new name, and their edits keep saving', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'durham-nc', title: 'Durham rename plan' })
    const url = planUrl(suite.server, plan)
    const dana = await suite.person(lead('durham-nc'))
    const fran = await suite.person(FACILITATOR)
    await Promise.all([dana.page.goto(url), fran.page.goto(url)])
    await dana.page.getByText('All changes saved').waitFor()
    await fran.page.getByTestId('presence').getByText('City of Durham lead', { exact: true }).waitFor()

    const res = await updatePerson(suite.server, lead('durham-nc'), { name: 'Dana Durham' })
    expect(res.status).toBe(200)
    // Dana's page learns her new name before it reconnects (the server accepts no presence under the old one).
    await dana.page.getByTestId('presence').getByText('Dana Durham (you)').waitFor({ timeout: 5_000 })
    await fran.page.getByTestId('presence').getByText('Dana Durham', { exact: true }).waitFor({ timeout: 5_000 })
    await dana.page.locator('#editor-section-problem').click()
    await dana.page.keyboard.type('Written after the rename.')
    await dana.page.getByText('All changes saved').waitFor()
    await fran.page
      .locator('#editor-section-problem')
      .getByText('Written after the rename.')
      .waitFor({ timeout: 2_000 })
    await expect(dana.page.getByTestId('connection-state').textContent()).resolves.toMatch(/Connected/)
    expect(dana.errors).toEqual([])
  })
})
