import { ThreadsModel } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ThreadSnapshots } from './ThreadSnapshots.ts'

const ana = { id: 'ana', name: 'Ana Lead' }

describe('ThreadSnapshots', () => {
  it('gives the same read of a thread while no thread document changed, and a fresh one after a change', () => {
    const doc = new Y.Doc()
    let changes = 0
    doc.on('update', () => changes++)
    const threads = new ThreadsModel(doc)
    const first = threads.create({
      anchor: { kind: 'initiative', initiativeId: 'i1' },
      author: ana,
      body: 'Who owns this?',
    })
    const second = threads.create({
      anchor: { kind: 'initiative', initiativeId: 'i2' },
      author: ana,
      body: 'Baseline?',
    })
    const snapshots = new ThreadSnapshots(() => changes)

    const before = snapshots.of(first)
    // A new model object of the same thread (as every listing makes) reads from the cache.
    expect(snapshots.of(new ThreadsModel(doc).get(first.id) as typeof first)).toBe(before)
    expect(snapshots.of(second).comments[0]?.body).toBe('Baseline?')

    first.reply(ana, 'The procurement office.')
    const after = snapshots.of(first)
    expect(after).not.toBe(before)
    expect(after.comments.map((c) => c.body)).toEqual(['Who owns this?', 'The procurement office.'])
  })
})
