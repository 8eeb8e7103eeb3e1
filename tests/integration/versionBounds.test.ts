import type { LeverServer } from '@lever/server'
import { type CompareResponse, PlanModel } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { apiCaller, createPlan, lead, signIn, startServer } from '../support/server.ts'

/** A paragraph element holding `text`. */
function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph')
  p.insert(0, [new Y.XmlText(text)])
  return p
}

/**
 * What an attacker's review found: a team member could fill their own plan so that comparing or
 * restoring a version took the server's whole memory (a table of every pair of paragraphs) or
 * held its event loop for 40 s (a word diff of two long paragraphs without a bound).
 */
describe('comparing and restoring versions of a huge plan', () => {
  let server: LeverServer
  let token: string
  let planId: string
  let docName: string
  const call = () => apiCaller(server)
  const write = (change: (section: Y.XmlFragment) => void) =>
    server.rooms.withRoom(docName, (room) =>
      room.transactServer((doc) => change(new PlanModel(doc).section('problem'))),
    )
  const nameVersion = async (name: string) => {
    const res = await call()(token, 'POST', `/plans/${planId}/versions`, { name })
    expect(res.status).toBe(201)
    return ((await res.json()) as { id: string }).id
  }

  beforeAll(async () => {
    // Each compare and restore of a huge plan is charged to the person's share of the server's time
    // (workAndSizeBounds.test.ts); here the bounds of one request are under test, so the share is
    // wide enough for the whole file on a busy machine.
    server = await startServer({ collab: { workBudget: { msPerSecond: 250, burstMs: 120_000 } } })
    token = await signIn(server, lead('boulder-co'))
    const plan = await createPlan(server, { token, title: 'Huge plan' })
    planId = plan.id
    docName = plan.docName
  })
  afterAll(async () => {
    await server?.close()
  })

  it('compares and restores 25,000 paragraphs, and the server stays up', { timeout: 120_000 }, async () => {
    await write((section) =>
      section.insert(
        0,
        Array.from({ length: 25_000 }, (_, i) => paragraph(`Paragraph ${i}`)),
      ),
    )
    const big = await nameVersion('Twenty-five thousand paragraphs')
    await write((section) => section.insert(12_345, [paragraph('One more paragraph')]))

    const compared = await call()(token, 'GET', `/plans/${planId}/versions/${big}/compare?with=current`)
    expect(compared.status).toBe(200)
    const body = (await compared.json()) as CompareResponse
    const problem = body.prose.find((p) => p.field === 'section:problem')?.changes ?? []
    expect(problem.filter((c) => c.kind !== 'same')).toEqual([{ kind: 'inserted', text: 'One more paragraph' }])
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)

    const restored = await call()(token, 'POST', `/plans/${planId}/versions/${big}/restore`, { section: 'problem' })
    expect(restored.status).toBe(200)
    const live = await server.rooms.withRoom(docName, (room) => new PlanModel(room.doc).section('problem'))
    expect(live.length).toBe(25_000)
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  })

  it('shows a long paragraph rewritten whole as replaced, rather than diffing it word by word for 40 s', async () => {
    const plan = await createPlan(server, { token, title: 'Long paragraph' })
    planId = plan.id
    docName = plan.docName
    const words = (prefix: string) => Array.from({ length: 8000 }, (_, i) => `${prefix}${i}`).join(' ')
    await write((section) => section.insert(0, [paragraph(words('before'))]))
    const version = await nameVersion('Eight thousand words')
    await write((section) => {
      section.delete(0, section.length)
      section.insert(0, [paragraph(words('after'))])
    })
    const compared = await call()(token, 'GET', `/plans/${planId}/versions/${version}/compare?with=current`)
    expect(compared.status).toBe(200)
    const body = (await compared.json()) as CompareResponse
    const problem = body.prose.find((p) => p.field === 'section:problem')?.changes ?? []
    expect(problem.map((c) => [c.kind, c.text.slice(0, 12)])).toEqual([
      ['deleted', 'before0 befo'],
      ['inserted', 'after0 after'],
    ])
  })
})
