import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { COACH, createPlan, FACILITATOR, lead, signIn } from '../support/server.ts'
import { editorText, highlights, selectWords, sidebar, threadCard, viewShot, watchSockets } from './commentHelpers.ts'

const LIVE = 2_000
const PROBLEM = '#editor-section-problem'

describe('coach comments on a plan the team keeps writing', () => {
  const suite = browserSuite()

  it('keeps the coach’s highlight on the same words while a team member types in the same paragraph; the team replies and resolves and the coach sees it live, on a connection that is never closed', async () => {
    const token = await signIn(suite.server, lead('boulder-co'))
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder comments plan', token })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('boulder-co'))
    const cory = await suite.person(COACH)
    await openPlan([ana, cory], url)
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
    await viewShot(cory.page, 'comments-coach')
    expect(await seriousA11yViolations(cory.page)).toEqual([])
    await cory.page.getByLabel('Show threads').selectOption('all')
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

  it('keeps a thread whose words are deleted as “original text deleted” with its quote, brings the highlight back on Ctrl+Z, filters threads, and puts an @mention in the mentioned person’s inbox until it is read', async () => {
    const token = await signIn(suite.server, lead('boulder-co'))
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder orphan plan', token })
    const url = planUrl(suite.server, plan)
    const ana = await suite.person(lead('boulder-co'))
    const cory = await suite.person(COACH)
    await openPlan([ana, cory], url)
    await ana.page.locator(PROBLEM).click()
    await ana.page.keyboard.type('Contract janitors earn too little to live in Boulder. Few have health benefits.')

    // Ana comments on her own words; the coach comments on others and @mentions Ana.
    await selectWords(ana.page, PROBLEM, 'health benefits')
    await ana.page.keyboard.press('Control+Alt+m')
    await ana.page.getByLabel('Your comment').fill('Add the share of contracts with benefits.')
    await ana.page.getByRole('button', { name: 'Post comment' }).click()
    await selectWords(cory.page, PROBLEM, 'too little')
    await cory.page.keyboard.press('Control+Alt+m')
    const box = cory.page.getByLabel('Your comment')
    await box.pressSequentially('How much is too little? @Cit')
    await cory.page.getByRole('option', { name: /City of Boulder lead/ }).waitFor()
    expect(await seriousA11yViolations(cory.page)).toEqual([])
    await viewShot(cory.page, 'comments-mention')
    await box.press('Enter')
    await box.pressSequentially('can you add the wage data?')
    await expect(box.inputValue()).resolves.toBe(
      'How much is too little? @City of Boulder lead can you add the wage data?',
    )
    await cory.page.getByRole('button', { name: 'Post comment' }).click()
    const mentionCard = threadCard(ana, 'How much is too little?')
    await mentionCard.waitFor({ timeout: LIVE })
    await expect(mentionCard.locator('.mention--me').textContent()).resolves.toMatch('@City of Boulder lead')

    // Filters: mine, mentioning me, resolved.
    const filter = ana.page.getByLabel('Show threads')
    await filter.selectOption('mine')
    await expect(sidebar(ana).locator('article.thread-card').count()).resolves.toBe(1)
    await threadCard(ana, 'Add the share of contracts').waitFor()
    await filter.selectOption('mentions')
    await expect(sidebar(ana).locator('article.thread-card').count()).resolves.toBe(1)
    await mentionCard.waitFor()
    await filter.selectOption('open')
    // Document order: "too little" comes before "health benefits" in the section.
    await expect(sidebar(ana).locator('article.thread-card blockquote').allTextContents()).resolves.toEqual([
      'too little',
      'health benefits',
    ])

    // Ana deletes the commented words: the thread stays, as "original text deleted" with its quote.
    await selectWords(ana.page, PROBLEM, 'too little ')
    await ana.page.keyboard.press('Backspace')
    for (const p of [ana, cory]) {
      const card = threadCard(p, 'How much is too little?')
      await card.getByText('Original text deleted').waitFor({ timeout: LIVE })
      await expect(card.locator('blockquote').textContent()).resolves.toMatch('too little')
      await expect
        .poll(() => highlights(p.page, PROBLEM), { timeout: LIVE })
        .not.toHaveProperty((await card.getAttribute('data-thread')) ?? '')
    }
    await threadCard(ana, 'How much is too little?').scrollIntoViewIfNeeded()
    await viewShot(ana.page, 'comments-orphan')
    // Ctrl+Z brings the words back with their highlight, for both.
    await ana.page.keyboard.press('Control+z')
    for (const p of [ana, cory]) {
      await expect
        .poll(async () => Object.values(await highlights(p.page, PROBLEM)).sort(), { timeout: LIVE })
        .toEqual(['health benefits', 'too little'])
      await expect(threadCard(p, 'How much is too little?').getByText('Original text deleted').count()).resolves.toBe(0)
    }

    // Ana resolves her own thread; "Resolved" lists it.
    await threadCard(ana, 'Add the share of contracts')
      .getByRole('button', { name: /^Resolve/ })
      .click()
    await filter.selectOption('resolved')
    await threadCard(ana, 'Add the share of contracts').getByText('Resolved by City of Boulder lead').waitFor()
    await expect(sidebar(ana).locator('article.thread-card').count()).resolves.toBe(1)

    // The mention is in Ana's inbox, unread (bold, with a count in the top bar), until she opens it.
    await ana.page.getByText('All changes saved').waitFor()
    const inboxLink = ana.page.getByTestId('inbox-link')
    await ana.page.goto(`${suite.server.url}/inbox?filter=mentions`)
    const item = ana.page.getByTestId('inbox').locator('li', { hasText: 'How much is too little?' })
    await expect
      .poll(
        async () => {
          await ana.page.reload()
          await ana.page.getByText(/^\d+ threads?, /).waitFor()
          return item.count()
        },
        { timeout: 10_000 },
      )
      .toBe(1)
    await item.getByText('Unread').waitFor()
    await expect(inboxLink.textContent()).resolves.toMatch(/Inbox\s*1\s*unread/)
    await screenshot(ana.page, 'inbox')
    expect(await seriousA11yViolations(ana.page)).toEqual([])
    await item.getByRole('link').click()
    await ana.page.waitForURL(/\/plans\/.+\?thread=/)
    await expect
      .poll(() => ana.page.evaluate(() => document.activeElement?.closest('article')?.textContent ?? ''))
      .toMatch('How much is too little?')
    await expect.poll(() => inboxLink.textContent(), { timeout: 5_000 }).toBe('Inbox')
    // From a thread to its words and back: "Show in plan" puts the caret in the words, and the
    // editor's Ctrl+Alt+M ("Show comment") returns to the thread; clicking highlighted words opens theirs.
    await threadCard(ana, 'How much is too little?')
      .getByRole('button', { name: /^Show in plan/ })
      .click()
    await expect.poll(() => ana.page.evaluate(() => document.activeElement?.id)).toBe('editor-section-problem')
    await ana.page.keyboard.press('Control+Alt+m')
    await expect
      .poll(() => ana.page.evaluate(() => document.activeElement?.closest('article')?.textContent ?? ''))
      .toMatch('How much is too little?')
    await ana.page.locator(PROBLEM).getByText('health benefits').click()
    await threadCard(ana, 'Add the share of contracts').and(ana.page.locator('.thread-card--active')).waitFor()

    await ana.page.goto(`${suite.server.url}/inbox?filter=unread`)
    await ana.page.getByText('You have read everything.').waitFor()
    expect([...ana.errors, ...cory.errors]).toEqual([])
  })

  it('lets a facilitator remove a coach’s comment, which the team sees gone live; the team cannot', async () => {
    const token = await signIn(suite.server, lead('boulder-co'))
    const plan = await createPlan(suite.server, {
      jurisdictionId: 'boulder-co',
      title: 'Boulder moderated plan',
      token,
    })
    const ana = await suite.person(lead('boulder-co'))
    const cory = await suite.person(COACH)
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, cory, fran], planUrl(suite.server, plan))
    await ana.page.locator(PROBLEM).click()
    await ana.page.keyboard.type('Contract janitors earn too little.')
    await selectWords(cory.page, PROBLEM, 'too little')
    await cory.page.keyboard.press('Control+Alt+m')
    await cory.page.getByLabel('Your comment').fill('Something that should not stay here.')
    await cory.page.getByRole('button', { name: 'Post comment' }).click()
    await threadCard(ana, 'Something that should not stay here.').waitFor({ timeout: LIVE })
    // Neither Ana nor Fran may edit Cory's words; only Fran, as facilitator, may remove them.
    await expect(
      threadCard(ana, 'Something that should not')
        .getByRole('button', { name: /Remove|Delete|Edit/ })
        .count(),
    ).resolves.toBe(0)
    const card = threadCard(fran, 'Something that should not stay here.')
    await expect(card.getByRole('button', { name: /^Edit/ }).count()).resolves.toBe(0)
    await card.getByRole('button', { name: 'Remove Cory Coach’s comment' }).click()
    await fran.page
      .getByRole('dialog', { name: 'Remove this comment?' })
      .getByRole('button', { name: 'Remove comment' })
      .click()
    for (const p of [ana, cory]) {
      await sidebar(p).getByText('Comment deleted').waitFor({ timeout: LIVE })
      await expect(sidebar(p).getByText('Something that should not stay here.').count()).resolves.toBe(0)
    }
    await expect(fran.page.getByTestId('connection-state').textContent()).resolves.toMatch(/Connected/)
    expect([...ana.errors, ...cory.errors, ...fran.errors]).toEqual([])
  })
})
