import { CloseCode } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ProtocolError } from './ProtocolError.ts'
import { MAX_PLACEMENT_WORK, placementWork } from './placementWork.ts'
import { replicaUpdate } from './replicaUpdate.ts'
import { checkUpdateShape } from './updateShape.ts'

/** A document with one text, as the server holds it. */
function serverText(): Y.Doc {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, 'Raise wages for contract janitors.')
  return doc
}

/**
 * An update of `count` one-character items, each from its own client id (from `firstClient`
 * up), all at one spot of the text: between its 5th and 6th characters, as if that many people
 * typed there at once.
 */
function crowd(server: Y.Doc, firstClient: number, count: number): Uint8Array {
  const first = (server.getText('t')._start as Y.Item).id
  const origin = Y.createID(first.client, first.clock + 4)
  const rightOrigin = Y.createID(first.client, first.clock + 5)
  return replicaUpdate(server, (replica) => {
    Y.transact(replica, (tr) => {
      for (let i = count - 1; i >= 0; i--) {
        const item = new Y.Item(
          Y.createID(firstClient + i, 0),
          null,
          origin,
          null,
          rightOrigin,
          null,
          null,
          new Y.ContentString('x'),
        )
        item.getMissing(tr, replica.store)
        item.integrate(tr, 0)
      }
    })
  })
}

const work = (doc: Y.Doc, update: Uint8Array) => placementWork(doc, Y.decodeUpdate(update))

describe('placementWork', () => {
  it('is next to nothing for what people send: typing, a paste, two people’s offline edits merged', () => {
    const server = serverText()
    const typing = replicaUpdate(server, (d) => {
      for (let i = 0; i < 200; i++) d.getText('t').insert(10 + i, 'a')
    })
    const paste = replicaUpdate(server, (d) => d.getText('t').insert(3, 'p'.repeat(100_000)))
    const a = replicaUpdate(server, (d) => d.getText('t').insert(5, 'from Ana '))
    const b = replicaUpdate(server, (d) => d.getText('t').insert(5, 'from Bo '))
    for (const update of [typing, paste, Y.mergeUpdates([a, b])]) expect(work(server, update)).toBeLessThan(10)
  })

  it('counts nothing between two origins in one item (typing inside a word), however long the text after it', () => {
    const server = serverText()
    const text = server.getText('t')
    // 2,000 separate items after the first word (each formatted apart, so none merge).
    for (let i = 0; i < 2_000; i++) text.insert(text.length, 'x', { n: i })
    const inWords = replicaUpdate(server, (d) => {
      d.getText('t').insert(2, 'a')
      d.getText('t').insert(9, 'b')
    })
    expect(work(server, inWords)).toBeLessThan(10)
  })

  it('counts the items already at the spot for each new one, and the update’s own before it', () => {
    const server = serverText()
    Y.applyUpdate(server, crowd(server, 1_000, 300))
    // 100 more at the same spot: each steps over the 300, and over the new ones before it.
    expect(work(server, crowd(server, 1_000_000, 100))).toBe(100 * 300 + (100 * 99) / 2)
  })

  it('refuses, before anything reads it, an update that would make Yjs step over thousands of items for each of thousands', () => {
    const server = serverText()
    const setup = crowd(server, 1_000, 1_500)
    expect(() => checkUpdateShape(server, Y.decodeUpdate(setup))).not.toThrow()
    Y.applyUpdate(server, setup)
    const bomb = Y.decodeUpdate(crowd(server, 10_000_000, 1_500))
    expect(placementWork(server, bomb)).toBeGreaterThan(MAX_PLACEMENT_WORK)
    let thrown: unknown
    try {
      checkUpdateShape(server, bomb)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(ProtocolError)
    expect((thrown as ProtocolError).closeCode).toBe(CloseCode.ChangeTooLarge)
  })
})
