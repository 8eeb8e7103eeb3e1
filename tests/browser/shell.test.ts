import { describe, expect, it } from 'vitest'
import { browserSuite } from '../support/browser.ts'
import { FACILITATOR } from '../support/server.ts'

describe('the built client served by the server', () => {
  const suite = browserSuite()

  it('loads from the same port as the API, asks who you are, and brings you back to the page you wanted', async () => {
    const context = await suite.browser.newContext()
    const page = await context.newPage()
    // A client-side route that is not a file still gets the app.
    const res = await page.goto(`${suite.server.url}/jurisdictions/boulder-co`)
    expect(res?.status()).toBe(200)
    await expect(page.title()).resolves.toMatch(/Lever/)
    await page.getByRole('heading', { name: 'Sign in to Lever' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/sign-in')

    await page.getByLabel('Email address').fill(FACILITATOR)
    await page.getByLabel('Password').fill('wrong-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('alert').waitFor()

    await page.getByLabel('Password').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'City of Boulder' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/jurisdictions/boulder-co')
    await page.getByText('Fran Facilitator').first().waitFor()
    await context.close()
  })
})
