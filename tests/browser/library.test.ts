import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ARTIFACTS_DIR, browserSuite, planUrl, screenshot, seriousA11yViolations } from '../support/browser.ts'
import { bearer, createPlan, FACILITATOR, lead, signIn } from '../support/server.ts'

const LIVE = 15_000

interface Entry {
  id: string
  title: string
}

describe('the library', () => {
  // The library starts empty here (no data file), so the page shows exactly the entries made below.
  const suite = browserSuite({
    serverOptions: { library: { evidenceSeedFile: path.join(ARTIFACTS_DIR, 'no-evidence-data-file.json') } },
  })

  async function addEntry(token: string, over: Record<string, unknown>): Promise<Entry> {
    const res = await fetch(`${suite.server.url}/api/library/evidence`, {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      body: JSON.stringify({
        summary: 'Employer-led training for in-demand occupations raised participants’ earnings.',
        source: { name: 'Test clearinghouse', url: 'https://clearinghouse.example.gov/study' },
        outcomeDomains: ['Earnings'],
        checked: { on: '2026-11-30', where: 'the clearinghouse’s intervention page' },
        ...over,
      }),
    })
    if (res.status !== 201) throw new Error(`adding an entry failed: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { entry: Entry }).entry
  }

  async function setUp() {
    const facilitator = await signIn(suite.server, FACILITATOR)
    const sectoral = await addEntry(facilitator, {
      title: 'Sector-based training partnerships',
      rating: { scheme: 'CLEAR causal evidence', value: 'High' },
      levers: ['procurement', 'policy'],
      components: ['wages', 'learning'],
      populations: ['Adults with low incomes'],
      suggestedTier: 'strong',
    })
    await addEntry(facilitator, {
      title: 'Predictable scheduling pilot',
      rating: { scheme: 'Pathways Clearinghouse', value: 'Supported' },
      levers: ['hrPractices'],
      components: ['scheduling'],
      populations: ['Retail workers'],
      suggestedTier: 'moderate',
    })
    await addEntry(facilitator, {
      title: 'Worker voice councils',
      rating: null,
      levers: ['empowerment'],
      components: ['voice'],
      populations: ['Public employees'],
    })
    await fetch(`${suite.server.url}/api/library/resources`, {
      method: 'POST',
      headers: { ...bearer(facilitator), 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Good jobs contract clauses',
        description: 'Model language for job-quality standards in solicitations.',
        levers: ['procurement'],
        components: ['wages'],
        url: 'https://example.org/clauses',
      }),
    })
    const form = new FormData()
    form.set('title', 'Bid scoring worksheet')
    form.set('description', 'Weights for job-quality commitments in bids.')
    form.append('levers', 'procurement')
    form.set('file', new Blob(['criterion,weight\nwages,30\n'], { type: 'text/csv' }), 'scoring.csv')
    const uploaded = await fetch(`${suite.server.url}/api/library/resources`, {
      method: 'POST',
      headers: bearer(facilitator),
      body: form,
    })
    expect(uploaded.status).toBe(201)
    return { facilitator, sectoral }
  }

  it('browses and filters the evidence and resources, cites an entry from an initiative, and shows when it changed', async () => {
    const { facilitator, sectoral } = await setUp()
    const member = await signIn(suite.server, lead('boulder-co'))
    const plan = await createPlan(suite.server, {
      jurisdictionId: 'boulder-co',
      title: 'Boulder good jobs plan',
      token: member,
    })

    const ana = await suite.person(lead('boulder-co'))
    const page = ana.page
    await page.goto(`${suite.server.url}/`)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Library' }).click()
    await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor()
    const cards = page.getByTestId('evidence-entry')
    await expect.poll(() => cards.count(), { timeout: LIVE }).toBe(3)
    // Ratings read in each source's own words; unrated entries say so.
    const first = cards.filter({ hasText: 'Sector-based training partnerships' })
    await first.getByText('CLEAR causal evidence:').waitFor()
    await first.getByText('Suggested tier: Strong evidence').waitFor()
    await first.getByText('Checked Nov 30, 2026 against the clearinghouse’s intervention page').waitFor()
    expect(await first.getByRole('link', { name: /Test clearinghouse/ }).getAttribute('href')).toBe(
      'https://clearinghouse.example.gov/study',
    )
    await cards.filter({ hasText: 'Worker voice councils' }).getByText('Not rated by the source').waitFor()
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'library-evidence')

    await page.getByLabel('Lever', { exact: true }).selectOption({ label: 'HR practices' })
    await expect.poll(() => cards.count(), { timeout: LIVE }).toBe(1)
    await cards.first().getByText('Predictable scheduling pilot').waitFor()
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByLabel('Rating').selectOption({ label: 'High' })
    await expect.poll(() => cards.count(), { timeout: LIVE }).toBe(1)
    await page.getByLabel('Rating').selectOption({ label: 'Any' })
    await page.getByLabel('Population').selectOption({ label: 'Public employees' })
    await expect.poll(() => cards.count(), { timeout: LIVE }).toBe(1)
    await page.getByRole('button', { name: 'Clear filters' }).click()
    await page.getByLabel('Component').selectOption('learning')
    await page.getByLabel('Search', { exact: true }).fill('training')
    await expect.poll(() => cards.count(), { timeout: LIVE }).toBe(1)
    await page.getByRole('status').filter({ hasText: 'Showing 1 of 3 entries' }).waitFor()
    expect(page.url()).toContain('component=learning')
    await screenshot(page, 'library-evidence-filtered')

    // Resources: a link and an uploaded file, to download.
    await page.getByRole('navigation', { name: 'Library sections' }).getByRole('link', { name: 'Resources' }).click()
    const resources = page.getByTestId('resource')
    await expect.poll(() => resources.count(), { timeout: LIVE }).toBe(2)
    await page.getByRole('link', { name: /Download scoring\.csv/ }).waitFor()
    // Team members read; only facilitators add.
    expect(await page.getByRole('heading', { name: 'Add a resource' }).count()).toBe(0)
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'library-resources')

    // Cite an entry from an initiative of the plan.
    await page.goto(planUrl(suite.server, plan))
    await page.getByText('All changes saved').waitFor({ timeout: LIVE })
    await page.getByRole('button', { name: 'Add initiative to Procurement' }).click()
    await page.getByLabel('Initiative title').fill('Living wage in city contracts')
    const card = page.locator('article.initiative-card')
    await card.getByRole('button', { name: 'Cite from library' }).click()
    const picker = page.getByRole('dialog', { name: 'Cite from the library' })
    await picker.getByLabel('Search the evidence').fill('sector')
    await picker.getByRole('button', { name: 'Cite “Sector-based training partnerships”' }).click()
    await picker.waitFor({ state: 'detached', timeout: LIVE })
    const citation = card.getByTestId('citation')
    await citation.getByText('Sector-based training partnerships').waitFor({ timeout: LIVE })
    await citation.getByText('High').waitFor()
    expect(await citation.getByText('Updated since cited').count()).toBe(0)
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'library-citation')
    await picker.waitFor({ state: 'detached' })

    // The clearinghouse changes its rating: the citation keeps the rating it cited, and says so.
    const changed = await fetch(`${suite.server.url}/api/library/evidence/${sectoral.id}`, {
      method: 'PATCH',
      headers: { ...bearer(facilitator), 'content-type': 'application/json' },
      body: JSON.stringify({ rating: { scheme: 'CLEAR causal evidence', value: 'Moderate' } }),
    })
    expect(changed.status).toBe(200)
    await page.reload()
    await page.getByText('All changes saved').waitFor({ timeout: LIVE })
    await page.getByRole('button', { name: /^Edit Living wage in city contracts/ }).click()
    const reopened = page.locator('article.initiative-card').getByTestId('citation')
    await reopened.getByText('Updated since cited').waitFor({ timeout: LIVE })
    await reopened.getByText('High').waitFor()
    expect(await reopened.getByText('Moderate').count()).toBe(0)
    await screenshot(page, 'library-citation-updated')

    // The search palette finds entries and resources, grouped apart from plans.
    const box = page.getByRole('combobox', { name: 'Find in Lever' })
    await box.fill('worksheet')
    const matches = page.getByRole('listbox', { name: 'Matches' })
    await matches
      .getByRole('group', { name: 'Resources' })
      .getByRole('option', { name: /Bid scoring worksheet/ })
      .waitFor({ timeout: LIVE })
    await box.fill('sector-based')
    await matches
      .getByRole('group', { name: 'Evidence library' })
      .getByRole('option', { name: /Sector-based training partnerships/ })
      .waitFor({ timeout: LIVE })
    await screenshot(page, 'library-search')
    await page.keyboard.press('Escape')
    // The evidence part of the initiative, close up.
    await page
      .locator('article.initiative-card fieldset', { hasText: 'Evidence tier' })
      .screenshot({ path: path.join(ARTIFACTS_DIR, 'library-citation-closeup.png') })
    expect(ana.errors).toEqual([])
  })

  it('starts an initiative from an entry in a chosen plan and lever; a facilitator adds an entry with the form', async () => {
    const member = await signIn(suite.server, lead('tulsa-ok'))
    const plan = await createPlan(suite.server, { jurisdictionId: 'tulsa-ok', title: 'Tulsa plan', token: member })
    const facilitatorToken = await signIn(suite.server, FACILITATOR)
    const entry = await addEntry(facilitatorToken, {
      title: 'Transitional jobs for returning citizens',
      rating: { scheme: 'CLEAR causal evidence', value: 'Moderate' },
      levers: ['policy'],
      components: ['purpose'],
      suggestedTier: 'moderate',
    })
    const tia = await suite.person(lead('tulsa-ok'))
    await tia.page.goto(`${suite.server.url}/library/evidence/${entry.id}`)
    await tia.page.getByRole('heading', { name: 'Transitional jobs for returning citizens' }).waitFor()
    expect(await tia.page.getByRole('button', { name: 'Edit entry' }).count()).toBe(0)
    await tia.page.getByLabel('Plan', { exact: true }).selectOption({ label: 'Tulsa plan' })
    await tia.page.getByLabel('Lever', { exact: true }).selectOption({ label: 'Policy' })
    expect(await seriousA11yViolations(tia.page)).toEqual([])
    await screenshot(tia.page, 'library-entry')
    await tia.page.getByRole('button', { name: 'Start the initiative' }).click()
    await tia.page.waitForURL(new RegExp(`/plans/${plan.id}#initiative-`), { timeout: LIVE })
    const started = tia.page.locator('article.initiative-card', { hasText: 'Transitional jobs for returning citizens' })
    await started.waitFor({ timeout: LIVE })

    // A facilitator adds an entry: a bad link is explained next to its field.
    const fran = await suite.person(FACILITATOR)
    const page = fran.page
    await page.goto(`${suite.server.url}/library`)
    await page.getByRole('button', { name: 'Add an entry' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add an evidence entry' })
    await dialog.getByLabel('Title').fill('Paid family leave for city staff')
    await dialog.getByLabel('Summary').fill('Paid leave raised the return to work after childbirth.')
    await dialog.getByLabel('Source', { exact: true }).fill('Test clearinghouse')
    await dialog.getByLabel('Source link').fill('javascript:alert(1)')
    await dialog.getByRole('checkbox', { name: 'HR practices' }).check()
    await dialog.getByRole('button', { name: 'Add entry' }).click()
    await dialog.getByText('Use a web address starting with http:// or https://').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: LIVE }).toBe('entry-source-url')
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'library-entry-form')
    await dialog.getByLabel('Source link').fill('https://clearinghouse.example.gov/leave')
    await dialog.getByRole('button', { name: 'Add entry' }).click()
    await page.getByRole('heading', { level: 2, name: 'Paid family leave for city staff' }).waitFor({ timeout: LIVE })

    // Resources: a file of a type not taken is refused with the reason; an allowed one is added, then edited.
    await page.getByRole('navigation', { name: 'Library sections' }).getByRole('link', { name: 'Resources' }).click()
    const form = page.getByRole('form', { name: 'Add a resource' })
    await form.getByRole('radio', { name: 'A file' }).check()
    await form.getByLabel('Title', { exact: true }).fill('Wage survey')
    await form.getByLabel('File', { exact: true }).setInputFiles({
      name: 'survey.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<script>alert(1)</script>'),
    })
    await form.getByRole('button', { name: 'Add resource' }).click()
    await form.getByText(/are not accepted/).waitFor({ timeout: LIVE })
    await form.getByLabel('File', { exact: true }).setInputFiles({
      name: 'survey.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('job,wage\nclerk,21\n'),
    })
    await form.getByRole('button', { name: 'Add resource' }).click()
    await page.getByRole('link', { name: /Download survey\.csv/ }).waitFor({ timeout: LIVE })
    await page.getByRole('button', { name: 'Edit “Wage survey”' }).click()
    const edit = page.getByRole('dialog', { name: 'Edit “Wage survey”' })
    await edit.getByLabel('Title', { exact: true }).fill('Wage survey of city contractors')
    await edit.getByRole('checkbox', { name: 'Wages', exact: true }).check()
    await edit.getByRole('button', { name: 'Save resource' }).click()
    await page.getByRole('heading', { name: 'Wage survey of city contractors' }).waitFor({ timeout: LIVE })
    expect(await seriousA11yViolations(page)).toEqual([])
    await screenshot(page, 'library-resources-facilitator')
    expect(tia.errors).toEqual([])
    // The refused upload is the one failed request (the browser logs it).
    expect(fran.errors).toEqual([expect.stringMatching(/status of 415/)])
  })
})
