import { describe, expect, it } from 'vitest'
import { browserSuite, planUrl, seriousA11yViolations } from '../support/browser.ts'
import { bearer, createPlan, lead, signIn } from '../support/server.ts'

describe('accounts: passwords and signing out everywhere', () => {
  const suite = browserSuite()

  it('says in the invitation form why a password is refused', async () => {
    const res = await fetch(`${suite.server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(await signIn(suite.server)) },
      body: JSON.stringify({ email: 'cy@tulsa.example', name: 'Cy Tulsa', role: 'member', jurisdictionId: 'tulsa-ok' }),
    })
    const { inviteUrl } = await res.json()
    const context = await suite.browser.newContext({ bypassCSP: true })
    const page = await context.newPage()
    suite.track({ context, page, errors: [] })
    await page.goto(inviteUrl)
    await page.getByRole('heading', { name: 'Welcome to Lever' }).waitFor()
    await page.getByText('At least 12 characters, and not one of the most common passwords.').waitFor()
    const password = page.getByLabel('New password')
    const submit = page.getByRole('button', { name: 'Set password and continue' })

    await password.fill('qwerty123456')
    await submit.click()
    await page
      .getByRole('alert')
      .getByText(/one of the most common passwords/)
      .waitFor()
    expect(await password.getAttribute('aria-invalid')).toBe('true')
    expect(await seriousA11yViolations(page)).toEqual([])

    await password.fill('aaaaaaaaaaaa')
    await submit.click()
    await page
      .getByRole('alert')
      .getByText(/Repeated characters/)
      .waitFor()

    await password.fill('fair wages for tulsa')
    await submit.click()
    await page.getByText('Cy Tulsa').first().waitFor()
  })

  it('signs a person out on every device from their menu, closing the plan they have open elsewhere', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa plan' })
    const laptop = await suite.person(lead('tulsa-ok'))
    const phone = await suite.person(lead('tulsa-ok'))
    await phone.page.goto(planUrl(suite.server, plan))
    await phone.page.getByText('All changes saved').waitFor()

    const page = laptop.page
    await page.goto(suite.server.url)
    const menuButton = page.getByRole('button', { name: /Account of .*Tulsa/ })
    await menuButton.focus()
    await page.keyboard.press('Enter')
    const menu = page.getByRole('menu', { name: 'Your account' })
    await menu.waitFor()
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true')
    // The first item has focus; the arrow keys move, Escape closes and returns to the button.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('Change password')
    await page.keyboard.press('ArrowDown')
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain('Sign out everywhere')
    expect(await seriousA11yViolations(page)).toEqual([])
    await page.keyboard.press('Escape')
    await expect.poll(() => menu.count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-haspopup'))).toBe('menu')

    await menuButton.click()
    await page.getByRole('menuitem', { name: /Sign out everywhere/ }).click()
    await page.getByRole('heading', { name: 'Sign in to Lever' }).waitFor()
    // The other device's open plan is closed at once, as for a deactivated person.
    await phone.page.getByText(/You were signed out/).waitFor()
    const me = await phone.page.evaluate(async () => (await fetch('/api/me')).status)
    expect(me).toBe(401)
  })

  it('changes the password from the menu, saying why a new one is refused, and signs the other devices out', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'ohio', title: 'Ohio plan' })
    const laptop = await suite.person(lead('ohio'))
    const phone = await suite.person(lead('ohio'))
    await phone.page.goto(planUrl(suite.server, plan))
    await phone.page.getByText('All changes saved').waitFor()

    const page = laptop.page
    await page.goto(suite.server.url)
    await page.getByRole('button', { name: /Account of .*Ohio/ }).click()
    await page.getByRole('menuitem', { name: 'Change password…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Change your password' })
    await dialog.waitFor()
    await dialog.getByLabel('Current password').fill('not my password')
    await dialog.getByLabel('New password').fill('a sturdy new passphrase')
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await dialog.getByText('Your current password is not right.').waitFor()

    await dialog.getByLabel('Current password').fill('demo-password')
    await dialog.getByLabel('New password').fill('password1234')
    await dialog.getByRole('button', { name: 'Change password' }).click()
    // The refusal itself (the field's hint says the rule in the same words).
    await dialog
      .getByRole('alert')
      .filter({ hasText: /one of the most common passwords/ })
      .waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])

    await dialog.getByLabel('New password').fill('a sturdy new passphrase')
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => dialog.count()).toBe(0)
    // This device stays signed in; the other one is signed out at once.
    await phone.page.getByText(/You were signed out/).waitFor()
    expect(await page.evaluate(async () => (await fetch('/api/me')).status)).toBe(200)
  })
})
