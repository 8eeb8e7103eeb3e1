import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot } from '../support/browser.ts'
import { addPerson, createPlan, lead } from '../support/server.ts'

const LIVE = 2_000

/** Each person in the presence list: name, the initials on their avatar and its colour. */
async function presence(page: Page): Promise<Array<{ name: string; initials: string; color: string }>> {
  return page.getByTestId('presence').evaluate((list) =>
    Array.from(list.querySelectorAll('li')).map((li) => {
      const avatar = li.querySelector('.avatar') as HTMLElement
      return {
        name: (li.querySelector('.presence__name')?.textContent ?? '').replace(' (you)', ''),
        initials: avatar.textContent ?? '',
        color: getComputedStyle(avatar).backgroundColor,
      }
    }),
  )
}

describe('people in one plan are told apart', () => {
  const suite = browserSuite()

  it('shows two people whose own colours are the same in different colours, with initials from their names', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Colours plan' })
    const users = suite.server.auth.users
    const leadColor = (await users.getByEmail(lead('boulder-co')))?.color
    // A teammate whose own colour is the lead's (people are given colours by their id).
    let teammate = ''
    for (let i = 0; i < 60 && !teammate; i++) {
      const email = `casey${i}@boulder.test`
      await addPerson(suite.server, { email, name: 'Casey Lee', role: 'member', jurisdictionId: 'boulder-co' })
      if ((await users.getByEmail(email))?.color === leadColor) teammate = email
    }
    expect(teammate).not.toBe('')

    const ana = await suite.person(lead('boulder-co'))
    const casey = await suite.person(teammate)
    await openPlan([ana, casey], planUrl(suite.server, plan))
    for (const p of [ana, casey]) await expect.poll(async () => (await presence(p.page)).length).toBe(2)

    // Both see the same two colours, and they differ; initials come from the names.
    let seen: Array<{ name: string; initials: string; color: string }> = []
    await expect
      .poll(async () => {
        const [a, c] = [await presence(ana.page), await presence(casey.page)]
        const byName = (list: typeof a) => [...list].sort((x, y) => x.name.localeCompare(y.name))
        seen = byName(a)
        return JSON.stringify(byName(a)) === JSON.stringify(byName(c)) && new Set(a.map((p) => p.color)).size === 2
      })
      .toBe(true)
    expect(seen.map((p) => [p.name, p.initials])).toEqual([
      ['Casey Lee', 'CL'],
      ['City of Boulder lead', 'CB'],
    ])

    // Casey's caret and its label, on Ana's page, are in Casey's colour.
    await casey.page.locator('#editor-section-problem').click()
    await casey.page.keyboard.type('Wages are low.')
    const label = ana.page.locator('#editor-section-problem .collaboration-carets__label', { hasText: 'Casey Lee' })
    await label.waitFor({ timeout: LIVE })
    const caseyColor = seen.find((p) => p.name === 'Casey Lee')?.color
    await expect.poll(() => label.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(caseyColor)
    await screenshot(ana.page, 'presence-colors-ana')
    expect([...ana.errors, ...casey.errors]).toEqual([])
  })
})
