import { describe, expect, it } from 'vitest'
import { browserSuite, openPlan, planUrl } from '../support/browser.ts'
import { createPlan, lead, signIn } from '../support/server.ts'
import { editorText, viewShot } from './commentHelpers.ts'

const PROBLEM = '#editor-section-problem'

describe('a plan at its size limit', () => {
  // A limit small enough to reach with one paste.
  const suite = browserSuite({ serverOptions: { collab: { maxDocumentBytes: 96 * 1024 } } })

  it('says why a paste that would pass the limit was not saved, drops it, and the plan opens again as it was', async () => {
    const token = await signIn(suite.server, lead('boulder-co'))
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Boulder full plan', token })
    const ana = await suite.person(lead('boulder-co'))
    const a = ana.page
    await openPlan([ana], planUrl(suite.server, plan))
    await a.locator(PROBLEM).click()
    await a.keyboard.type('Janitors earn too little.')
    await a.getByText('All changes saved').waitFor()

    // One paste of 120 KB: past the limit.
    await a.keyboard.insertText(` ${'Rents rose by a third. '.repeat(5_500)}`)
    const alert = a.getByRole('alert').filter({ hasText: 'This document has reached its size limit' })
    await alert.waitFor({ timeout: 15_000 })
    await expect(alert.textContent()).resolves.toMatch(/your last change was not saved/)
    await expect(a.getByTestId('connection-state').textContent()).resolves.toMatch(/Disconnected/)
    // What the person sees (the page itself holds the 120 KB they pasted).
    await a.evaluate(() => window.scrollTo(0, 0))
    await viewShot(a, 'size-limit')

    // Reloading opens the plan as the server has it: the paste is gone (not resent and refused
    // again from the browser's copy), what was saved before it is there, and editing goes on.
    await Promise.all([a.waitForEvent('load'), alert.getByRole('button', { name: 'Reload' }).click()])
    await a.getByText('All changes saved').waitFor()
    await expect(editorText(a, PROBLEM)).resolves.toBe('Janitors earn too little.')
    await a.locator(PROBLEM).click()
    await a.keyboard.press('Control+End')
    await a.keyboard.type(' Few have benefits.')
    await a.getByText('All changes saved').waitFor()
    await expect(a.getByRole('alert').count()).resolves.toBe(0)
    expect(ana.errors).toEqual([])
  })
})
