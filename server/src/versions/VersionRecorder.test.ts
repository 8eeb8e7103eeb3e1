import { AccessMode, PlanModel } from '@lever/shared'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { CollabSocket } from '../collab/Connection.ts'
import { updateMessage } from '../collab/messages.ts'
import { TokenBucket } from '../collab/TokenBucket.ts'
import { WorkBudgets } from '../collab/WorkBudgets.ts'
import { paragraph } from './testPlans.ts'
import { versionRig, waitFor } from './testRig.ts'

type Rig = Awaited<ReturnType<typeof versionRig>>

const MIN = 60 * 1000

describe('VersionRecorder', () => {
  let rig: Rig | null = null
  afterEach(async () => {
    await rig?.close()
    rig = null
  })

  it('takes a first version when a plan loads, and none when nothing changed (unload and reload)', async () => {
    rig = await versionRig()
    const { rooms, plan, store } = rig
    await rooms.withRoom(plan.docName, () => {})
    await waitFor(async () => (await store.list(plan.id)).length > 0, 'the first version')
    expect((await store.list(plan.id)).map((v) => v.kind)).toEqual(['auto'])
    await waitFor(() => rooms.peek(plan.docName) === undefined, 'the room to unload')
    await rooms.withRoom(plan.docName, () => {})
    await waitFor(() => rooms.peek(plan.docName) === undefined, 'the room to unload again')
    expect(await store.list(plan.id)).toHaveLength(1)
  })

  it('takes an automatic version once editing pauses, with the people who changed the plan', async () => {
    rig = await versionRig({ timing: { idleMs: 40 } })
    const { rooms, plan, store } = rig
    await rooms.withRoom(plan.docName, (room) => {
      room.transactServer((doc) => new PlanModel(doc).setTitle('By Ada'), { userId: 'ada' })
      room.transactServer((doc) => new PlanModel(doc).section('problem').insert(0, [paragraph('By Bo')]), {
        userId: 'bo',
      })
    })
    await waitFor(async () => (await store.list(plan.id)).length === 2, 'an automatic version')
    const [latest] = await store.list(plan.id)
    expect(latest).toMatchObject({ kind: 'auto', authors: ['ada', 'bo'] })
    const doc = (await store.loadVersionDoc(plan.id, latest?.id as string)) as Y.Doc
    expect(new PlanModel(doc).snapshot()).toMatchObject({ title: 'By Ada', sections: { problem: 'By Bo' } })
  })

  it('during continuous editing takes a version at most every maxIntervalMs, not at every change', async () => {
    let now = 1_000_000
    // The room stays loaded through the edits, as it does while people edit: an unload between
    // them would take an automatic version of the changed plan, which is not what this counts.
    rig = await versionRig({
      now: () => now,
      timing: { idleMs: 60 * MIN, maxIntervalMs: 30 * MIN },
      unloadGraceMs: 60_000,
    })
    const { rooms, plan, store, recorder } = rig
    const edit = async (text: string) => {
      await rooms.withRoom(plan.docName, (room) =>
        room.transactServer((doc) => new PlanModel(doc).setTitle(text), { userId: 'ada' }),
      )
      await recorder.flush()
    }
    for (const minute of [0, 5, 10, 20, 29]) {
      now = 1_000_000 + minute * MIN
      await edit(`Edit at ${minute}`)
    }
    expect(await store.list(plan.id)).toHaveLength(1) // the first version only
    now = 1_000_000 + 31 * MIN
    await edit('Edit at 31')
    expect((await store.list(plan.id)).map((v) => v.kind)).toEqual(['auto', 'auto'])
    now = 1_000_000 + 40 * MIN
    await edit('Edit at 40')
    expect(await store.list(plan.id)).toHaveLength(2)
  })

  it('keeps the plan as it was before its status changed or a draft was sent into it', async () => {
    // The room stays loaded between the changes below: an unload would take an automatic version
    // of the changed plan, newer than the event versions this test reads as the newest.
    rig = await versionRig({ unloadGraceMs: 60_000 })
    const { rooms, plan, store } = rig
    // The plan's first version (as it loaded) is stored before the changes, so the versions below
    // are the newest: taken in the same millisecond, two versions list in the order they were
    // stored, and the first one's write may otherwise come after the event's.
    await rooms.withRoom(plan.docName, () => {})
    await rig.recorder.flush()
    expect((await store.list(plan.id)).map((v) => v.kind)).toEqual(['auto'])
    await rooms.withRoom(plan.docName, (room) => {
      room.transactServer((doc) => new PlanModel(doc).setTitle('Before review'), { userId: 'ada' })
      room.transactServer((doc) => new PlanModel(doc).setStatus('inReview'), { userId: 'ada' })
    })
    await rig.recorder.flush()
    const [event] = await store.list(plan.id)
    expect(event).toMatchObject({ kind: 'event', name: 'Before the status changed to “In review”', authors: ['ada'] })
    const before = new PlanModel((await store.loadVersionDoc(plan.id, event?.id as string)) as Y.Doc)
    expect([before.title, before.status]).toEqual(['Before review', 'draft'])
    // Setting the status it already has is no event.
    await rooms.withRoom(plan.docName, (room) => {
      room.transactServer((doc) => new PlanModel(doc).setTitle('Still in review'), { userId: 'ada' })
      room.transactServer((doc) => new PlanModel(doc).setStatus('inReview'), { userId: 'ada' })
    })
    await rig.recorder.flush()
    expect((await store.list(plan.id))[0]?.id).toBe(event?.id)

    await rooms.withRoom(plan.docName, (room) => {
      room.transactServer((doc) => new PlanModel(doc).section('problem').insert(0, [paragraph('From the group')]), {
        userId: 'bo',
        reason: 'send-to-plan',
      })
    })
    await rig.recorder.flush()
    const [sent] = await store.list(plan.id)
    expect(sent?.name).toBe('Before a breakout draft was sent into the plan')
    const doc = (await store.loadVersionDoc(plan.id, sent?.id as string)) as Y.Doc
    expect(new PlanModel(doc).snapshot().sections.problem).toBe('')
    expect(new PlanModel(doc).status).toBe('inReview')
  })

  it('charges reading the version before a status change to the person who changed it, after their message', async () => {
    /** A person's share that counts what it is charged. */
    class RecordingBucket extends TokenBucket {
      charges = 0
      override charge(cost: number): void {
        this.charges++
        super.charge(cost)
      }
    }
    const ada = new RecordingBucket(1e9, 1e9)
    const budgets = new (class extends WorkBudgets {
      override of(key: string): TokenBucket {
        return key === 'ada' ? ada : super.of(key)
      }
    })({ msPerSecond: 1e9, burstMs: 1e9 })
    rig = await versionRig({ unloadGraceMs: 60_000, workBudgets: budgets })
    const { rooms, plan, store } = rig
    await rooms.withRoom(plan.docName, () => {})
    await rig.recorder.flush()
    const room = rooms.get(plan.docName)
    await room.loaded
    // Changed since its first version, so the version before the status change is a new one.
    room.transactServer((doc) => new PlanModel(doc).setTitle('Before review'), { userId: 'bo' })
    const socket: CollabSocket = { send: () => {}, close: () => {} }
    const conn = room.connect(socket, {
      mode: AccessMode.ReadWrite,
      acks: false,
      identity: { userId: 'ada', name: 'Ada' },
    })
    const mine = new Y.Doc()
    Y.applyUpdate(mine, Y.encodeStateAsUpdate(room.doc))
    const before = Y.encodeStateVector(mine)
    new PlanModel(mine).setStatus('inReview')
    room.receive(conn, updateMessage(Y.encodeStateAsUpdate(mine, before)))
    // Her message (with the copy of the plan before it) is charged as it is handled.
    expect(ada.charges).toBe(1)
    await room.whenDurable()
    await rig.recorder.flush()
    expect((await store.list(plan.id))[0]).toMatchObject({
      kind: 'event',
      name: 'Before the status changed to “In review”',
    })
    // Then reading the version, once her change is durable.
    expect(ada.charges).toBe(2)
    room.disconnect(conn)
  })

  it('takes an event version of each plan with unsaved changes when a session ends, and none of unchanged plans', async () => {
    rig = await versionRig()
    const { rooms, plan, store, recorder } = rig
    await rooms.withRoom(plan.docName, () => {})
    await waitFor(async () => (await store.list(plan.id)).length > 0, 'the first version')
    await recorder.sessionEnding({ title: 'June session' })
    expect(await store.list(plan.id)).toHaveLength(1) // nothing changed since the first version
    await rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => new PlanModel(doc).setTitle('Written in the session'), { userId: 'ada' }),
    )
    await recorder.sessionEnding({ title: 'June session' })
    expect((await store.list(plan.id))[0]).toMatchObject({
      kind: 'event',
      name: 'Session “June session” ended',
      authors: ['ada'],
    })
  })

  it('takes a version when a room with changes not yet in a version unloads', async () => {
    rig = await versionRig()
    const { rooms, plan, store } = rig
    await rooms.withRoom(plan.docName, (room) =>
      room.transactServer((doc) => new PlanModel(doc).setTitle('Last words'), { userId: 'ada' }),
    )
    await waitFor(async () => (await store.list(plan.id)).length === 2, 'a version at unload')
    const doc = (await store.loadVersionDoc(plan.id, (await store.list(plan.id))[0]?.id as string)) as Y.Doc
    expect(new PlanModel(doc).title).toBe('Last words')
  })
})
