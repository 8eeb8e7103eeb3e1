import { ThreadsModel, threadDocName } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { browserSuite, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { connectClient, synced } from '../support/clients.ts'
import { COACH, createPlan, lead, signIn, sqliteOf, wsUrl } from '../support/server.ts'

describe('notifications in the browser', () => {
  const suite = browserSuite()

  it('updates the inbox badge live when a coach mentions me, without waiting for a refresh', async () => {
    const leadToken = await signIn(suite.server, lead('boulder-co'))
    const plan = await createPlan(suite.server, {
      jurisdictionId: 'boulder-co',
      title: 'Boulder plan',
      token: leadToken,
    })
    const ana = await suite.person(lead('boulder-co'))
    await ana.page.goto(`${suite.server.url}/sessions`)
    const inbox = ana.page.getByTestId('inbox-link')
    await inbox.waitFor()
    expect(await inbox.textContent()).toBe('Inbox')

    const coachToken = await signIn(suite.server, COACH)
    // Comments live in the plan's thread documents (the team's: the team and its coaches).
    const coach = connectClient(wsUrl(suite.server), threadDocName(plan.id, 'team'), { params: { token: coachToken } })
    await synced(coach)
    const coachUser = await suite.server.auth.users.getByEmail(COACH)
    const leadId = (await suite.server.auth.users.getByEmail(lead('boulder-co')))?.id as string
    coach.doc.transact(() =>
      new ThreadsModel(coach.doc).create({
        anchor: { kind: 'initiative', initiativeId: 'none' },
        author: { id: coachUser?.id as string, name: coachUser?.name as string },
        body: 'Can you add the wage floor?',
        mentions: [leadId],
      }),
    )
    // The safety-net poll is minutes apart: only the live stream can bring the count this soon.
    await expect.poll(() => inbox.textContent(), { timeout: 15_000 }).toBe('Inbox1 unread')
    coach.destroy()
    expect(ana.errors).toEqual([])
  })

  it('lets a person choose their emails, and unsubscribes from the email link without signing in', async () => {
    const ana = await suite.person(lead('durham-nc'))
    const page = ana.page
    await page.goto(`${suite.server.url}/inbox`)
    await page.getByRole('link', { name: 'Email notifications' }).click()
    await page.getByRole('heading', { name: 'Email notifications' }).waitFor()
    const digest = page.getByLabel('A daily digest of unread conversations')
    expect(await digest.isChecked()).toBe(true)
    await digest.uncheck()
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'notification-settings')
    await page.reload()
    await page.getByLabel('A daily digest of unread conversations').waitFor()
    expect(await page.getByLabel('A daily digest of unread conversations').isChecked()).toBe(false)
    expect(await page.getByLabel('When someone @mentions me').isChecked()).toBe(true)

    const userId = (await suite.server.auth.users.getByEmail(lead('durham-nc')))?.id as string
    const token = (
      sqliteOf(suite.server)
        .prepare('SELECT unsubscribe_token AS t FROM notification_prefs WHERE user_id = ?')
        .get(userId) as {
        t: string
      }
    ).t
    const context = await suite.browser.newContext()
    const anonymous = await context.newPage()
    await anonymous.goto(`${suite.server.url}/unsubscribe/${token}`)
    await anonymous.getByRole('heading', { name: 'You will get no more emails from Lever' }).waitFor()
    await context.close()
    await page.reload()
    await page.getByLabel('When someone @mentions me').waitFor()
    expect(await page.getByLabel('When someone @mentions me').isChecked()).toBe(false)
    expect(ana.errors).toEqual([])
  })
})
