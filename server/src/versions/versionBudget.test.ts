import { randomBytes } from 'node:crypto'
import { ErrorCode, PlanModel, type User } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import { ClientRegistry } from '../collab/ClientRegistry.ts'
import type { Room } from '../collab/Room.ts'
import { ApiError } from '../http/ApiError.ts'
import { memoryLogger } from '../logger.ts'
import { paragraph } from './testPlans.ts'
import { versionRig, waitFor } from './testRig.ts'
import { VersionService } from './VersionService.ts'

type Rig = Awaited<ReturnType<typeof versionRig>>

const ada = { id: 'ada', name: 'Ada', email: 'ada@example.gov', role: 'member', jurisdictionId: null } as User

/**
 * Rewrites the plan's problem section as one paragraph of 10,000 random characters: each version
 * then takes about 7.5 KB compressed (the rest of the plan is small).
 */
function rewrite(room: Room, userId: string): string {
  const text = randomBytes(7500).toString('base64')
  room.transactServer(
    (doc) => {
      const section = new PlanModel(doc).section('problem')
      section.delete(0, section.length)
      section.insert(0, [paragraph(text)])
    },
    { userId },
  )
  return text
}

describe('a plan’s byte budget for versions', () => {
  let rig: Rig | null = null
  afterEach(async () => {
    await rig?.close()
    rig = null
  })

  async function setUp() {
    const log = memoryLogger('warn')
    // Room for three versions of about 7.5 KB and the plan's first (small) version, not four.
    rig = await versionRig({ maxBytesPerPlan: 28_000, unloadGraceMs: 60_000, logger: log.logger })
    const { store, recorder, rooms, plan, queries } = rig
    const service = new VersionService({
      store,
      recorder,
      rooms,
      clients: new ClientRegistry(queries),
      nameOf: async () => null,
    })
    const room = await rooms.withRoom(plan.docName, (r) => r)
    await recorder.flush() // the plan's first version, as it loaded
    const kinds = async () => (await store.list(plan.id)).map((v) => v.kind)
    return { ...rig, service, room, log, kinds }
  }

  it('makes room from the oldest automatic versions, then refuses a named version with 507 and why, keeping every named one', async () => {
    const { service, room, plan, recorder, store, kinds } = await setUp()
    rewrite(room, 'ada')
    expect(await recorder.checkpoint(room, plan.id, 'auto')).not.toBeNull()
    rewrite(room, 'ada')
    await service.name(plan, ada, 'One')
    rewrite(room, 'bo')
    expect(await recorder.checkpoint(room, plan.id, 'auto')).not.toBeNull()
    expect(await kinds()).toEqual(['auto', 'named', 'auto', 'auto'])

    // The first version and the oldest big automatic one make room for the next named version.
    rewrite(room, 'ada')
    await service.name(plan, ada, 'Two')
    expect(await kinds()).toEqual(['named', 'auto', 'named'])
    rewrite(room, 'ada')
    await service.name(plan, ada, 'Three')
    expect(await kinds()).toEqual(['named', 'named', 'named'])
    expect((await store.list(plan.id)).map((v) => v.name)).toEqual(['Three', 'Two', 'One'])
    expect(await store.storedBytes(plan.id)).toBeLessThanOrEqual(28_000)

    // Only named versions are left: the next one is refused, with what it means.
    rewrite(room, 'ada')
    const refused = await service.name(plan, ada, 'Four').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({ status: 507, code: ErrorCode.VersionHistoryFull })
    expect((refused as ApiError).message).toBe(
      'This plan’s named versions have reached 27 KB, the most kept for one plan. ' +
        'No new version can be named until a facilitator deletes named versions it no longer needs; ' +
        'the plan itself is saved as usual, and restoring still works.',
    )
    expect(await kinds()).toEqual(['named', 'named', 'named'])
  })

  it('keeps restoring possible when named versions fill the budget: the version before it is kept anyway, and the next restore’s takes its place', async () => {
    const { service, room, plan, store, kinds } = await setUp()
    const texts: string[] = []
    const named: string[] = []
    for (const name of ['One', 'Two', 'Three']) {
      texts.push(rewrite(room, 'ada'))
      named.push((await service.name(plan, ada, name)).id)
    }
    const now = rewrite(room, 'ada')
    await room.whenDurable()

    await service.restore(plan, named[0] as string, { kind: 'all' }, ada)
    expect(new PlanModel(room.doc).snapshot().sections.problem).toBe(texts[0])
    // Past the budget by the version that makes the restore undoable (the plan's small first
    // version went first).
    expect(await kinds()).toEqual(['before-restore', 'named', 'named', 'named'])
    const undo = (await store.list(plan.id))[0]
    expect(undo?.name).toBe('Before restoring “One”')

    // Each further restore keeps its own and deletes the one before: the history stays one
    // version past its budget.
    await service.restore(plan, undo?.id as string, { kind: 'all' }, ada)
    expect(new PlanModel(room.doc).snapshot().sections.problem).toBe(now)
    await service.restore(plan, named[1] as string, { kind: 'all' }, ada)
    expect(new PlanModel(room.doc).snapshot().sections.problem).toBe(texts[1])
    expect((await store.list(plan.id)).map((v) => v.name)).toEqual(['Before restoring “Two”', 'Three', 'Two', 'One'])
  })

  it('skips automatic and event versions it has no room for, with a warning, without failing the edit', async () => {
    const { service, room, plan, recorder, kinds, log } = await setUp()
    for (const name of ['One', 'Two', 'Three']) {
      rewrite(room, 'ada')
      await service.name(plan, ada, name)
    }
    rewrite(room, 'bo')
    expect(await recorder.checkpoint(room, plan.id, 'auto')).toBeNull()
    // A status change takes an event version of the plan before it (its hook would fail the rig).
    room.transactServer((doc) => new PlanModel(doc).setStatus('inReview'), { userId: 'bo' })
    await room.whenDurable()
    const skipped = () => log.lines.filter((l) => l.msg === 'the plan’s version history is full: version not stored')
    await waitFor(() => skipped().length >= 2, 'warnings that the automatic and event versions were not stored')
    await recorder.flush()
    expect(skipped().map((l) => [l.level, l.kind])).toEqual([
      [40, 'auto'],
      [40, 'event'],
    ])
    expect(log.lines.filter((l) => Number(l.level) >= 50)).toEqual([])
    expect(await kinds()).toEqual(['named', 'named', 'named', 'auto'])
    expect(new PlanModel(room.doc).status).toBe('inReview')
  })
})
