import { PLAN_LAYOUT_VERSION } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { browserSuite, planUrl, screenshot } from '../support/browser.ts'
import { createPlan, lead } from '../support/server.ts'

describe('a newer server', () => {
  const suite = browserSuite()

  it('tells a page of the older release to reload, with a Reload button, instead of letting it write an old layout', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo upgrade plan' })
    const ana = await suite.person(lead('pueblo-co'))
    const a = ana.page
    await a.goto(planUrl(suite.server, plan))
    await a.getByText('All changes saved').waitFor()

    // A new release with a newer plan layout goes live while the page is open.
    await suite.stopServer()
    await suite.startServer({ collab: { layoutVersions: { plan: PLAN_LAYOUT_VERSION + 1 } } })

    const alert = a.getByRole('alert').filter({ hasText: 'Lever has been updated — reload to continue.' })
    await alert.waitFor({ timeout: 15_000 })
    const reload = alert.getByRole('button', { name: 'Reload' })
    await reload.focus()
    expect(await reload.evaluate((el) => el === document.activeElement)).toBe(true)
    await screenshot(a, 'reload-required')
    await Promise.all([a.waitForEvent('load'), a.keyboard.press('Enter')])
    // The page loaded again (here the same old release, so it is told again).
    await a.getByRole('alert').filter({ hasText: 'Lever has been updated' }).waitFor({ timeout: 15_000 })
  })
})
