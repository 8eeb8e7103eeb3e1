/**
 * The plan page in a real browser: what one remote keystroke costs the page of someone reading a
 * large plan (60 initiatives, every prose section long, 100 comment threads) while five people
 * type into one section, and how long a cold load takes to an editable plan.
 *
 *   pnpm --filter @lever/bench plan-page
 *
 * Lever runs in this process (SQLite in a temporary directory) and serves the client built from
 * this checkout (`vite build`, unless PLAN_PAGE_SKIP_BUILD=1 and client/dist exists); the page is
 * Debian's Chromium (CHROMIUM_PATH), driven with playwright-core. The typists are Node clients
 * with the stock y-websocket provider. Per keystroke the page's React commits and rendered
 * components are counted with the developer-tools hook React reports commits to (the production
 * build, as shipped), and scripting time is Chromium's own ScriptDuration (CDP
 * Performance.getMetrics) over the typing, divided by the keystrokes the page received. Each cold
 * load gets a fresh browser context and navigates once the machine is quiet again: Chromium starts
 * each new window's own interface in a renderer of its own, which is not the page's cost.
 *
 * PLAN_PAGE_PROFILE=/tmp/page.cpuprofile also writes a CPU profile of the page during the typing.
 * PLAN_PAGE_LOAD_PROFILE=/tmp/load writes a CPU profile of each cold load (/tmp/load-1.cpuprofile,
 * …) and prints its timeline: each request and WebSocket with when it started and ended, and when
 * each loading message of the page showed. PLAN_PAGE_LOAD_TRACE=/tmp/load.json writes a Chromium
 * performance trace of the second cold load (open it in the Performance panel of DevTools).
 * PLAN_PAGE_STATIC_DIR=<dir> serves another build of the client as it is (one of an earlier
 * commit, to compare in the same conditions); PLAN_PAGE_SECONDS shortens the typing;
 * PLAN_PAGE_COLD_LOADS=9 takes more cold loads (3 by default) for a steadier median.
 * PLAN_PAGE_LATENCY_MS=50 has Chromium add that latency to every request of the page (a real
 * network rather than this machine's loopback).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createServer, quietLogger, REPO_ROOT } from '@lever/server'
import {
  DEFAULT_LEVERS,
  INITIATIVE_STATUSES,
  JOB_QUALITY_COMPONENTS,
  PLAN_SECTIONS,
  PlanModel,
  type PlanSummary,
  SESSION_COOKIE,
  sectionField,
  ThreadsModel,
  threadDocName,
} from '@lever/shared'
import { type Browser, chromium, type Page } from 'playwright-core'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { RENDER_COUNTER, type RenderCounts } from '../../tests/support/renderCounter.ts'
import { MachineCpuMeter } from './procStats.ts'

const INITIATIVES = 60
const PARAGRAPHS_PER_SECTION = 30
const THREADS = 100
const TYPISTS = 5
/** Keystrokes per second of each typist (a brisk typist: about 50 words a minute). */
const KEYS_PER_SECOND = 4
const TYPING_SECONDS = Number(process.env.PLAN_PAGE_SECONDS ?? 15)
/** Cold loads to measure (PLAN_PAGE_COLD_LOADS; at least 2): the first, and the median of the rest. */
const COLD_LOADS = Math.max(2, Number(process.env.PLAN_PAGE_COLD_LOADS ?? 3))
const FACILITATOR = 'facilitator@demo.test'
const PASSWORD = 'demo-password'

const WORDS = 'wages benefits scheduling safety learning voice culture purpose county contract apprenticeship'.split(
  ' ',
)
let seed = 11
const rnd = () => {
  seed = (seed * 16807) % 2147483647
  return seed / 2147483647
}
const sentence = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(rnd() * WORDS.length)]).join(' ')

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  const t = new Y.XmlText()
  p.insert(0, [t])
  t.insert(0, text)
  return p
}

