import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserSuite, focusedId, planUrl, screenshot, seriousA11yViolations, tabTo } from '../support/browser.ts'
import { addPerson, bearer, createPlan, FACILITATOR, lead, signIn } from '../support/server.ts'

/** How long another person may wait to see a live change (a wait timeout, not a benchmark). */
const LIVE = 2_000
const TEAMMATE = 'bo@boulder-co.demo.test'

describe('a live cohort session with breakout groups', () => {
  const suite = browserSuite()
  const api = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${suite.server.url}/api${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
    return res.status === 204 ? null : res.json()
  }
  const userId = async (email: string) => (await suite.server.auth.users.getByEmail(email))?.id as string
  const noA11yProblems = async (page: Page) => expect(await seriousA11yViolations(page)).toEqual([])

  beforeAll(async () => {
    // A second member of Boulder's team, who watches the plan while the lead sends an idea into it.
    await addPerson(suite.server, { email: TEAMMATE, name: 'Bo Boulder', role: 'member', jurisdictionId: 'boulder-co' })
  })

  it('runs a session: groups by jurisdiction, a shared timer and message, two members drafting together, a card sent into the plan, attendance and follow-up', async () => {
    const facilitatorToken = await signIn(suite.server, FACILITATOR)
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder good jobs plan' })
    const session = await api(facilitatorToken, 'POST', '/sessions', {
      title: 'Lever 1 live: Procurement',
      topic: 'Procurement',
      phase: 'phase2',
      startsAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      agenda: 'Welcome\nBreakouts\nReport back',
      prework: 'Bring one procurement idea.',
      focus: ['lever:procurement'],
    })

    // The facilitator opens the room and starts the session.
    const fran = await suite.person(FACILITATOR)
    await fran.page.goto(`${suite.server.url}/sessions/${session.id}/live`)
    await fran.page.getByRole('button', { name: 'Start the session' }).click()
    await fran.page.getByTestId('status-live').waitFor()
    // Ohio's lead joins (through the API): two jurisdictions, so two groups.
    await api(await signIn(suite.server, lead('ohio')), 'POST', `/sessions/${session.id}/join`)

    // Two Boulder members open Lever, see that it is live, and join its room.
    const ana = await suite.person(lead('boulder-co')) // "City of Boulder lead"
    const bo = await suite.person(TEAMMATE)
    for (const p of [ana, bo]) {
      await p.page.goto(suite.server.url)
      await p.page.getByTestId('live-banner').waitFor()
      if (p === ana) await screenshot(p.page, 'session-live-banner')
      await p.page.getByTestId('live-banner').getByRole('link', { name: /Join/ }).click()
      await p.page.getByText('The facilitator has not placed you in a group yet.').waitFor()
    }

    // Groups by jurisdiction, from the people who joined.
    await fran.page.getByText('People who joined (3)').waitFor({ timeout: 20_000 })
    await fran.page.getByRole('button', { name: 'One group per jurisdiction' }).click()
    const groupCards = fran.page.getByTestId('group-card')
    await expect.poll(() => groupCards.count()).toBe(2)
    const boulderGroup = fran.page.getByRole('region', { name: 'City of Boulder' })
    const ohioGroup = fran.page.getByRole('region', { name: 'State of Ohio' })
    // Drag and drop moves people between groups (and back).
    const ohioId = await userId(lead('ohio'))
    const ohioLead = fran.page.getByTestId(`member-${ohioId}`)
    // (Picked up by its grip, dropped on the card's top edge, away from its form fields.)
    const drag = { sourcePosition: { x: 8, y: 12 }, targetPosition: { x: 40, y: 8 } }
    await ohioLead.dragTo(boulderGroup, drag)
    await boulderGroup.getByTestId(`member-${ohioId}`).waitFor()
    await ohioLead.dragTo(ohioGroup, drag)
    await ohioGroup.getByTestId(`member-${ohioId}`).waitFor()
    await boulderGroup.getByLabel('Prompt').fill('Draft two procurement ideas that reward good jobs.')
    await fran.page.getByRole('button', { name: 'Open breakouts' }).click()
    await fran.page.getByRole('button', { name: '10 min' }).click()
    await fran.page.getByLabel('Message', { exact: true }).fill('Ten minutes to draft: one idea a card.')
    await fran.page.getByRole('button', { name: 'Send to all rooms' }).click()

    // Each member sees their group, its prompt, the timer and the message, then enters the room.
    for (const p of [ana, bo]) {
      const group = p.page.getByTestId('my-group')
      await group.getByRole('heading', { name: 'Your group: City of Boulder' }).waitFor({ timeout: LIVE })
      await group.getByText('Draft two procurement ideas that reward good jobs.').waitFor({ timeout: LIVE })
      await p.page
        .getByRole('timer')
        .getByText(/^(10:00|9:\d\d)$/)
        .waitFor({ timeout: LIVE })
      await p.page.getByTestId('broadcasts').getByText('Ten minutes to draft: one idea a card.').waitFor()
    }
    await ana.page.getByRole('heading', { name: 'Your group: City of Boulder' }).waitFor()
    await noA11yProblems(ana.page)
    await screenshot(ana.page, 'session-participant')
    await noA11yProblems(fran.page)
    await screenshot(fran.page, 'session-facilitator')
    for (const p of [ana, bo]) {
      await p.page.getByRole('link', { name: 'Go to your breakout room' }).click()
      await p.page.getByRole('heading', { name: /City of Boulder/, level: 1 }).waitFor()
      await p.page.getByText('All changes saved').waitFor()
    }

    // They draft together and see each other's edits, presence and the timer.
    await ana.page.getByTestId('presence').getByText('Bo Boulder').waitFor({ timeout: LIVE })
    await ana.page.locator('#draft-prose').click()
    await ana.page.keyboard.type('Score bids on wages and benefits.')
    await bo.page.locator('#draft-prose').getByText('Score bids on wages and benefits.').waitFor({ timeout: LIVE })
    await bo.page.getByTestId('presence').getByText('In the draft text').waitFor({ timeout: LIVE })
    await bo.page.getByRole('button', { name: 'Add idea card' }).click()
    await bo.page.keyboard.type('Good-jobs scoring in RFPs')
    const anaCard = ana.page.getByTestId('idea-card')
    await anaCard.getByRole('heading', { name: 'Good-jobs scoring in RFPs' }).waitFor({ timeout: LIVE })
    for (const p of [ana, bo]) await p.page.getByRole('timer').waitFor()
    await anaCard.getByLabel('Lever').selectOption({ label: 'Procurement' })
    await anaCard.getByLabel('Wages').check()
    await expect
      .poll(() => bo.page.getByTestId('idea-card').getByLabel('Wages').isChecked(), { timeout: LIVE })
      .toBe(true)
    await noA11yProblems(ana.page)
    await screenshot(ana.page, 'session-draft')

    // Bo watches the plan; Ana sends the card into it; it arrives there as an initiative.
    const boPlan = await bo.context.newPage()
    await boPlan.goto(planUrl(suite.server, plan))
    await boPlan.getByText('All changes saved').waitFor()
    await ana.page.getByRole('checkbox', { name: /Good-jobs scoring in RFPs/ }).check()
    await ana.page.getByRole('button', { name: 'Send to plan' }).click()
    await ana.page
      .getByTestId('send-result')
      .getByText('Sent to “Boulder good jobs plan”: 1 initiative under Procurement.')
      .waitFor()
    await boPlan
      .locator('#lever-procurement')
      .getByRole('heading', { name: 'Good-jobs scoring in RFPs' })
      .waitFor({ timeout: LIVE })
    await anaCard.getByText('Sent to “Boulder good jobs plan”').waitFor({ timeout: LIVE })
    // Sending the same card again asks first, and by default updates the initiative already there.
    await ana.page.getByRole('checkbox', { name: /Good-jobs scoring in RFPs/ }).check()
    const ask = ana.page.getByTestId('resend-choice')
    await ask.getByText('“Good-jobs scoring in RFPs” was already sent into this plan').waitFor()
    await expect(ask.getByLabel('Update the initiative already sent (recommended)').isChecked()).resolves.toBe(true)
    await noA11yProblems(ana.page)
    await screenshot(ana.page, 'session-send-again')
    await ana.page.getByRole('button', { name: 'Send to plan' }).click()
    await ana.page
      .getByTestId('send-result')
      .getByText('Sent to “Boulder good jobs plan”: 1 initiative updated.')
      .waitFor()
    await expect(
      boPlan.locator('#lever-procurement').getByRole('heading', { name: 'Good-jobs scoring in RFPs' }).count(),
    ).resolves.toBe(1)
    // A paragraph of the draft goes into a section, under a line that says where it came from.
    await ana.page.getByRole('checkbox', { name: 'Score bids on wages and benefits.' }).check()
    await ana.page.getByLabel('A section (paragraphs, tagged cards)').check()
    await ana.page.getByLabel('Section', { exact: true }).selectOption({ label: 'Strategy: Problem and baseline' })
    await ana.page.getByRole('button', { name: 'Send to plan' }).click()
    await ana.page.getByTestId('send-result').getByText('1 paragraph into Problem and baseline').waitFor()
    const problem = boPlan.locator('#editor-section-problem')
    await problem.getByText('From breakout “City of Boulder”').waitFor({ timeout: LIVE })
    await problem.getByText('Score bids on wages and benefits.').waitFor()
    // Bo sees where the new initiative came from, and finds the session on the calendar from there.
    const sent = boPlan.locator('article.initiative-card', { hasText: 'Good-jobs scoring in RFPs' })
    await sent.getByTestId('provenance-short').getByText('Breakout “City of Boulder”').waitFor()
    await sent.getByRole('button', { name: 'Edit Good-jobs scoring in RFPs' }).click()
    const provenance = sent.getByTestId('provenance')
    await provenance.getByText(/^From breakout “City of Boulder” in .+ · sent by City of Boulder lead on /).waitFor()
    await screenshot(boPlan, 'initiative-provenance')
    await provenance.getByRole('link', { name: 'The session on the calendar' }).click()
    await expect.poll(() => focusedId(boPlan)).toBe(`session-${session.id}-title`)
    await bo.page
      .getByTestId('idea-card')
      .getByText(/Sent to/)
      .waitFor({ timeout: LIVE })

    // The facilitator visits the room: she sees the draft and may write in it.
    await fran.page.getByRole('link', { name: 'Visit room City of Boulder' }).click()
    await fran.page.locator('#draft-prose').getByText('Score bids on wages and benefits.').waitFor()
    await ana.page.getByTestId('presence').getByText('Fran Facilitator').waitFor({ timeout: LIVE })
    await expect(fran.page.locator('#draft-prose').getAttribute('contenteditable')).resolves.toBe('true')
    await fran.page.goBack()

    // A late joiner sees the running timer and the earlier message, even with her computer's
    // clock two hours ahead (the countdown runs on the server's clock).
    const tia = await suite.person(lead('tulsa-ok'))
    await tia.context.addInitScript(() => {
      const shift = 2 * 60 * 60 * 1000
      const RealDate = Date
      class AheadDate extends RealDate {
        constructor(...args: ConstructorParameters<DateConstructor> | []) {
          if (args.length === 0) super(RealDate.now() + shift)
          else super(...(args as ConstructorParameters<DateConstructor>))
        }
        static override now() {
          return RealDate.now() + shift
        }
      }
      globalThis.Date = AheadDate as DateConstructor
    })
    await tia.page.goto(`${suite.server.url}/sessions/${session.id}/live`)
    await tia.page
      .getByRole('timer')
      .getByText(/^[5-9]:\d\d$/)
      .waitFor()
    await tia.page.getByTestId('broadcasts').getByText('Ten minutes to draft: one idea a card.').waitFor()

    // The facilitator moves her into Ohio's group with the keyboard only.
    const tiaId = await userId(lead('tulsa-ok'))
    const move = fran.page.locator(`#move-${tiaId}`)
    await move.waitFor({ timeout: 20_000 })
    await fran.page.getByRole('heading', { name: /^Groups/ }).click()
    await tabTo(fran.page, move)
    await fran.page.keyboard.type('State of Ohio')
    await fran.page.keyboard.press('Tab')
    await fran.page.keyboard.press('Enter')
    await ohioGroup.getByTestId(`member-${tiaId}`).waitFor()
    await expect.poll(() => focusedId(fran.page)).toBe(`move-${tiaId}`)
    await tia.page.getByRole('heading', { name: 'Your group: State of Ohio' }).waitFor({ timeout: LIVE })

    // Boulder's draft is readable for her, not writable.
    const { groups } = await api(facilitatorToken, 'GET', `/sessions/${session.id}`)
    const boulderDraft = groups.find((g: { name: string }) => g.name === 'City of Boulder').draftId
    await tia.page.goto(`${suite.server.url}/drafts/${boulderDraft}`)
    await tia.page.getByTestId('read-only').getByText('Read only: you are not in this group').waitFor()
    await tia.page.locator('#draft-prose').getByText('Score bids on wages and benefits.').waitFor()
    await expect(tia.page.locator('#draft-prose').getAttribute('contenteditable')).resolves.toBe('false')
    await expect(tia.page.getByRole('button', { name: 'Add idea card' }).count()).resolves.toBe(0)
    await expect(tia.page.getByTestId('idea-card').getByLabel('Idea', { exact: true }).isEditable()).resolves.toBe(
      false,
    )
    await screenshot(tia.page, 'session-draft-read-only')

    // Closing the breakouts turns the members' draft read-only in place; it stays readable.
    await fran.page.getByRole('button', { name: 'Close breakouts' }).click()
    await ana.page.getByTestId('read-only').getByText('Read only: breakouts are closed').waitFor({ timeout: LIVE })
    await expect(ana.page.locator('#draft-prose').getAttribute('contenteditable')).resolves.toBe('false')
    await ana.page.getByTestId('connection-state').getByText('Connected').waitFor()
    await ana.page.locator('#draft-prose').getByText('Score bids on wages and benefits.').waitFor()

    // The facilitator ends the session and sees what moved into Boulder's plan, and who came.
    await fran.page.getByRole('button', { name: 'End the session' }).click()
    await fran.page.getByRole('dialog').getByRole('button', { name: 'End session' }).click()
    await fran.page.getByRole('link', { name: 'See the follow-up' }).click()
    const boulderRow = fran.page
      .getByTestId('follow-up-jurisdictions')
      .getByRole('listitem')
      .filter({
        has: fran.page.getByRole('heading', { name: 'City of Boulder' }),
      })
    await boulderRow.getByText('Good-jobs scoring in RFPs', { exact: true }).waitFor()
    await boulderRow.getByText('Good-jobs scoring in RFPs (updated)', { exact: true }).waitFor()
    await boulderRow.getByText('1 paragraph into Problem and baseline').waitFor()
    await expect(boulderRow.getByRole('link', { name: 'Boulder good jobs plan' }).count()).resolves.toBe(3)
    const attendance = fran.page.getByTestId('attendance')
    for (const name of ['City of Boulder lead', 'Bo Boulder', 'State of Ohio lead', 'City of Tulsa lead'])
      await attendance.getByRole('rowheader', { name }).waitFor()
    await expect(
      attendance
        .getByRole('row', { name: /Bo Boulder/ })
        .getByText('City of Boulder')
        .count(),
    ).resolves.toBe(2)
    await screenshot(fran.page, 'session-follow-up')
    expect(suite.people.flatMap((p) => p.errors).filter((e) => !/WebSocket|Failed to load resource/.test(e))).toEqual(
      [],
    )
  })
})
