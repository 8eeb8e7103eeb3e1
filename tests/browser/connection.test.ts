import { sectionField } from '@lever/shared'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { browserSuite, planUrl, screenshot } from '../support/browser.ts'
import { paragraph } from '../support/planFixtures.ts'
import { createPlan, lead, updatePerson } from '../support/server.ts'

/** Records every text a status element shows, so short-lived states ("Saving…") are seen too. */
async function recordTexts(page: Page, testId: string): Promise<() => Promise<string[]>> {
  await page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`)
    if (!el) throw new Error(`no ${id}`)
    const seen: string[] = [el.textContent ?? '']
    ;(window as unknown as Record<string, string[]>)[`seen:${id}`] = seen
    new MutationObserver(() => {
      const text = el.textContent ?? ''
      if (seen.at(-1) !== text) seen.push(text)
    }).observe(el, { childList: true, characterData: true, subtree: true })
  }, testId)
  return () => page.evaluate((id) => (window as unknown as Record<string, string[]>)[`seen:${id}`] ?? [], testId)
}

describe('connection and saved state', () => {
  const suite = browserSuite()

  it('says "Saving…" until the server has stored an edit, then "All changes saved"', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo plan' })
    const ana = await suite.person(lead('pueblo-co'))
    const a = ana.page
    await a.goto(planUrl(suite.server, plan))
    await a.getByText('All changes saved').waitFor()
    const savedTexts = await recordTexts(a, 'saved-state')
    await a.locator('#editor-section-problem').click()
    await a.keyboard.type('Seasonal jobs with no benefits.')
    await a.getByLabel('Plan status').selectOption({ label: 'In review' })
    await expect.poll(async () => (await savedTexts()).at(-1)).toBe('All changes saved')
    const seen = await savedTexts()
    expect(seen).toContain('Saving…')
    expect(seen.lastIndexOf('All changes saved')).toBeGreaterThan(seen.indexOf('Saving…'))
  })

  it('shows reconnecting, then offline, while the server is down, keeps edits made meanwhile, and saves them once it is back', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo outage plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('pueblo-co'))
    const a = ana.page
    await a.goto(url)
    await a.getByText('All changes saved').waitFor()
    const connectionTexts = await recordTexts(a, 'connection-state')

    await suite.stopServer()
    const connection = a.getByTestId('connection-state')
    await connection.getByText('Offline').waitFor({ timeout: 10_000 })
    expect((await connectionTexts()).some((t) => t.includes('Reconnecting'))).toBe(true)

    await a.locator('#editor-section-communityEngagement').click()
    await a.keyboard.type('Typed while the server was down.')
    await a.getByText('Offline — changes kept in this browser').waitFor()
    await screenshot(a, 'connection-offline')

    await suite.startServer()
    await connection.getByText('Connected').waitFor({ timeout: 15_000 })
    await a.getByText('All changes saved').waitFor()

    // Someone opening the plan now sees what was typed offline.
    const other = await suite.person(lead('pueblo-co'))
    await other.page.goto(url)
    await other.page
      .locator('#editor-section-communityEngagement')
      .getByText('Typed while the server was down.')
      .waitFor()
  })

  it('says "Offline" as soon as the browser loses its network, not "Connected", and saves what was typed once it is back', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo Wi-Fi plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('pueblo-co'))
    const a = ana.page
    await a.goto(url)
    await a.getByText('All changes saved').waitFor()
    const connection = a.getByTestId('connection-state')

    await ana.context.setOffline(true)
    // Well before the provider would notice a silent socket on its own (30 s).
    await connection.getByText('Offline').waitFor({ timeout: 5_000 })
    await a.locator('#editor-section-theoryOfChange').click()
    await a.keyboard.type('Typed with the Wi-Fi off.')
    await a.getByText('Offline — changes kept in this browser').waitFor({ timeout: 5_000 })
    expect(await connection.textContent()).not.toContain('Connected')

    await ana.context.setOffline(false)
    await connection.getByText('Connected').waitFor({ timeout: 15_000 })
    await a.getByText('All changes saved').waitFor({ timeout: 15_000 })
    const other = await suite.person(lead('pueblo-co'))
    await other.page.goto(url)
    await other.page.locator('#editor-section-theoryOfChange').getByText('Typed with the Wi-Fi off.').waitFor()
  })

  it('keeps edits typed offline in the browser, so they reach the server after the tab was closed and the plan opened again', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo closed-tab plan' })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('pueblo-co'))
    await ana.page.goto(url)
    await ana.page.getByText('All changes saved').waitFor()

    await suite.stopServer()
    await ana.page.getByTestId('connection-state').getByText('Offline').waitFor({ timeout: 10_000 })
    await ana.page.locator('#editor-section-theoryOfChange').click()
    await ana.page.keyboard.type('Written offline, then the tab was closed.')
    await ana.page.getByText('Offline — changes kept in this browser').waitFor()
    // The browser's copy is written asynchronously (IndexedDB) as the text changes.
    await expect
      .poll(() =>
        ana.page.evaluate(async (name) => {
          const dbs = await indexedDB.databases()
          return dbs.some((d) => d.name?.endsWith(name))
        }, plan.docName),
      )
      .toBe(true)
    await ana.page.waitForTimeout(300)
    await ana.page.close()

    await suite.startServer()
    const again = await ana.context.newPage()
    await again.goto(url)
    await again
      .locator('#editor-section-theoryOfChange')
      .getByText('Written offline, then the tab was closed.')
      .waitFor()
    await again.getByText('All changes saved').waitFor()
    const other = await suite.person(lead('pueblo-co'))
    await other.page.goto(url)
    await other.page
      .locator('#editor-section-theoryOfChange')
      .getByText('Written offline, then the tab was closed.')
      .waitFor()
  })

  it('writes a teammate’s keystrokes to the browser’s copy a burst at a time, and keeps every one of them', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo kept-copy plan' })
    await suite.server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => doc.getXmlFragment(sectionField('problem')).insert(0, [paragraph('')])),
    )
    const ana = await suite.person(lead('pueblo-co'))
    await ana.page.goto(planUrl(suite.server, plan))
    await ana.page.getByText('All changes saved').waitFor()
    // The updates this browser's copy holds, as written (one record per write).
    const records = () =>
      ana.page.evaluate(async (docName) => {
        const name = (await indexedDB.databases()).find((d) => d.name?.endsWith(`:${docName}`))?.name
        if (!name) return []
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name)
          open.onsuccess = () => resolve(open.result)
          open.onerror = () => reject(open.error)
        })
        const all = await new Promise<unknown[]>((resolve, reject) => {
          const get = db.transaction('updates').objectStore('updates').getAll()
          get.onsuccess = () => resolve(get.result)
          get.onerror = () => reject(get.error)
        })
        db.close()
        return all.map((u) => Array.from(u as Uint8Array))
      }, plan.docName)
    const keptText = async () => {
      const doc = new Y.Doc()
      for (const update of await records()) Y.applyUpdate(doc, Uint8Array.from(update))
      return doc.getXmlFragment(sectionField('problem')).toString()
    }
    await expect.poll(async () => (await records()).length).toBeGreaterThan(0)
    const before = (await records()).length

    // The teammate types one key per update, as an editor sends them (quickly: a burst).
    const typed = 'A teammate typed this, one key at a time.'
    await suite.server.rooms.withRoom(plan.docName, (room) => {
      for (const [i, key] of [...typed].entries()) {
        room.transactServer((doc) => {
          const first = doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement
          ;(first.get(0) as Y.XmlText).insert(i, key)
        })
      }
    })
    await ana.page.locator('#editor-section-problem').getByText(typed).waitFor()
    await expect.poll(keptText, { timeout: 10_000 }).toContain(typed)
    // Every key is kept, in a few writes rather than one each.
    expect((await records()).length - before).toBeLessThanOrEqual(typed.length / 4)
  })

  it('removes the plans this browser kept when the person signs out', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo shared-computer plan' })
    const ana = await suite.person(lead('pueblo-co'))
    await ana.page.goto(planUrl(suite.server, plan))
    await ana.page.getByText('All changes saved').waitFor()
    const kept = () =>
      ana.page.evaluate(async () => (await indexedDB.databases()).filter((d) => d.name?.startsWith('lever:')).length)
    await expect.poll(kept).toBeGreaterThan(0)
    await ana.page.getByRole('button', { name: 'Sign out' }).click()
    await ana.page.getByRole('heading', { name: 'Sign in to Lever' }).waitFor()
    await expect.poll(kept).toBe(0)
  })

  it('says the plan does not exist, and stops retrying, when the server refuses its document for good', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo missing plan' })
    const ana = await suite.person(lead('pueblo-co'))
    // The summary points at a document the server does not have (as if it was deleted).
    await ana.page.route(`**/api/plans/${plan.id}`, async (route) => {
      const res = await route.fetch()
      const body = await res.json()
      await route.fulfill({ response: res, json: { ...body, docName: 'plan:doesNotExist' } })
    })
    let sockets = 0
    ana.page.on('websocket', () => sockets++)
    await ana.page.goto(planUrl(suite.server, plan))
    await ana.page.getByRole('heading', { name: 'This plan cannot be opened' }).waitFor()
    await ana.page.getByText('This plan does not exist.').waitFor()
    const attempts = sockets
    await ana.page.waitForTimeout(1_500)
    expect(sockets).toBe(attempts)
  })

  it('removes the browser’s copy of a plan when its person loses access to it (moved to another team)', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'pueblo-co', title: 'Pueblo moved plan' })
    const ana = await suite.person(lead('pueblo-co'))
    await ana.page.goto(planUrl(suite.server, plan))
    await ana.page.getByText('All changes saved').waitFor()
    const kept = () =>
      ana.page.evaluate(
        async (docName) => (await indexedDB.databases()).some((d) => d.name?.endsWith(`:${docName}`)),
        plan.docName,
      )
    await expect.poll(kept).toBe(true)
    const res = await updatePerson(suite.server, lead('pueblo-co'), { jurisdictionId: 'tulsa-ok' })
    expect(res.status).toBe(200)
    await expect.poll(kept, { timeout: 5_000 }).toBe(false)
  })
})
