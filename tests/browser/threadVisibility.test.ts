import { PlanModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { COACH, createPlan, lead, signIn } from '../support/server.ts'
import { selectWords, sidebar, threadCard } from './commentHelpers.ts'

const LIVE = 15_000
const PROBLEM = '#editor-section-problem'

describe('who reads a coach’s comment on a plan shared with the cohort', () => {
  const suite = browserSuite()

  it('keeps the coach’s comment to the team and coaches by default; a peer reading the shared plan sees only the thread shared with everyone', async () => {
    const token = await signIn(suite.server, lead('boulder-co'))
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder shared plan', token })
    await suite.server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => new PlanModel(doc).setSharedWithCohort(true)),
    )
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('boulder-co'))
    const cory = await suite.person(COACH)
    await openPlan([ana, cory], url)
    await ana.page.locator(PROBLEM).click()
    await ana.page.keyboard.type('Contract janitors earn too little to live in Boulder.')
    await cory.page.locator(PROBLEM).getByText('to live in Boulder.').waitFor({ timeout: LIVE })

    // The coach's feedback: the visibility offered first is "Team and coaches".
    await selectWords(cory.page, PROBLEM, 'too little')
    await cory.page
      .getByRole('toolbar', { name: 'Commenting: Problem and baseline' })
      .getByRole('button', { name: 'Comment' })
      .click()
    await expect(cory.page.getByLabel('Who can read it').inputValue()).resolves.toBe('team')
    await cory.page
      .getByRole('textbox', { name: 'Your comment' })
      .fill('Coaching note: cite the living wage calculator.')
    await cory.page.getByRole('button', { name: 'Post comment' }).click()
    await threadCard(ana, 'Coaching note').waitFor({ timeout: LIVE })

    // A question the coach puts to everyone who reads the plan.
    await selectWords(cory.page, PROBLEM, 'Contract janitors')
    await cory.page
      .getByRole('toolbar', { name: 'Commenting: Problem and baseline' })
      .getByRole('button', { name: 'Comment' })
      .click()
    await cory.page.getByLabel('Who can read it').selectOption('all')
    await cory.page
      .getByRole('textbox', { name: 'Your comment' })
      .fill('Question for the cohort: who else pays janitors a living wage?')
    await cory.page.getByRole('button', { name: 'Post comment' }).click()
    await threadCard(ana, 'Question for the cohort').waitFor({ timeout: LIVE })
    await expect(
      threadCard(ana, 'Question for the cohort').getByTestId('thread-visibility').textContent(),
    ).resolves.toBe('Everyone')
    await cory.page.getByText('All changes saved').waitFor({ timeout: LIVE })

    // A member of another jurisdiction reads the shared plan.
    const peer = await suite.person(lead('tulsa-ok'))
    await peer.page.goto(url)
    await peer.page.locator(PROBLEM).getByText('to live in Boulder.').waitFor({ timeout: LIVE })
    await threadCard(peer, 'Question for the cohort').waitFor({ timeout: LIVE })
    await expect.poll(() => sidebar(peer).getByText('Coaching note').count(), { timeout: LIVE }).toBe(0)
    await expect(peer.page.content()).resolves.not.toContain('Coaching note')
    await screenshot(peer.page, 'thread-visibility-peer')
    expect(await seriousA11yViolations(peer.page)).toEqual([])

    // The team shares the coach's note with everyone: the peer sees it arrive.
    await threadCard(ana, 'Coaching note')
      .getByRole('button', { name: /^Share with everyone/ })
      .click()
    await threadCard(peer, 'Coaching note').waitFor({ timeout: LIVE })
    await screenshot(cory.page, 'thread-visibility-coach')
    expect([...ana.errors, ...cory.errors]).toEqual([])
  })
})
