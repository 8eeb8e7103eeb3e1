import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { type CreateServerOptions, type LeverServer, REPO_ROOT } from '@lever/server'
import { type PlanSummary, SESSION_COOKIE } from '@lever/shared'
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { signIn, startServer, tempDir } from './server.ts'

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
      // Two people side by side: neither page may be throttled as a background one.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  })
}

/** Saves a full-page screenshot under tests/artifacts/ and returns its path. */
/**
 * Waits until no part of the page is still being built (`aria-busy`): the plan page shows its
 * first section first and builds the rest just after. Checks that something is absent, and axe,
 * look at the whole page only after this.
 */
export async function whenBuilt(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), undefined, { timeout: 15_000 })
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await whenBuilt(page)
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `${name}.png`)
  // From the top, so sticky bars sit where a person first sees them.
  await page.evaluate(() => window.scrollTo(0, 0))
  await page.screenshot({ path: file, fullPage: true })
  return file
}

type Viewport = { width: number; height: number }

export interface Person {
  context: BrowserContext
  page: Page
  /** Errors the page threw or logged; a test can assert there were none. */
  errors: string[]
}

/**
 * A browser context signed in as `email` (a demo account), with one page. Each person gets their
 * own context: own cookies, storage and WebSocket, as two people on two machines.
 */
export async function personFor(
  browser: Browser,
  server: { url: string },
  email: string,
  { viewport = { width: 1280, height: 900 } }: { viewport?: Viewport } = {},
): Promise<Person> {
  const token = await signIn(server, email)
  // bypassCSP lets tests inject axe-core; the app itself runs under the server's CSP otherwise.
  const context = await browser.newContext({ viewport, bypassCSP: true })
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url, httpOnly: true, sameSite: 'Lax' }])
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`)
  })
  return { context, page, errors }
}

/** What a browser test file works with: a server serving the built client, Chromium, and people. */
export interface BrowserSuite {
  /** The running server (a new one after `startServer()`). */
  readonly server: LeverServer
  readonly browser: Browser
  /** The people of the running test. */
  readonly people: readonly Person[]
  /** Someone signed in as `email` in a browser context of their own, closed after the test. */
  person(email: string, options?: { viewport?: Viewport }): Promise<Person>
  /** Closes `person` after the test too (for contexts a test made itself). */
  track(person: Person): Person
  /** Stops the server (open pages see it go away). */
  stopServer(): Promise<void>
  /** Starts the server again on the same port and data directory (a new release: other options). */
  startServer(options?: CreateServerOptions): Promise<void>
}

/**
 * Sets up a browser test file (call it at the top of a `describe`): one server serving the built
 * client and one Chromium for the file, each test's people closed after it, all stopped at the end.
 * `demoContent` seeds the demo's plans, second members and sessions (as DEMO=1 does).
 */
export function browserSuite({
  demoContent = false,
  serverOptions = {},
}: {
  demoContent?: boolean
  /** Options of the server the file starts with (and restarts with, under those of `startServer`). */
  serverOptions?: CreateServerOptions
} = {}): BrowserSuite {
  const dataDir = tempDir()
  const people: Person[] = []
  let server: LeverServer | null = null
  let browser: Browser | null = null
  let port = 0
  const suite: BrowserSuite = {
    get server() {
      if (!server) throw new Error('the server is not running')
      return server
    },
    get browser() {
      if (!browser) throw new Error('the browser is not running')
      return browser
    },
    people,
    async person(email, options) {
      return suite.track(await personFor(suite.browser, suite.server, email, options))
    },
    track(person) {
      people.push(person)
      return person
    },
    async stopServer() {
      port = suite.server.port
      await server?.close()
      server = null
    },
    async startServer(options = {}) {
      server = await startServer({
        ...serverOptions,
        ...options,
        staticDir: CLIENT_DIST,
        dataDir,
        port,
        auth: { demoContent, ...options.auth },
      })
    },
  }
  beforeAll(async () => {
    await suite.startServer()
    browser = await launchBrowser()
  })
  afterEach(async () => {
    for (const p of people.splice(0)) await p.context.close()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })
  return suite
}

/** The address of a plan's page. */
export function planUrl(server: { url: string }, plan: Pick<PlanSummary, 'id'>): string {
  return `${server.url}/plans/${plan.id}`
}

/** Opens the plan at `url` for each person and waits until each has it loaded and in sync. */
export async function openPlan(people: Person[], url: string): Promise<void> {
  await Promise.all(people.map((p) => p.page.goto(url)))
  for (const p of people) {
    await p.page.getByText('All changes saved').waitFor()
    await whenBuilt(p.page)
  }
}

const require = createRequire(import.meta.url)
let axeSource: string | null = null

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: Array<{ target: unknown; html: string; failureSummary?: string }>
}

/** Runs axe-core in the page and returns the violations of impact `serious` or `critical`. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await whenBuilt(page)
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
  await page.addScriptTag({ content: axeSource })
  const violations = await page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected as a global
    const axe = (window as any).axe
    const result = await axe.run(document, { resultTypes: ['violations'] })
    return result.violations as AxeViolation[]
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      ...v,
      nodes: v.nodes
        .slice(0, 5)
        .map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })),
    }))
}

/** The `id` (or a short description) of the focused element. */
export async function focusedId(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return '(body)'
    return el.id || `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? el.textContent?.slice(0, 40) ?? ''}`
  })
}

/**
 * Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user would, and fails if it
 * is not reached within `maxPresses`: proof that the control is reachable without a mouse.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  { maxPresses = 80, backwards = false }: { maxPresses?: number; backwards?: boolean } = {},
): Promise<number> {
  const handle = await target.elementHandle()
  if (!handle) throw new Error('tabTo: the target is not on the page')
  for (let i = 0; i <= maxPresses; i++) {
    if (await handle.evaluate((el) => el === document.activeElement)) return i
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`tabTo: not reached after ${maxPresses} presses (focus is on ${await focusedId(page)})`)
}
