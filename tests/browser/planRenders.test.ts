import { PlanModel, sectionField } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { browserSuite, openPlan, planUrl } from '../support/browser.ts'
import { clientPool, synced } from '../support/clients.ts'
import { paragraph } from '../support/planFixtures.ts'
import { RENDER_COUNTER, type RenderCounts } from '../support/renderCounter.ts'
import { createPlan, FACILITATOR, lead, signIn } from '../support/server.ts'

const INITIATIVES = 12

describe('what a remote edit re-renders on the plan page', () => {
  const suite = browserSuite()
  const pool = clientPool(() => suite.server)

  it('re-renders no initiative card, plan header or targeted components for keystrokes in a section, and only the changed card for an initiative’s edit', async () => {
    const plan = await createPlan(suite.server, { jurisdictionId: 'boulder-co', title: 'Renders plan' })
    await suite.server.rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => {
        const model = new PlanModel(doc)
        doc.getXmlFragment(sectionField('problem')).insert(0, [paragraph('Wages are low.')])
        for (let n = 0; n < INITIATIVES; n++) {
          model.addInitiative(['procurement', 'hrPractices', 'policy'][n % 3] as string, {
            title: `Initiative ${n + 1}`,
          })
        }
      }),
    )
    const fran = await suite.person(FACILITATOR)
    // React reports each commit to the developer-tools hook; the counter files renders by place.
    await fran.page.addInitScript({ content: RENDER_COUNTER })
    await openPlan([fran], planUrl(suite.server, plan))
    await expect(fran.page.locator('article.initiative-card').count()).resolves.toBe(INITIATIVES)

    const ana = pool.connect(plan.docName, await signIn(suite.server, lead('boulder-co')))
    await synced(ana)
    const counts = () =>
      fran.page.evaluate(() => (window as unknown as { __leverRenders: RenderCounts }).__leverRenders)
    const reset = () =>
      fran.page.evaluate(() => (window as unknown as { __leverRendersReset(): void }).__leverRendersReset())

    // Ana types into the first section, a keystroke at a time.
    await reset()
    const text = (ana.doc.getXmlFragment(sectionField('problem')).get(0) as Y.XmlElement).get(0) as Y.XmlText
    const typed = ' And falling.'
    for (const [i, ch] of [...typed].entries()) {
      text.insert('Wages are low.'.length + i, ch)
      await expect
        .poll(() => fran.page.locator('#editor-section-problem').textContent(), { timeout: 15_000 })
        .toContain(`Wages are low.${typed.slice(0, i + 1)}`)
    }
    const typing = await counts()
    expect(typing.commits).toBeGreaterThan(0)
    expect(typing.places['initiative card'] ?? 0).toBe(0)
    expect(typing.places['inside initiative cards'] ?? 0).toBe(0)
    // The header (title, status, sharing) and the targeted components read only their own values.
    expect(typing.places['plan header'] ?? 0).toBe(0)
    expect(typing.places['target components'] ?? 0).toBe(0)

    // Ana renames one initiative: that card re-renders (once per commit at most), no other.
    await reset()
    const first = new PlanModel(ana.doc).initiatives()[0]
    ana.doc.transact(() => first?.text('title')?.insert(0, 'Renamed '))
    await fran.page
      .getByRole('heading', { name: `Renamed ${first?.title.slice('Renamed '.length)}` })
      .waitFor({ timeout: 15_000 })
    const renaming = await counts()
    expect(renaming.places['initiative card'] ?? 0).toBeGreaterThan(0)
    expect(renaming.places['initiative card'] ?? 0).toBeLessThanOrEqual(renaming.commits)
    expect(fran.errors).toEqual([])
    ana.destroy()
  })
})
