import { AccessMode, CheckInsModel, PlanModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { replicaUpdate } from '../collab/replicaUpdate.ts'
import { closedPeriodRule } from './checkInWriteRule.ts'

const identity = { userId: 'u1', name: 'Lee' }
const closed = new Set(['2025-01'])
const rule = closedPeriodRule((p) => closed.has(p))
const verdict = (doc: Y.Doc, change: (d: Y.Doc) => void) =>
  rule({ mode: AccessMode.ReadWrite, doc, update: replicaUpdate(doc, change), identity }).kind

describe('the check-in write rule', () => {
  it('refuses adding, changing or deleting a check-in of a closed period, and allows open ones and the rest of the plan', () => {
    const doc = new Y.Doc()
    PlanModel.initialize(doc, { title: 'Plan', jurisdictionId: 'boulder-co' })
    // Nothing about check-ins: nothing to look at.
    expect(verdict(doc, (d) => new PlanModel(d).setTitle('Renamed'))).toBe('apply')
    expect(verdict(doc, (d) => new CheckInsModel(d).setStatus('2025-01', 'i', 'done'))).toBe('reject')
    expect(verdict(doc, (d) => new CheckInsModel(d).setStatus('2026-12', 'i', 'done'))).toBe('apply')
    // Written while the period was open (by the server here), then closed.
    new CheckInsModel(doc).setUpdate('2025-01', 'i', 'Signed')
    expect(verdict(doc, (d) => new CheckInsModel(d).setUpdate('2025-01', 'i', 'Changed'))).toBe('reject')
    expect(verdict(doc, (d) => new CheckInsModel(d).map.delete('2025-01/i/update'))).toBe('reject')
    expect(verdict(doc, (d) => new PlanModel(d).addInitiative('policy'))).toBe('apply')
    closed.delete('2025-01')
    expect(verdict(doc, (d) => new CheckInsModel(d).setUpdate('2025-01', 'i', 'Changed'))).toBe('apply')
  })
})
