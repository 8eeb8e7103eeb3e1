import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { createPlan, FACILITATOR, lead } from '../support/server.ts'

describe('version history in the plan page', () => {
  const suite = browserSuite()

  it('names a version, compares it with the plan now, restores it live for the other person, and undoes the restore', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder good jobs plan' })
    const ana = await suite.person(lead('boulder-co'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], planUrl(suite.server, plan))
    const first = 'Warehouse jobs in Boulder pay below a living wage.'
    const later = ' Wages rose by a tenth in 2025.'
    await ana.page.locator('#editor-section-problem').click()
    await ana.page.keyboard.type(first)
    await fran.page.locator('#editor-section-problem').getByText(first).waitFor()
    await ana.page.getByText('All changes saved').waitFor()

    // Ana names the plan as it is.
    const page = ana.page
    page.setDefaultTimeout(15_000)
    await page.getByRole('button', { name: 'History' }).click()
    const dialog = page.getByRole('dialog', { name: 'Version history' })
    await dialog.getByLabel('Name the plan as it is now').fill('Submitted to council, March')
    await dialog.getByRole('button', { name: 'Save version' }).click()
    await dialog.getByRole('status').getByText('Saved “Submitted to council, March”.').waitFor()
    await dialog.getByRole('button', { name: 'Close' }).click()

    // More writing, and the status changes.
    await page.locator('#editor-section-problem').click()
    await page.keyboard.press('End')
    await page.keyboard.type(later)
    await page.getByLabel('Plan status').selectOption({ label: 'In review' })
    await fran.page
      .locator('#editor-section-problem')
      .getByText(first + later)
      .waitFor()
    await page.getByText('All changes saved').waitFor()

    // History: newest first, the named one among them; choose it with the keyboard.
    await page.getByRole('button', { name: 'History' }).click()
    const list = dialog.getByRole('list', { name: 'Versions, newest first' })
    const named = list.getByRole('button', { name: /Submitted to council, March/ })
    await named.waitFor()
    await named.focus()
    await page.keyboard.press('Enter')
    await expect(named.getAttribute('aria-current')).resolves.toBe('true')
    const pane = dialog.getByRole('region', { name: 'Submitted to council, March' })
    await pane.getByRole('article', { name: 'The plan as it was' }).getByText(first, { exact: true }).waitFor()
    await screenshot(page, 'history-view')

    // Compare with the plan now: the added sentence is marked as inserted, the status before → after.
    await pane.getByRole('button', { name: 'Compare' }).click()
    const inserted = pane.locator('ins.history-ins', { hasText: 'Wages rose' })
    await inserted.first().waitFor()
    await pane
      .getByRole('table', { name: 'Fields changed' })
      .getByRole('row', { name: /Status/ })
      .getByText('In review')
      .waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'history-compare')

    // Restore: Fran sees the plan as it was, without reloading.
    await pane.getByRole('button', { name: 'Restore this version' }).click()
    await page.getByRole('dialog', { name: 'Restore this version?' }).getByRole('button', { name: 'Restore' }).click()
    await dialog
      .getByRole('status')
      .getByText(/Restored/)
      .waitFor()
    await fran.page.locator('#editor-section-problem').getByText(first, { exact: true }).waitFor()
    await expect(fran.page.locator('#editor-section-problem').textContent()).resolves.not.toContain('Wages rose')
    await expect(fran.page.getByLabel('Plan status').inputValue()).resolves.toBe('draft')
    // Fran is told who replaced what she was reading; Ana, who did it, is not told twice.
    const notice = fran.page.getByTestId('restore-notice')
    await notice.getByText(/ restored “Submitted to council, March” at /).waitFor()
    await expect(page.getByTestId('restore-notice').count()).resolves.toBe(0)
    expect(await seriousA11yViolations(fran.page)).toEqual([])
    await screenshot(page, 'history-restored')
    await screenshot(fran.page, 'history-restored-other-person')

    // Undo the restore: the later sentence and status come back for everyone.
    await dialog.getByRole('button', { name: 'Undo the restore' }).click()
    await dialog
      .getByRole('status')
      .getByText(/The restore is undone/)
      .waitFor()
    await fran.page
      .locator('#editor-section-problem')
      .getByText(first + later)
      .waitFor()
    await expect.poll(() => fran.page.getByLabel('Plan status').inputValue()).toBe('inReview')
    await notice.getByText(/ undid a restore at /).waitFor()
    await notice.getByRole('button', { name: 'Dismiss' }).click()
    await notice.waitFor({ state: 'detached' })
    await expect.poll(() => list.getByRole('listitem').count()).toBeGreaterThanOrEqual(4)
    await screenshot(page, 'history-undone')

    // Escape closes the history and focus goes back to its button.
    await page.keyboard.press('Escape')
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('History')
  }, 180_000)

  it('lets a facilitator delete a version from the history, after confirming, and offers it to no one else', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder history cleanup' })
    const ana = await suite.person(lead('boulder-co'))
    const fran = await suite.person(FACILITATOR)
    await openPlan([ana, fran], planUrl(suite.server, plan))

    // Ana names a version; as a team member she is not offered deleting it.
    await ana.page.getByRole('button', { name: 'History' }).click()
    const anaDialog = ana.page.getByRole('dialog', { name: 'Version history' })
    await anaDialog.getByLabel('Name the plan as it is now').fill('Old draft')
    await anaDialog.getByRole('button', { name: 'Save version' }).click()
    await anaDialog.getByRole('region', { name: 'Old draft' }).waitFor()
    await expect(anaDialog.getByRole('button', { name: 'Delete this version' }).count()).resolves.toBe(0)

    // Fran deletes it, after confirming.
    const page = fran.page
    await page.getByRole('button', { name: 'History' }).click()
    const dialog = page.getByRole('dialog', { name: 'Version history' })
    const list = dialog.getByRole('list', { name: 'Versions, newest first' })
    await list.getByRole('button', { name: /Old draft/ }).click()
    await dialog.getByRole('region', { name: 'Old draft' }).getByRole('button', { name: 'Delete this version' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete this version?' })
    await confirm.getByText('“Old draft” leaves the plan’s history for good').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'history-delete-confirm')
    await confirm.getByRole('button', { name: 'Delete version' }).click()
    await dialog.getByRole('status').getByText('Deleted “Old draft” from the history.').waitFor()
    await expect.poll(() => list.getByRole('button', { name: /Old draft/ }).count()).toBe(0)
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('history-heading')
    await screenshot(page, 'history-deleted')
  }, 120_000)

  it('lets the assigned coach read and compare history but offers no naming or restoring', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Coach-read plan' })
    const coach = await suite.person('coach@demo.test')
    await openPlan([coach], planUrl(suite.server, plan))
    await coach.page.getByRole('button', { name: 'History' }).click()
    const dialog = coach.page.getByRole('dialog', { name: 'Version history' })
    const first = dialog.getByRole('list', { name: 'Versions, newest first' }).getByRole('button').first()
    await first.click()
    await dialog.getByRole('article', { name: 'The plan as it was' }).waitFor()
    await expect(dialog.getByRole('button', { name: /Restore/ }).count()).resolves.toBe(0)
    await expect(dialog.getByLabel('Name the plan as it is now').count()).resolves.toBe(0)
    await screenshot(coach.page, 'history-coach')
  })
})
