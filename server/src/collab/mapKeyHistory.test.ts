import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { crowdedMapKey, MAX_KEY_HISTORY } from './mapKeyHistory.ts'

/** An update of `count` entries of `meta.key`, none naming the value it replaces (as no client writes them). */
function originless(client: number, count: number, key = 'zz'): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, 1)
  encoding.writeVarUint(encoder.restEncoder, count)
  encoder.writeClient(client)
  encoding.writeVarUint(encoder.restEncoder, 0)
  for (let i = 0; i < count; i++) {
    // An update names a root parent by its name, where the constructor's type says a type or an id.
    const root = 'meta' as unknown as Y.ID
    new Y.Item(Y.createID(client, i), null, null, null, null, root, key, new Y.ContentAny([i])).write(encoder, 0)
  }
  encoding.writeVarUint(encoder.restEncoder, 0)
  return encoder.toUint8Array()
}

describe('crowdedMapKey', () => {
  it('lets a few origin-less entries of a key through, as concurrent first writes make them', () => {
    const doc = new Y.Doc()
    const update = originless(7, 3)
    expect(crowdedMapKey(doc, Y.decodeUpdate(update))).toBeNull()
    Y.applyUpdate(doc, update)
    expect(doc.getMap('meta').get('zz')).toBeDefined()
  })

  it(`names the key when an update holds more than ${MAX_KEY_HISTORY} origin-less entries of it`, () => {
    expect(crowdedMapKey(new Y.Doc(), Y.decodeUpdate(originless(7, MAX_KEY_HISTORY + 1)))).toBe('zz')
    expect(crowdedMapKey(new Y.Doc(), Y.decodeUpdate(originless(7, MAX_KEY_HISTORY)))).toBeNull()
  })

  it('counts the entries the key already has in the document, and never refuses ordinary writes', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, originless(7, MAX_KEY_HISTORY - 5))
    expect(crowdedMapKey(doc, Y.decodeUpdate(originless(9, 5)))).toBeNull()
    expect(crowdedMapKey(doc, Y.decodeUpdate(originless(9, 6)))).toBe('zz')
    // An ordinary write names the value it replaces: Yjs does not walk the history for it.
    const replica = new Y.Doc()
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(replica)
    replica.getMap('meta').set('zz', 'again')
    expect(crowdedMapKey(doc, Y.decodeUpdate(Y.encodeStateAsUpdate(replica, before)))).toBeNull()
  })
})
