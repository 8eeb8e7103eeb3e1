import { AccessMode, PlanModel, RESTORE_NOTE_KEY } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { replicaUpdate } from '../replicaUpdate.ts'
import { policyFor } from '../updatePolicy.ts'
import { planWriteRules } from './planWriteRules.ts'

const planPolicy = policyFor(planWriteRules(() => null))

describe('the note of a restore', () => {
  it('is refused from any connection, facilitators’ included: only the server writes who restored what', () => {
    const server = new Y.Doc()
    PlanModel.initialize(server, { title: 'Plan', jurisdictionId: 'boulder-co' })
    const forged = replicaUpdate(server, (doc) =>
      new PlanModel(doc).meta.set(RESTORE_NOTE_KEY, {
        byId: 'u-fran',
        byName: 'Fran Facilitator',
        at: '2026-12-03T20:00:00.000Z',
        what: 'the version of Dec 1',
        undo: false,
      }),
    )
    for (const moderator of [false, true]) {
      const verdict = planPolicy({
        mode: AccessMode.ReadWrite,
        doc: server,
        update: forged,
        identity: { userId: 'u1', name: 'Lee Lead', moderator },
      })
      expect(verdict).toMatchObject({
        kind: 'reject',
        reason: 'may not write the note of a restore (the server writes it)',
      })
    }
    const title = replicaUpdate(server, (doc) => new PlanModel(doc).meta.set('title', 'Renamed'))
    expect(
      planPolicy({ mode: AccessMode.ReadWrite, doc: server, update: title, identity: { userId: 'u1', name: 'L' } })
        .kind,
    ).toBe('apply')
  })
})
