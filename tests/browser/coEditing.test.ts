import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, type Person, planUrl, screenshot } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

/** "Within a second": how long the other person may wait to see an edit (a wait timeout, not a benchmark). */
const LIVE = 1_000

describe('two people co-editing one plan', () => {
  const suite = browserSuite()

  it('shows prose and initiative edits to the other person within a second, shows who is where, and keeps everything across a reload and a server restart', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder good jobs plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('boulder-co')) // "City of Boulder lead"
    const fran = await suite.person(FACILITATOR) // "Fran Facilitator"
    await openPlan([ana, fran], url)

    // Presence: each sees both people.
    const presence = (p: Person) => p.page.getByTestId('presence')
    await presence(ana).getByText('Fran Facilitator').waitFor()
    await presence(fran).getByText('Fran Facilitator (you)').waitFor()
    await presence(fran).getByText('City of Boulder lead', { exact: true }).waitFor()
    await expect(presence(ana).getByText('City of Boulder lead (you)').count()).resolves.toBe(1)

    // Ana types in a prose section; Fran sees it without reloading.
    const prose = 'Warehouse jobs in Boulder pay below a living wage.'
    await ana.page.locator('#editor-section-problem').click()
    await ana.page.keyboard.type(prose)
    await fran.page.locator('#editor-section-problem').getByText(prose).waitFor({ timeout: LIVE })
    // ...and sees where Ana is.
    await presence(fran).getByText('In Problem and baseline').waitFor({ timeout: LIVE })

    // Ana adds an initiative and fills its fields; Fran sees them live.
    await ana.page.getByRole('button', { name: 'Add initiative to Procurement' }).click()
    const title = ana.page.getByLabel('Initiative title')
    await expect(title.evaluate((el) => el === document.activeElement)).resolves.toBe(true)
    await title.pressSequentially('Prevailing wage in county contracts')
    await ana.page.getByLabel('Owner', { exact: true }).fill('Procurement office')
    await ana.page.getByLabel('Status', { exact: true }).selectOption({ label: 'On track' })
    const franCard = fran.page.locator('article.initiative-card')
    await franCard.getByRole('heading', { name: 'Prevailing wage in county contracts' }).waitFor({ timeout: LIVE })
    await franCard.getByText('Procurement office').waitFor({ timeout: LIVE })
    await franCard.getByText('On track').waitFor({ timeout: LIVE })
    await presence(fran).getByText('On Prevailing wage in county contracts').waitFor({ timeout: LIVE })

    // Fran opens the initiative and types in the same field as Ana; both edits merge.
    await franCard.getByRole('button', { name: /^Edit/ }).click()
    const franOwner = fran.page.getByLabel('Owner', { exact: true })
    await expect(franOwner.inputValue()).resolves.toBe('Procurement office')
    await franOwner.press('End')
    await franOwner.pressSequentially(' and HR')
    await ana.page.getByLabel('Owner', { exact: true }).press('Home')
    await ana.page.getByLabel('Owner', { exact: true }).pressSequentially('County ')
    for (const p of [ana, fran]) {
      await expect
        .poll(() => p.page.getByLabel('Owner', { exact: true }).inputValue(), { timeout: LIVE * 2 })
        .toBe('County Procurement office and HR')
    }

    // A named, coloured caret shows where Fran types in prose.
    await fran.page.locator('#editor-section-theoryOfChange').click()
    await fran.page.keyboard.type('Better contracts lead to better jobs.')
    await ana.page
      .locator('#editor-section-theoryOfChange .collaboration-carets__label', { hasText: 'Fran Facilitator' })
      .waitFor({ timeout: LIVE })

    for (const p of [ana, fran]) await p.page.getByText('All changes saved').waitFor()
    await screenshot(ana.page, 'co-editing-ana')
    await screenshot(fran.page, 'co-editing-fran')

    // After a reload, everything is there.
    await fran.page.reload()
    await fran.page.locator('#editor-section-problem').getByText(prose).waitFor()
    await fran.page.getByRole('heading', { name: 'Prevailing wage in county contracts' }).waitFor()

    // After a server restart on the same data directory (and port), everything is still there:
    // the open pages reconnect by themselves, and a fresh load shows it too.
    await suite.stopServer()
    await ana.page
      .getByTestId('connection-state')
      .getByText(/Reconnecting|Offline/)
      .waitFor()
    await suite.startServer()
    for (const p of [ana, fran])
      await p.page.getByTestId('connection-state').getByText('Connected').waitFor({ timeout: 15_000 })
    await ana.page.reload()
    await ana.page.locator('#editor-section-problem').getByText(prose).waitFor()
    await ana.page
      .locator('#editor-section-theoryOfChange')
      .getByText('Better contracts lead to better jobs.')
      .waitFor()
    const card = ana.page.locator('article.initiative-card')
    await card.getByRole('heading', { name: 'Prevailing wage in county contracts' }).waitFor()
    await card.getByText('County Procurement office and HR').waitFor()
    await screenshot(ana.page, 'co-editing-after-restart')
    expect(
      [...ana.errors, ...fran.errors].filter(
        (e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e),
      ),
    ).toEqual([])
  })

  it('warns whoever removes an initiative that someone is working on it, and tells that person it was removed, with their focus', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder removal plan' })
    const ana = await suite.person(lead('boulder-co'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], planUrl(suite.server, plan))
    await ana.page.getByRole('button', { name: 'Add initiative to Policy' }).click()
    await ana.page.getByLabel('Initiative title').pressSequentially('Living wage ordinance')
    const owner = ana.page.getByLabel('Owner', { exact: true })
    await owner.fill('City council')
    await owner.focus()
    const franCard = fran.page.locator('#lever-policy article.initiative-card')
    await franCard.getByRole('heading', { name: 'Living wage ordinance' }).waitFor({ timeout: LIVE })

    // Fran's confirmation says Ana is in it.
    await fran.page.getByRole('button', { name: 'Remove initiative “Living wage ordinance”' }).click()
    const dialog = fran.page.getByRole('dialog', { name: 'Remove this initiative?' })
    await dialog
      .getByTestId('remove-while-editing')
      .getByText(/City of Boulder lead is working on it right now/)
      .waitFor()
    await screenshot(fran.page, 'remove-while-editing')
    await dialog.getByRole('button', { name: 'Remove initiative' }).click()

    // Ana is told, by name of the initiative, and the notice has her focus (not the page's body).
    const notice = ana.page.getByTestId('removed-while-open')
    await notice
      .getByText('“Living wage ordinance” was removed while you had it open', { exact: false })
      .waitFor({ timeout: LIVE })
    expect(await notice.getAttribute('role')).toBe('alert')
    await expect.poll(() => notice.evaluate((el) => el === document.activeElement)).toBe(true)
    await screenshot(ana.page, 'removed-while-open')
    await notice.getByRole('button', { name: 'Dismiss' }).click()
    await notice.waitFor({ state: 'hidden' })

    // Removing one's own initiative says nothing of the kind.
    await fran.page.getByRole('button', { name: 'Add initiative to Policy' }).click()
    await fran.page.getByLabel('Initiative title').pressSequentially('Fran’s own')
    await fran.page.getByRole('button', { name: 'Remove initiative “Fran’s own”' }).click()
    await fran.page
      .getByRole('dialog', { name: 'Remove this initiative?' })
      .getByRole('button', { name: 'Remove initiative' })
      .click()
    await franCard.waitFor({ state: 'detached' })
    expect(await fran.page.getByTestId('removed-while-open').count()).toBe(0)
  })

  it('keeps my caret where it was in a field when someone else types earlier in it, so both texts land where each person meant', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder caret plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('boulder-co'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], url)
    await ana.page.getByRole('button', { name: 'Add initiative to HR practices' }).click()
    await ana.page.getByLabel('Initiative title').fill('Career ladders')
    const anaRisks = ana.page.getByLabel('Risks')
    await anaRisks.fill('Budget cuts may stop hiring.')
    await fran.page.getByRole('button', { name: /^Edit/ }).click()
    const franRisks = fran.page.getByLabel('Risks')
    await expect.poll(() => franRisks.inputValue(), { timeout: LIVE }).toBe('Budget cuts may stop hiring.')

    // Ana's caret sits after "Budget cuts" while Fran types at the very start.
    await anaRisks.evaluate((el: HTMLTextAreaElement) => {
      el.focus()
      el.setSelectionRange(11, 11)
    })
    await franRisks.press('Control+Home')
    await franRisks.pressSequentially('Risk: ')
    await expect.poll(() => anaRisks.inputValue(), { timeout: LIVE }).toBe('Risk: Budget cuts may stop hiring.')
    await expect(anaRisks.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).resolves.toBe(17)
    await ana.page.keyboard.type(' or freezes')
    const expected = 'Risk: Budget cuts or freezes may stop hiring.'
    for (const field of [anaRisks, franRisks])
      await expect.poll(() => field.inputValue(), { timeout: LIVE }).toBe(expected)
  })
})