/** Every prose section long, 60 initiatives over the four levers with every field filled. */
function writePlan(doc: Y.Doc): void {
  const plan = new PlanModel(doc)
  doc.transact(() => {
    plan.setTitle('A large good jobs plan')
    for (const s of PLAN_SECTIONS) {
      doc.getXmlFragment(sectionField(s.id)).insert(
        0,
        Array.from({ length: PARAGRAPHS_PER_SECTION }, () => paragraph(sentence(60))),
      )
    }
    for (let n = 0; n < INITIATIVES; n++) {
      const lever = DEFAULT_LEVERS[n % DEFAULT_LEVERS.length]?.id ?? 'procurement'
      const i = plan.addInitiative(lever, { title: `Initiative ${n + 1}: ${sentence(4)}` })
      i.text('owner')?.insert(0, `Owner ${n + 1}`)
      i.text('partners')?.insert(0, 'Community college')
      i.text('risks')?.insert(0, `Risk ${n + 1}: staffing`)
      i.setStatus(INITIATIVE_STATUSES[n % INITIATIVE_STATUSES.length]?.id ?? 'notStarted')
      i.setDate('startDate', '2025-01-15')
      i.setDate('dueDate', n % 2 === 0 ? '2026-06-30' : '2027-03-31')
      i.setComponent(JOB_QUALITY_COMPONENTS[n % JOB_QUALITY_COMPONENTS.length]?.id ?? 'wages', true)
      i.setEvidenceTier(n % 2 === 0 ? 'strong' : 'evidenceBuilding')
      const line = i.funding.add(`f${n}`)
      line.setSource('slfrf')
      line.setCategory('2.10')
      line.setAmount('budgeted', 100000 + n * 1000)
      const milestone = i.milestones.add(`ms${n}`)
      milestone.title?.insert(0, `Milestone of ${n + 1}`)
      milestone.setDueDate('2025-09-30')
      const metric = i.metrics.add(`m${n}`)
      metric.text('name')?.insert(0, `Workers placed ${n + 1}`)
      metric.setType('outcome')
      i.description?.insert(0, [paragraph(sentence(40)), paragraph(sentence(30))])
    }
  })
}

/** 100 threads of two comments: on initiatives, on metrics and on a section's words. */
function writeThreads(doc: Y.Doc, initiativeIds: string[], author: { id: string; name: string }): void {
  const threads = new ThreadsModel(doc)
  doc.transact(() => {
    for (let n = 0; n < THREADS; n++) {
      const initiativeId = initiativeIds[n % initiativeIds.length] as string
      const thread = threads.create({
        anchor:
          n % 2 === 0
            ? { kind: 'initiative', initiativeId }
            : { kind: 'text', field: sectionField('theoryOfChange'), quote: 'wages', before: '', after: '' },
        author,
        body: `Question ${n + 1}: ${sentence(12)}`,
      })
      thread.reply(author, `Answer ${n + 1}: ${sentence(8)}`)
    }
  })
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: FACILITATOR, password: PASSWORD }),
  })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status}`)
  return ((await res.json()) as { token: string }).token
}

async function createPlan(url: string, token: string): Promise<PlanSummary> {
  const res = await fetch(`${url}/api/jurisdictions/boulder-co/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title: 'A large good jobs plan' }),
  })
  if (res.status !== 201) throw new Error(`creating a plan failed: ${res.status}`)
  return (await res.json()) as PlanSummary
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The machine counts as quiet after this many windows in a row under the share of a core below. */
const QUIET_WINDOWS = 2
const QUIET_WINDOW_MS = 250
const QUIET_SHARE = 0.1
const QUIET_TIMEOUT_MS = 15_000

/**
 * Waits until the machine's CPU is quiet: QUIET_WINDOWS windows in a row in which all processes
 * together used under QUIET_SHARE of a core. A new browser context opens a new window, and this
 * Chromium (the full browser, headless) starts that window's own interface with it: a renderer
 * (`--top-chrome-webui`) that loads about 400 modules and uses about a second of CPU. Started
 * together, it and the plan page shared the two cores. Someone opening a plan has their browser
 * running already, so the page is measured after the browser's start-up, not during it.
 * Returns how long it waited, in ms (the whole timeout if the machine never got quiet).
 */
