import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { firstStructOf, framingFor, SYNC_UPDATE } from '../clients/rawProtocol.ts'
import { Typist } from '../clients/typing.ts'
import type { ClientTarget } from '../servers/types.ts'
import { matchDeliveries } from './ingestRaw.ts'

const TARGETS: ClientTarget[] = [
  { protocol: 'y-websocket', url: 'ws://127.0.0.1:1', params: {}, seedPlans: true, presenceName: null },
  { protocol: 'hocuspocus', url: 'ws://127.0.0.1:1', params: {}, seedPlans: true, presenceName: null },
]

/** A writer's updates as the server-limited ingest prepares them: one typed character each. */
function typedUpdates(count: number): { doc: Y.Doc; updates: Uint8Array[]; startClocks: number[] } {
  const doc = new Y.Doc()
  const updates: Uint8Array[] = []
  const startClocks: number[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  const typist = new Typist(doc, null, 'writer')
  for (let i = 0; i < count; i++) {
    startClocks.push(Y.getState(doc.store, doc.clientID))
    typist.type(i)
  }
  return { doc, updates, startClocks }
}

describe('server-limited ingest: which update a received frame holds', () => {
  for (const target of TARGETS) {
    it(`reads each frame's first clock from the update header (${target.protocol} framing)`, () => {
      const { doc, updates, startClocks } = typedUpdates(45)
      const framing = framingFor(target, 'plan:abc')
      for (const [i, update] of updates.entries()) {
        const header = framing.read(framing.sync(SYNC_UPDATE, update))
        expect(header?.subtype).toBe(SYNC_UPDATE)
        const first = header ? firstStructOf(header.decoder) : null
        // Every update (backspaces too) starts at a clock of its own, the one recorded before it.
        expect(first).toEqual({ client: doc.clientID, clock: startClocks[i] })
      }
    })
  }

  it('matches every update to the frame that delivered it, also when a server merges updates into one frame', () => {
    const { doc, updates, startClocks } = typedUpdates(30)
    const framing = framingFor(TARGETS[1] as ClientTarget, 'doc')
    // Frames as a merging server sends them: updates 0-9 one by one, 10-19 merged, 20-29 merged.
    const groups = [...updates.slice(0, 10).map((u) => [u]), updates.slice(10, 20), updates.slice(20, 30)]
    const frameClocks: number[] = []
    const frameAt: number[] = []
    let lastEnd = Number.NaN
    for (const [k, group] of groups.entries()) {
      const merged = group.length === 1 ? (group[0] as Uint8Array) : Y.mergeUpdates(group)
      const header = framing.read(framing.sync(SYNC_UPDATE, merged))
      const first = header ? firstStructOf(header.decoder) : null
      frameClocks.push(first?.clock ?? Number.NaN)
      frameAt.push(10_000 + 1000 * k)
      lastEnd = Math.max(...Y.decodeUpdate(merged).structs.map((s) => s.id.clock + s.length))
    }
    const sentAt = startClocks.map((_, i) => 5000 + 10 * i)
    const latencies = matchDeliveries(
      { sentClocks: Float64Array.from(startClocks), sentAt: Float64Array.from(sentAt) },
      { frameClocks: Float64Array.from(frameClocks), frameAt: Float64Array.from(frameAt), lastFrameEndClock: lastEnd },
    )
    const frameOf = (i: number) => (i < 10 ? i : i < 20 ? 10 : 11)
    expect(latencies).toEqual(startClocks.map((_, i) => (10_000 + 1000 * frameOf(i) - (sentAt[i] as number)) / 1000))
    expect(Y.getState(doc.store, doc.clientID)).toBe(lastEnd)
  })

  it('counts updates after the last frame received as not delivered', () => {
    const { updates, startClocks } = typedUpdates(10)
    const framing = framingFor(TARGETS[0] as ClientTarget, 'doc')
    // Only the first six updates arrived, one frame each.
    const received = updates.slice(0, 6)
    const frameClocks = received.map((u) => {
      const header = framing.read(framing.sync(SYNC_UPDATE, u))
      return header ? (firstStructOf(header.decoder)?.clock ?? Number.NaN) : Number.NaN
    })
    const lastEnd = Math.max(...Y.decodeUpdate(received[5] as Uint8Array).structs.map((s) => s.id.clock + s.length))
    const latencies = matchDeliveries(
      { sentClocks: Float64Array.from(startClocks), sentAt: new Float64Array(10) },
      {
        frameClocks: Float64Array.from(frameClocks),
        frameAt: Float64Array.from(frameClocks, () => 2000),
        lastFrameEndClock: lastEnd,
      },
    )
    expect(latencies).toEqual(Array(6).fill(2))
  })
})
