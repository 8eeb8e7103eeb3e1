import type { LeverServer } from '@lever/server'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_DIST, launchBrowser } from '../support/browser.ts'
import { startServer } from '../support/server.ts'

describe('the built client served by the server', () => {
  let server: LeverServer
  let browser: Browser

  beforeAll(async () => {
    server = await startServer({ staticDir: CLIENT_DIST })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('loads from the same port as the API and reaches it', async () => {
    const page = await browser.newPage()
    await page.goto(server.url)
    await expect(page.title()).resolves.toBe('Lever')
    await page.getByText('Server: ok').waitFor()
    // A client-side route that is not a file still gets the app.
    const res = await page.goto(`${server.url}/jurisdictions/somewhere`)
    expect(res?.status()).toBe(200)
    await page.getByRole('heading', { name: 'Lever' }).waitFor()
  })
})