async function waitForQuietMachine(): Promise<number> {
  const start = performance.now()
  const machine = new MachineCpuMeter()
  let quiet = 0
  while (quiet < QUIET_WINDOWS && performance.now() - start < QUIET_TIMEOUT_MS) {
    machine.start()
    await new Promise((r) => setTimeout(r, QUIET_WINDOW_MS))
    quiet = machine.stop() < QUIET_SHARE * 100 ? quiet + 1 : 0
  }
  return performance.now() - start
}

/** How long each new page waited for the machine to be quiet before it was used (ms). */
const settleWaits: number[] = []

async function openPage(browser: Browser, url: string, token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  await context.addCookies([{ name: SESSION_COOKIE, value: token, url, httpOnly: true, sameSite: 'Lax' }])
  const page = await context.newPage()
  await page.addInitScript({ content: RENDER_COUNTER })
  settleWaits.push(await waitForQuietMachine())
  const latency = Number(process.env.PLAN_PAGE_LATENCY_MS ?? 0)
  if (latency > 0) {
    // Chromium adds this much to every request and WebSocket handshake, as a real network would.
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency,
      downloadThroughput: -1,
      uploadThroughput: -1,
    })
  }
  return page
}

/**
 * A page script that notes when each WebSocket opened, received its first message and its first
 * large one (the document), and when each loading message of the page first and last showed.
 */
const LOAD_TIMELINE = `(() => {
  const t = window.__leverLoad = { sockets: [], texts: {} }
  const Native = window.WebSocket
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols)
      const s = { url: String(url).replace(/\\?.*$/, ''), created: performance.now(), open: 0, first: 0, big: 0 }
      t.sockets.push(s)
      this.addEventListener('open', () => { s.open = performance.now() })
      this.addEventListener('message', (e) => {
        const now = performance.now()
        if (!s.first) s.first = now
        if (!s.big && e.data && e.data.byteLength > 2000) s.big = now
      })
    }
  }
  const watch = () => {
    const main = document.querySelector('main')
    const text = main ? main.textContent.slice(0, 60) : '(no main)'
    const key = text.replace(/[0-9]+/g, '#')
    const now = performance.now()
    if (!t.texts[key]) t.texts[key] = [now, now]
    else t.texts[key][1] = now
    requestAnimationFrame(watch)
  }
  requestAnimationFrame(watch)
})()`

