import fs from 'node:fs'
import path from 'node:path'
import { REPO_ROOT } from '@lever/server'
import { type Browser, chromium, type Page } from 'playwright-core'

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'tests', 'artifacts')
export const CLIENT_DIST = path.join(REPO_ROOT, 'client', 'dist')

/** Debian's Chromium, headless, with the flags this sandbox needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  })
}

/** Saves a full-page screenshot under tests/artifacts/ and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}
