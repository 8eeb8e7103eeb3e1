import type { LeverServer } from '@lever/server'
import type { Browser } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_DIST, launchBrowser, type Person, personFor, screenshot } from '../support/browser.ts'
import { COACH, createPlan, lead, signIn, startServer } from '../support/server.ts'
import { editorText, highlights, selectWords, sidebar, threadCard, watchSockets } from './commentHelpers.ts'

const LIVE = 2_000
const PROBLEM = '#editor-section-problem'

describe('coach comments on a plan the team keeps writing', () => {
  let server: LeverServer
  let browser: Browser
  const people: Person[] = []

  beforeAll(async () => {
    server = await startServer({ staticDir: CLIENT_DIST })
    browser = await launchBrowser()
  })
  afterEach(async () => {
    for (const p of people.splice(0)) await p.context.close()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('keeps the coach’s highlight on the same words while a team member types in the same paragraph; the team replies and resolves and the coach sees it live, on a connection that is never closed', async () => {
    const token = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { jurisdictionId: 'boulder-co', title: 'Boulder comments plan', token })
    const url = `${server.url}/plans/${plan.id}`
    const ana = await personFor(browser, server, lead('boulder-co'))
    const cory = await personFor(browser, server, COACH)
    people.push(ana, cory)
    await Promise.all([ana.page.goto(url), cory.page.goto(url)])
    for (const p of [ana, cory]) await p.page.getByText('All changes saved').waitFor()
    // From here on, the server would close the coach's connection if it sent a change it may not make.
    const coachSockets = watchSockets(cory.page)

    await ana.page.locator(PROBLEM).click()
    await ana.page.keyboard.type('Contract janitors earn too little to live in Boulder.')
    await cory.page.locator(PROBLEM).getByText('to live in Boulder.').waitFor({ timeout: LIVE })

    // The coach's editor offers commenting, not editing: typing changes nothing.
    await cory.page.getByText('Comment only').waitFor()
    await cory.page.locator(PROBLEM).click()
    await cory.page.keyboard.type('coach typing')
    await cory.page.keyboard.press('Enter')
    await expect(editorText(cory.page, PROBLEM)).resolves.toBe('Contract janitors earn too little to live in Boulder.')

    // The coach selects words and writes a comment while Ana keeps typing in the same paragraph.
    await selectWords(cory.page, PROBLEM, 'too little')
    await cory.page
      .getByRole('toolbar', { name: 'Commenting: Problem and baseline' })
      .getByRole('button', { name: 'Comment' })
      .click()
    const typing = (async () => {
      await ana.page.locator(PROBLEM).press('Control+End')
      await ana.page.keyboard.type(' Rents rose by a third since 2020.', { delay: 15 })
      await ana.page.locator(PROBLEM).press('Control+Home')
      await ana.page.keyboard.type('In 2023, ', { delay: 15 })
    })()
    await cory.page.getByLabel('Your comment').fill('What would a living wage be here? Cite the MIT calculator.')
    await cory.page.getByRole('button', { name: 'Post comment' }).click()
    await typing

    const expected = 'In 2023, Contract janitors earn too little to live in Boulder. Rents rose by a third since 2020.'
    for (const p of [ana, cory]) {
      await expect.poll(() => editorText(p.page, PROBLEM), { timeout: LIVE }).toBe(expected)
      await expect
        .poll(async () => Object.values(await highlights(p.page, PROBLEM)), { timeout: LIVE })
        .toEqual(['too little'])
    }

    // Ana sees the thread, replies and resolves it; the coach sees both live.
    const anaCard = threadCard(ana, 'What would a living wage be here?')
    await anaCard.waitFor({ timeout: LIVE })
    await anaCard.getByRole('button', { name: /^Reply/ }).click()
    await ana.page.getByLabel('Reply', { exact: true }).fill('About $24 an hour for one adult. Adding the source.')
    await anaCard.getByRole('button', { name: 'Send reply' }).click()
    const coryCard = threadCard(cory, 'What would a living wage be here?')
    await coryCard.getByText('About $24 an hour for one adult.').waitFor({ timeout: LIVE })
    await screenshot(cory.page, 'comments-coach')
    await cory.page.getByLabel('Show').selectOption('all')
    await anaCard.getByRole('button', { name: /^Resolve/ }).click()
    await coryCard.getByText('Resolved by City of Boulder lead').waitFor({ timeout: LIVE })
    await screenshot(ana.page, 'comments-team')

    // Nothing the coach did was refused: the connection never closed and everything is stored.
    await cory.page.getByText('All changes saved').waitFor()
    await expect(cory.page.getByTestId('connection-state').textContent()).resolves.toMatch(/Connected/)
    expect(coachSockets.closed()).toEqual([])
    expect([...ana.errors, ...cory.errors]).toEqual([])
    await expect(sidebar(cory).getByRole('alert').count()).resolves.toBe(0)
  })
})
