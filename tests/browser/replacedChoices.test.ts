import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

const LIVE = 2_000

describe('a choice someone else replaced', () => {
  const suite = browserSuite()

  it('tells the person whose status was replaced who changed it, and puts theirs back in one click', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Choices plan' })
    const ana = await suite.person(lead('boulder-co')) // "City of Boulder lead"
    const fran = await suite.person(FACILITATOR) // "Fran Facilitator"
    await openPlan([ana, fran], planUrl(suite.server, plan))

    await ana.page.getByRole('button', { name: 'Add initiative to Procurement' }).click()
    await ana.page.getByLabel('Initiative title').fill('Career ladders')
    const anaStatus = ana.page.getByLabel('Status', { exact: true })
    await anaStatus.selectOption({ label: 'On track' })

    const franCard = fran.page.locator('article.initiative-card')
    await franCard.getByText('On track').waitFor({ timeout: LIVE })
    await franCard.getByRole('button', { name: /^Edit/ }).click()
    const franStatus = fran.page.getByLabel('Status', { exact: true })
    await franStatus.selectOption({ label: 'At risk' })

    // Ana, whose choice was replaced, is told who changed it and to what; Fran is told nothing.
    const anaNotice = ana.page.locator('.replaced-choice')
    await anaNotice
      .getByText('Fran Facilitator changed Status of “Career ladders” to At risk. You had chosen On track.')
      .waitFor({ timeout: LIVE })
    await expect.poll(() => anaStatus.inputValue()).toBe('atRisk')
    await expect(fran.page.locator('.replaced-choice').count()).resolves.toBe(0)
    await screenshot(ana.page, 'replaced-choice-notice')
    expect(await seriousA11yViolations(ana.page)).toEqual([])

    // One click puts hers back, as an ordinary edit both see.
    await anaNotice.getByRole('button', { name: 'Put back On track' }).click()
    for (const status of [anaStatus, franStatus])
      await expect.poll(() => status.inputValue(), { timeout: LIVE }).toBe('onTrack')
    await expect(anaNotice.count()).resolves.toBe(0)

    // Fran had chosen moments ago too, so now she is told, and may leave it as it is.
    const franNotice = fran.page.locator('.replaced-choice')
    await franNotice
      .getByText('City of Boulder lead changed Status of “Career ladders” to On track. You had chosen At risk.')
      .waitFor({ timeout: LIVE })
    await franNotice.getByRole('button', { name: 'Keep On track' }).click()
    await expect(franNotice.count()).resolves.toBe(0)
    await expect(franStatus.inputValue()).resolves.toBe('onTrack')
    expect([...ana.errors, ...fran.errors]).toEqual([])
  })
})
