import type { LeverServer } from '@lever/server'
import { DraftModel, PlanModel, SessionModel, setTextMinimal } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { clientPool, converged, synced } from '../support/clients.ts'
import { bearer, createPlan, FACILITATOR, signIn, startServer } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/**
 * What a person types into a field, one value after the other, with the caret after each change
 * (as YTextInput passes it): emoji that share their first UTF-16 unit, a skin-tone emoji, a ZWJ
 * family, combining marks, CJK (including a character outside the BMP) and Hangul.
 */
const STEPS: Array<[value: string, caret: number | undefined]> = [
  ['I 😀 you', undefined],
  ['I 😁 you', 4],
  ['I 😁😂 you', 6],
  ['I 😂 you', 4],
  ['I 😂 you 👍🏽', undefined],
  ['I 😂 you 👍🏿 👩‍👩‍👧', undefined],
  ['cafe\u0301 I 😂 you 👍🏿 👩‍👩‍👧', 5],
  ['cafe\u0308 I 😂 you 👍🏿 👩‍👩‍👧', 5],
  ['中文 cafe\u0308 😂 𠀋 한국어', undefined],
  ['中国文 cafe\u0308 😂 𠀌 한국어', 2],
  ['中国文 cafe\u0308 😃 𠀌 한국어', 12],
]
const FINAL = STEPS.at(-1)?.[0] as string

describe('plain text fields keep every character', () => {
  let server: LeverServer
  const { clients, connect } = clientPool(() => server)
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    for (const c of clients) c.destroy()
    await server.close()
  })

  /** Types every step into each field on `writer`, and checks another client and the stored document. */
  async function typeThrough(docName: string, token: string, fieldsOf: (doc: Y.Doc) => Record<string, Y.Text>) {
    const writer = connect(docName, token)
    const reader = connect(docName, token)
    await Promise.all([synced(writer), synced(reader)])
    const fields = fieldsOf(writer.doc)
    expect(Object.keys(fields).length).toBeGreaterThan(0)
    for (const [value, caret] of STEPS) {
      for (const [name, text] of Object.entries(fields)) {
        setTextMinimal(text, value, caret)
        expect({ name, value: text.toString() }).toEqual({ name, value })
      }
    }
    await converged([writer.doc, reader.doc])
    const seen = fieldsOf(reader.doc)
    for (const [name, text] of Object.entries(seen)) {
      expect({ name, value: text.toString() }).toEqual({ name, value: FINAL })
    }
    // What the server stored reads back the same.
    await waitFor(
      () =>
        server.rooms.withRoom(docName, (room) =>
          Object.values(fieldsOf(room.doc)).every((t) => t.toString() === FINAL),
        ),
      { message: `${docName} to be stored` },
    )
    const later = connect(docName, token)
    await synced(later)
    for (const [name, text] of Object.entries(fieldsOf(later.doc))) {
      expect({ name, value: text.toString() }).toEqual({ name, value: FINAL })
    }
  }

  it('keeps emoji, combining marks and CJK whole in every plain text field of a plan', async () => {
    const token = await signIn(server, FACILITATOR)
    const plan = await createPlan(server, { token })
    const setup = connect(plan.docName, token)
    await synced(setup)
    const model = new PlanModel(setup.doc)
    const initiative = model.addInitiative('procurement', { title: '' })
    initiative.funding.add('f1')
    initiative.metrics.add('m1')
    initiative.milestones.add('s1')
    const fieldsOf = (doc: Y.Doc): Record<string, Y.Text> => {
      const i = new PlanModel(doc).initiative(initiative.id)
      if (!i) return {}
      const out: Record<string, Y.Text | null | undefined> = {
        title: i.text('title'),
        owner: i.text('owner'),
        partners: i.text('partners'),
        risks: i.text('risks'),
        citation: i.evidenceText('citation'),
        evaluationDesign: i.evidenceText('evaluationDesign'),
        fundingProgram: i.funding.get('f1')?.program,
        metricName: i.metrics.get('m1')?.text('name'),
        metricBaseline: i.metrics.get('m1')?.text('baseline'),
        metricTarget: i.metrics.get('m1')?.text('target'),
        metricDataSource: i.metrics.get('m1')?.text('dataSource'),
        milestoneTitle: i.milestones.get('s1')?.title,
      }
      return Object.fromEntries(Object.entries(out).filter((e): e is [string, Y.Text] => !!e[1]))
    }
    await waitFor(() => server.rooms.withRoom(plan.docName, (room) => Object.keys(fieldsOf(room.doc)).length === 12), {
      message: 'the initiative to reach the server',
    })
    await typeThrough(plan.docName, token, fieldsOf)
  })

  it('keeps them whole in the plain text fields of a breakout idea card', async () => {
    const token = await signIn(server, FACILITATOR)
    const created = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ title: 'Breakouts', startsAt: '2026-12-09T17:00:00Z' }),
    })
    const session = await created.json()
    const host = connect(session.docName, token)
    await synced(host)
    const draftId = new SessionModel(host.doc).addGroup('Group A').draftId
    await waitFor(async () => (await fetch(`${server.url}/api/drafts/${draftId}`, { headers: bearer(token) })).ok, {
      message: 'the group to be mirrored',
    })
    const draft = connect(`draft:${draftId}`, token)
    await synced(draft)
    const card = new DraftModel(draft.doc).addCard()
    const fieldsOf = (doc: Y.Doc): Record<string, Y.Text> => {
      const c = new DraftModel(doc).cards.get(card.id)
      const title = c?.text('title')
      const notes = c?.text('notes')
      return title && notes ? { title, notes } : {}
    }
    await waitFor(
      () => server.rooms.withRoom(`draft:${draftId}`, (room) => Object.keys(fieldsOf(room.doc)).length === 2),
      { message: 'the card to reach the server' },
    )
    await typeThrough(`draft:${draftId}`, token, fieldsOf)
  })
})
