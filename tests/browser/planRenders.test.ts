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

  it('re-renders no initiative card, plan header or targeted components for keystrokes or presence in a section, and only the card concerned for presence on an initiative or its edit', async () => {
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

    // Ana's presence arrives in the first section: no card re-renders, nor the header.
    await reset()
    const presence = (focus: { kind: 'section' | 'initiative'; id: string }) =>
      ana.provider.awareness.setLocalState({ user: { name: 'Ana', color: '#0f766e', id: '' }, focus })
    presence({ kind: 'section', id: 'problem' })
    await fran.page
      .locator('#section-problem')
      .getByRole('list', { name: 'Working in this section' })
      .waitFor({ timeout: 15_000 })
    const joining = await counts()
    expect(joining.commits).toBeGreaterThan(0)
    expect(joining.places['initiative card'] ?? 0).toBe(0)
    expect(joining.places['inside initiative cards'] ?? 0).toBe(0)
    expect(joining.places['plan header'] ?? 0).toBe(0)

    // She moves to one initiative: inside the cards, only that card's presence re-renders.
    await reset()
    const target = new PlanModel(ana.doc).initiatives()[3]?.id as string
    presence({ kind: 'initiative', id: target })
    await fran.page
      .locator(`#initiative-${target}`)
      .getByRole('list', { name: 'Working on this initiative' })
      .waitFor({ timeout: 15_000 })
    const moving = await counts()
    expect(moving.places['initiative card'] ?? 0).toBe(0)
    // That card's outline, its list of people and her avatar (four components) per commit at
    // most; every card's presence re-rendering would be two components each of the twelve.
    expect(moving.places['inside initiative cards'] ?? 0).toBeGreaterThan(0)
    expect(moving.places['inside initiative cards'] ?? 0).toBeLessThanOrEqual(4 * moving.commits)

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