/** The timeline of a cold load, as LOAD_TIMELINE and resource timing saw it. */
async function loadTimeline(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const f = (x) => x.toFixed(0).padStart(5)
    const lines = []
    const nav = performance.getEntriesByType('navigation')[0]
    lines.push(f(nav.startTime) + ' ' + f(nav.responseEnd) + ' document')
    for (const r of performance.getEntriesByType('resource')) {
      lines.push(f(r.startTime) + ' ' + f(r.responseEnd) + ' ' + r.name.replace(location.origin, '') + ' (' + r.transferSize + ' B; queued ' + (r.requestStart - r.startTime).toFixed(0) + ', waited ' + (r.responseStart - r.requestStart).toFixed(0) + ' ms)')
    }
    for (const s of window.__leverLoad.sockets) {
      lines.push(f(s.created) + ' ' + f(s.open) + ' ws ' + s.url.replace(/^.*\\/collab/, '') + ' open; first message ' + f(s.first) + ', document ' + f(s.big))
    }
    for (const [text, [first, last]] of Object.entries(window.__leverLoad.texts)) {
      lines.push(f(first) + ' ' + f(last) + ' shows: ' + text)
    }
    for (const p of performance.getEntriesByType('paint')) lines.push(f(p.startTime) + '       ' + p.name)
    return lines.sort().join('\\n')
  })()`)
}

/**
 * Milliseconds from navigation start until the plan's prose is editable and in sync, and until
 * the whole plan is on the page (every section's editor and every initiative's card).
 */
async function coldLoad(page: Page, planUrl: string): Promise<{ editable: number; whole: number }> {
  await page.goto(planUrl)
  // A string, not a function: the page cannot run the helpers tsx adds to compiled functions.
  return page.evaluate(`new Promise((resolve) => {
    let editable = 0
    const check = () => {
      if (!editable && document.querySelector('#editor-section-problem[contenteditable="true"]') &&
        document.body.textContent.includes('All changes saved')) editable = performance.now()
      const whole = document.querySelectorAll('.rich-text[contenteditable="true"]').length >= ${PLAN_SECTIONS.length} &&
        document.querySelectorAll('li.initiative-list__item').length >= ${INITIATIVES}
      if (editable && whole) resolve({ editable, whole: performance.now() })
      else requestAnimationFrame(check)
    }
    check()
  })`) as Promise<{ editable: number; whole: number }>
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

async function main(): Promise<void> {
  // PLAN_PAGE_STATIC_DIR: another build of the client to serve (one built from an earlier commit,
  // to compare in the same conditions); it is served as it is.
  const staticDir = process.env.PLAN_PAGE_STATIC_DIR ?? path.join(REPO_ROOT, 'client', 'dist')
  if (
    !process.env.PLAN_PAGE_STATIC_DIR &&
    (process.env.PLAN_PAGE_SKIP_BUILD !== '1' || !fs.existsSync(path.join(REPO_ROOT, 'client', 'dist')))
  ) {
    process.stdout.write('building the client…\n')
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, 'client', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: path.join(REPO_ROOT, 'client'), stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    )
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lever-plan-page-'))
  const server = await createServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    staticDir,
    logger: quietLogger(),
    auth: { demo: true },
  })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      // Nothing in the background: this machine's closed network refuses Chromium's own
      // connections, and its retries would be measured with the page.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
    ],
  })
  const typists: WebsocketProvider[] = []
  try {
    const token = await signIn(server.url)
    const plan = await createPlan(server.url, token)
    await server.rooms.withRoom(plan.docName, (room) => room.transactServer((doc) => writePlan(doc)))
    const facilitator = await server.auth.users.getByEmail(FACILITATOR)
    const author = { id: facilitator?.id ?? 'facilitator', name: facilitator?.name ?? 'Facilitator' }
    let initiativeIds: string[] = []
    await server.rooms.withRoom(plan.docName, (room) => {
      initiativeIds = new PlanModel(room.doc).initiatives().map((i) => i.id)
    })
    await server.rooms.withRoom(threadDocName(plan.id, 'team'), (room) =>
      room.transactServer((doc) => writeThreads(doc, initiativeIds, author)),
    )
    const planUrl = `${server.url}/plans/${plan.id}`

    // Cold loads: a fresh browser context each (nothing cached), the first one the first page
    // this server serves; each navigates once the browser has started the context's window.
    const loads: number[] = []
    const wholeLoads: number[] = []
    /**
     * Until editable (without PLAN_PAGE_LOAD_PROFILE): the main thread's scripting, its CPU time,
     * and the CPU time of the page's whole renderer process.
     */
    const loadScript: number[] = []
    const loadThread: number[] = []
    const loadProcess: number[] = []
    const loadProfile = process.env.PLAN_PAGE_LOAD_PROFILE
    for (let n = 0; n < COLD_LOADS; n++) {
      const page = await openPage(browser, server.url, token)
      if (!loadProfile) {
        // What the page's renderer spent until the plan was editable: CPU time is steadier than
        // the wall clock on a machine whose two cores the browser's processes and the server share.
        const cdp = await page.context().newCDPSession(page)
        await cdp.send('Performance.enable')
        const load = await coldLoad(page, planUrl)
        const { metrics } = await cdp.send('Performance.getMetrics')
        const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? Number.NaN) * 1000
        loads.push(load.editable)
        wholeLoads.push(load.whole)
        loadScript.push(metric('ScriptDuration'))
        loadThread.push(metric('ThreadTime'))
        loadProcess.push(metric('ProcessTime'))
        await page.context().close()
        continue
      }
      await page.addInitScript({ content: LOAD_TIMELINE })
      const trace = n === 1 ? process.env.PLAN_PAGE_LOAD_TRACE : undefined
      if (trace) {
        await browser.startTracing(page, {
          path: trace,
          categories: [
            'devtools.timeline',
            'disabled-by-default-devtools.timeline',
            'v8.execute',
            'blink.user_timing',
            'loading',
            'v8',
          ],
        })
      }
      const cdp = await page.context().newCDPSession(page)
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
      await cdp.send('Profiler.start')
      const load = await coldLoad(page, planUrl)
      const ms = load.editable
      loads.push(ms)
      wholeLoads.push(load.whole)
      const { profile } = await cdp.send('Profiler.stop')
      if (trace) await browser.stopTracing()
      const file = `${loadProfile}-${n + 1}.cpuprofile`
      fs.writeFileSync(file, JSON.stringify(profile))
      process.stdout.write(`\ncold load ${n + 1}: ${ms.toFixed(0)} ms, profile ${file}\n${await loadTimeline(page)}\n`)
      await page.context().close()
    }

    const page = await openPage(browser, server.url, token)
    await coldLoad(page, planUrl)
    // The typists: each at its own paragraph of the first section, typing steadily.
    const collab = `${server.url.replace(/^http/, 'ws')}/collab`
    for (let n = 0; n < TYPISTS; n++) {
      const doc = new Y.Doc()
      const provider = new WebsocketProvider(collab, plan.docName, doc, {
        // biome-ignore lint/suspicious/noExplicitAny: ws's WebSocket stands in for the browser's
        WebSocketPolyfill: WebSocket as any,
        disableBc: true,
        params: { token },
      })
      typists.push(provider)
    }
    await waitUntil(() => typists.every((t) => t.synced), 'the typists to sync')
    // Settle: the page done with its load (the later parts, the browser's copy, the comment
    // threads) and the machine quiet before counting starts.
    const typingSettle = await waitForQuietMachine()
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Performance.enable')
    const metric = async (name: string) => {
      const { metrics } = await cdp.send('Performance.getMetrics')
      return metrics.find((m) => m.name === name)?.value ?? 0
    }
    await page.evaluate(() => (window as unknown as { __leverRendersReset(): void }).__leverRendersReset())
    const profiling = process.env.PLAN_PAGE_PROFILE
    if (profiling) {
      await cdp.send('Profiler.enable')
      await cdp.send('Profiler.start')
    }
    const scriptBefore = await metric('ScriptDuration')
    const taskBefore = await metric('TaskDuration')
    const layoutBefore = await metric('LayoutDuration')
    const recalcBefore = await metric('RecalcStyleDuration')
    let keystrokes = 0
    const interval = 1000 / KEYS_PER_SECOND
    const start = Date.now()
    await Promise.all(
      typists.map(async (provider, n) => {
        const section = provider.doc.getXmlFragment(sectionField('problem'))
        const text = (section.get(n * 3) as Y.XmlElement).get(0) as Y.XmlText
        // Typists start a fraction of an interval apart, as people do.
        await new Promise((r) => setTimeout(r, (interval * n) / TYPISTS))
        let k = 0
        while (Date.now() - start < TYPING_SECONDS * 1000) {
          const ch = k % 7 === 6 ? ' ' : (WORDS[k % WORDS.length]?.[k % 5] ?? 'a')
          text.insert(k, ch)
          keystrokes++
          k++
          const next = start + (interval * n) / TYPISTS + k * interval
          await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())))
        }
      }),
    )
    // Every keystroke has reached the page when its first section is as long as the typists'.
    const lengthOf = (doc: Y.Doc) =>
      doc
        .getXmlFragment(sectionField('problem'))
        .toArray()
        .reduce((sum, p) => sum + ((p as Y.XmlElement).get(0) as Y.XmlText).length, 0)
    await waitUntil(() => new Set(typists.map((t) => lengthOf(t.doc))).size === 1, 'the typists to converge')
    const expected = lengthOf(typists[0]?.doc as Y.Doc)
    await page.waitForFunction(
      (length) => document.querySelector('#editor-section-problem')?.textContent?.length === length,
      expected,
      { timeout: 60_000 },
    )
    await page.waitForTimeout(500)
    const script = (await metric('ScriptDuration')) - scriptBefore
    const task = (await metric('TaskDuration')) - taskBefore
    const layout = (await metric('LayoutDuration')) - layoutBefore
    const recalc = (await metric('RecalcStyleDuration')) - recalcBefore
    if (profiling) {
      const { profile } = await cdp.send('Profiler.stop')
      fs.writeFileSync(profiling, JSON.stringify(profile))
      process.stdout.write(`CPU profile of the typing: ${profiling} (open it in Chrome DevTools)\n`)
    }
    const counts = await page.evaluate(() => (window as unknown as { __leverRenders: RenderCounts }).__leverRenders)

    const perKey = (x: number) => x / keystrokes
    const fmt = (x: number, digits = 2) => x.toFixed(digits)
    const rows: Array<[string, string]> = [
      [
        'plan',
        `${INITIATIVES} initiatives, ${PLAN_SECTIONS.length} sections × ${PARAGRAPHS_PER_SECTION} paragraphs, ${THREADS} threads`,
      ],
      [
        'typing',
        `${TYPISTS} typists × ${KEYS_PER_SECOND} keys/s for ${TYPING_SECONDS} s = ${keystrokes} remote keystrokes, counted once the page and the machine were quiet (${fmt(typingSettle, 0)} ms after the typists synced)`,
      ],
      ['React commits per keystroke', fmt(perKey(counts.commits))],
      ['components rendered per keystroke', fmt(perKey(counts.components), 1)],
      ...Object.entries(counts.places)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([place, n]): [string, string] => [`  of them: ${place}`, fmt(perKey(n), 1)]),
      ...Object.entries(counts.contexts).map(([name, n]): [string, string] => [
        `  context changed: ${name}`,
        fmt(perKey(n), 2),
      ]),
      ['scripting per keystroke (ms)', fmt(perKey(script * 1000))],
      ['style + layout per keystroke (ms)', fmt(perKey((recalc + layout) * 1000))],
      ['main-thread tasks per keystroke (ms)', fmt(perKey(task * 1000))],
      [
        `before each load: the browser's start-up of a new window, median of ${settleWaits.length} (ms)`,
        fmt(median(settleWaits), 0),
      ],
      ['cold load to editable plan, first (ms)', fmt(loads[0] ?? Number.NaN, 0)],
      [`cold load to editable plan, median of next ${COLD_LOADS - 1} (ms)`, fmt(median(loads.slice(1)), 0)],
      [`cold load: scripting until editable, median of ${COLD_LOADS} (ms)`, fmt(median(loadScript), 0)],
      [`cold load: main thread's CPU until editable, median of ${COLD_LOADS} (ms)`, fmt(median(loadThread), 0)],
      [`cold load: renderer's CPU until editable, median of ${COLD_LOADS} (ms)`, fmt(median(loadProcess), 0)],
      ['cold load to the whole plan shown, first (ms)', fmt(wholeLoads[0] ?? Number.NaN, 0)],
      [`cold load to the whole plan shown, median of next ${COLD_LOADS - 1} (ms)`, fmt(median(wholeLoads.slice(1)), 0)],
    ]
    const width = Math.max(...rows.map(([k]) => k.length))
    process.stdout.write(`\n| ${'figure'.padEnd(width)} | value |\n| ${'-'.repeat(width)} | ----- |\n`)
    for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`)
  } finally {
    for (const t of typists) {
      t.destroy()
      t.doc.destroy()
    }
    await browser.close()
    await server.close()
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
