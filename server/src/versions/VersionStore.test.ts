import { PlanModel, planProseJson } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { versionsToThin } from './retention.ts'
import { paragraph, samplePlan } from './testPlans.ts'
import { versionRig } from './testRig.ts'

/** A small seeded generator (mulberry32), so a failing run can be replayed with LEVER_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DAY = 24 * 60 * 60 * 1000

function randomEdit(doc: Y.Doc, rnd: () => number): void {
  const model = new PlanModel(doc)
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rnd() * xs.length)]
  const choice = Math.floor(rnd() * 6)
  doc.transact(() => {
    const section = model.section(pick(['problem', 'jobQualityDefinition', 'theoryOfChange']) as 'problem')
    if (choice === 0) section.insert(Math.floor(rnd() * (section.length + 1)), [paragraph(`p${rnd().toFixed(4)}`)])
    else if (choice === 1 && section.length > 0) section.delete(Math.floor(rnd() * section.length), 1)
    else if (choice === 2)
      model.addInitiative(pick(['procurement', 'policy']) as string, { title: `I${rnd().toFixed(3)}` })
    else if (choice === 3) {
      const i = pick(model.initiatives())
      if (i) model.removeInitiative(i.id)
    } else if (choice === 4) {
      const i = pick(model.initiatives())
      i?.text('owner')?.insert(0, 'x')
      i?.setStatus(pick(['atRisk', 'done', 'onTrack']) as 'done')
    } else model.setTitle(`Title ${rnd().toFixed(5)}`)
  })
}

describe('VersionStore', () => {
  let close: (() => Promise<void>) | null = null
  afterEach(async () => {
    await close?.()
    close = null
  })

  it('rebuilds every stored version exactly as the plan was when it was taken (seeded random edits)', async () => {
    const seed = Number(process.env.LEVER_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const rig = await versionRig()
    close = rig.close
    const rnd = random(seed)
    const live = new Y.Doc()
    samplePlan(live)
    const expected = new Map<string, { plan: unknown; prose: unknown; snapshot: Y.Snapshot }>()
    for (let round = 0; round < 25; round++) {
      for (let i = 0; i < 1 + Math.floor(rnd() * 5); i++) randomEdit(live, rnd)
      const v = await rig.store.add({ planId: rig.plan.id, kind: 'auto', doc: live })
      expected.set(v.id, {
        plan: new PlanModel(live).snapshot(),
        prose: planProseJson(live),
        snapshot: Y.snapshot(live),
      })
    }
    for (const [id, want] of expected) {
      const doc = (await rig.store.loadVersionDoc(rig.plan.id, id)) as Y.Doc
      const got = { plan: new PlanModel(doc).snapshot(), prose: planProseJson(doc) }
      expect(got, `seed ${seed}, version ${id}`).toEqual({ plan: want.plan, prose: want.prose })
      expect(Y.equalSnapshots(Y.snapshot(doc), want.snapshot), `seed ${seed}`).toBe(true)
    }
    expect(await rig.store.loadVersionDoc(rig.plan.id, 'nosuch')).toBeNull()
  })

  it('stores states compressed and lists versions newest first', async () => {
    const rig = await versionRig()
    close = rig.close
    const doc = new Y.Doc()
    samplePlan(doc, 50)
    const first = await rig.store.add({ planId: rig.plan.id, kind: 'named', name: 'One', doc, at: 1000 })
    const second = await rig.store.add({ planId: rig.plan.id, kind: 'auto', doc, at: 2000 })
    expect((await rig.store.list(rig.plan.id)).map((v) => v.id)).toEqual([second.id, first.id])
    expect(first.storedBytes).toBeLessThan(first.stateBytes / 2)
    expect(await rig.store.rename(rig.plan.id, second.id, 'Renamed')).toMatchObject({ kind: 'named', name: 'Renamed' })
  })

  it('thins automatic versions with age (all for two weeks, then daily, then weekly) and never named ones', () => {
    const now = Date.UTC(2026, 5, 30, 12)
    const versions = [
      // Within two weeks: all kept.
      { id: 'recent-1', kind: 'auto' as const, createdAt: now - 1 * DAY },
      { id: 'recent-2', kind: 'auto' as const, createdAt: now - 1 * DAY - 60_000 },
      // Twenty days old: the newest of that day stays.
      { id: 'day-new', kind: 'auto' as const, createdAt: Date.UTC(2026, 5, 10, 18) },
      { id: 'day-old', kind: 'auto' as const, createdAt: Date.UTC(2026, 5, 10, 9) },
      { id: 'day-named', kind: 'named' as const, createdAt: Date.UTC(2026, 5, 10, 8) },
      // Half a year old: the newest of that week stays.
      { id: 'week-new', kind: 'auto' as const, createdAt: Date.UTC(2026, 0, 8, 10) },
      { id: 'week-old', kind: 'auto' as const, createdAt: Date.UTC(2026, 0, 6, 10) },
      { id: 'week-event', kind: 'event' as const, createdAt: Date.UTC(2026, 0, 6, 9) },
    ]
    expect([...versionsToThin(versions, now)].sort()).toEqual(['day-old', 'week-old'])
    expect(versionsToThin(versions, now, { keepAllMs: 365 * DAY, keepDailyMs: 365 * DAY }).size).toBe(0)
  })

  it('hands the authors of thinned versions to the next version kept', async () => {
    const rig = await versionRig()
    close = rig.close
    const doc = new Y.Doc()
    const add = (at: number, authors: string[]) =>
      rig.store.add({ planId: rig.plan.id, kind: 'auto', doc, at, authors })
    await add(1, ['ada'])
    const b = await add(2, ['bo'])
    const c = await add(3, ['cy'])
    await add(4, ['di'])
    expect(await rig.store.remove(rig.plan.id, new Set([b.id, c.id]))).toBe(2)
    expect((await rig.store.list(rig.plan.id)).map((v) => v.authors)).toEqual([['bo', 'cy', 'di'], ['ada']])
  })
})
