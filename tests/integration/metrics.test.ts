import type { LeverServer } from '@lever/server'
import { CloseCode } from '@lever/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, converged, synced } from '../support/clients.ts'
import { rawClient, syncUpdateFrame } from '../support/rawClient.ts'
import { COACH, createPlan, signIn, startServer, wsUrl } from '../support/server.ts'
import { waitFor } from '../support/wait.ts'

/** The value of one sample of the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `))
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0
}

describe('Prometheus metrics', () => {
  let server: LeverServer
  let metricsUrl: string
  const scrape = async () => {
    const res = await fetch(metricsUrl)
    expect(res.status).toBe(200)
    return res.text()
  }

  beforeAll(async () => {
    server = await startServer({ metrics: { port: 0, host: '127.0.0.1' } })
    metricsUrl = server.metricsUrl as string
  })
  afterAll(async () => {
    await server?.close()
  })

  it('are served on their own port bound to this machine, and not on the public port', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/)
    expect(new URL(metricsUrl).port).not.toBe(String(server.port))
    const text = await scrape()
    expect(text).toContain('# TYPE lever_connections gauge')
    const onMain = await fetch(`${server.url}/metrics`)
    expect(await onMain.text()).not.toContain('lever_')
  })

  it('count connections, rooms, updates, bytes, store appends, refusals and close codes after real traffic', async () => {
    const before = await scrape()
    const token = await signIn(server)
    const plan = await createPlan(server, { token })
    const a = connectClient(wsUrl(server), plan.docName, { params: { token } })
    const b = connectClient(wsUrl(server), plan.docName, { params: { token } })
    await Promise.all([synced(a), synced(b)])
    for (let i = 0; i < 5; i++) a.doc.getText('scratch').insert(0, `edit ${i} `)
    await converged([a.doc, b.doc])

    const during = await waitFor(
      async () => {
        const text = await scrape()
        return sample(text, 'lever_updates_total', '{origin="client"}') >=
          sample(before, 'lever_updates_total', '{origin="client"}') + 1
          ? text
          : null
      },
      { message: 'durable client updates to be counted' },
    )
    expect(sample(during, 'lever_connections', '{mode="read-write"}')).toBeGreaterThanOrEqual(2)
    expect(sample(during, 'lever_rooms_loaded')).toBeGreaterThanOrEqual(1)
    expect(sample(during, 'lever_ws_messages_received_total')).toBeGreaterThan(
      sample(before, 'lever_ws_messages_received_total'),
    )
    expect(sample(during, 'lever_ws_bytes_received_total')).toBeGreaterThan(
      sample(before, 'lever_ws_bytes_received_total'),
    )
    expect(sample(during, 'lever_ws_bytes_sent_total')).toBeGreaterThan(sample(before, 'lever_ws_bytes_sent_total'))
    expect(sample(during, 'lever_update_bytes_total', '{origin="client"}')).toBeGreaterThan(0)
    expect(sample(during, 'lever_store_append_seconds_count')).toBeGreaterThan(
      sample(before, 'lever_store_append_seconds_count'),
    )
    expect(sample(during, 'lever_store_commit_group_size_count')).toBeGreaterThan(0)

    // The coach may read this team's plan, not change it: the write policy refuses the edit.
    const coach = await signIn(server, COACH)
    const edit = new Y.Doc()
    Y.applyUpdate(edit, Y.encodeStateAsUpdate(a.doc))
    const sv = Y.encodeStateVector(edit)
    edit.getText('scratch').insert(0, 'not allowed')
    const writer = await rawClient(`${wsUrl(server)}/${plan.docName}?token=${coach}`)
    writer.send(syncUpdateFrame(Y.encodeStateAsUpdate(edit, sv)))
    expect((await writer.closed).code).toBe(CloseCode.WriteNotAllowed)

    a.destroy()
    b.destroy()
    const after = await waitFor(
      async () => {
        const text = await scrape()
        return sample(text, 'lever_connections', '{mode="read-write"}') === 0 ? text : null
      },
      { message: 'the connections to be gone' },
    )
    expect(sample(after, 'lever_refusals_total', '{reason="WriteNotAllowed"}')).toBe(
      sample(before, 'lever_refusals_total', '{reason="WriteNotAllowed"}') + 1,
    )
    expect(sample(after, 'lever_ws_closes_total', '{code="WriteNotAllowed"}')).toBeGreaterThanOrEqual(1)
    // No document names, people or addresses in any label.
    expect(after).not.toContain(plan.docName)
    expect(after).not.toContain(plan.id)
    expect(after).not.toContain('@demo.test')
  })
})
