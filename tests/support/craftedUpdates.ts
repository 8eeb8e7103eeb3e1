import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

/** One client's block of structs in an update: the clock of its first struct, then its structs in order. */
export interface Block {
  client: number
  clock: number
  structs: Array<Y.Item | Y.GC | Y.Skip>
}

/** An update taken apart: its blocks and its delete set (client, then `[clock, length]` ranges). */
export interface Crafted {
  blocks: Block[]
  deletes: Array<[number, Array<[number, number]>]>
}

/** Takes an update apart into blocks and deletes that can be changed and encoded again. */
export function takeApart(update: Uint8Array): Crafted {
  const { structs, ds } = Y.decodeUpdate(update)
  const blocks: Block[] = []
  for (const struct of structs as Array<Y.Item | Y.GC | Y.Skip>) {
    const last = blocks[blocks.length - 1]
    if (last && last.client === struct.id.client) last.structs.push(struct)
    else blocks.push({ client: struct.id.client, clock: struct.id.clock, structs: [struct] })
  }
  const deletes: Crafted['deletes'] = [...ds.clients].map(([client, ranges]) => [
    client,
    ranges.map((r) => [r.clock, r.len] as [number, number]),
  ])
  return { blocks, deletes }
}

/**
 * Encodes blocks and deletes as a V1 update with Yjs's own encoder, exactly as given: blocks may
 * repeat a client, start anywhere, and hold any struct (items write their origin, right origin,
 * parent (a root name or an item id), key and content as they are set).
 */
export function encodeCrafted({ blocks, deletes }: Crafted): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, blocks.length)
  for (const block of blocks) {
    encoding.writeVarUint(encoder.restEncoder, block.structs.length)
    encoder.writeClient(block.client)
    encoding.writeVarUint(encoder.restEncoder, block.clock)
    for (const struct of block.structs) struct.write(encoder, 0)
  }
  encoding.writeVarUint(encoder.restEncoder, deletes.length)
  for (const [client, ranges] of deletes) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, ranges.length)
    for (const [clock, len] of ranges) {
      encoder.writeDsClock(clock)
      encoder.writeDsLen(len)
    }
  }
  return encoder.toUint8Array()
}

/**
 * A new item as an update carries it. `parent` is a root type's name or the id of the item holding
 * the parent type; with an origin or right origin, Yjs takes parent and key from that neighbour.
 */
export function craftItem(
  id: Y.ID,
  content: Y.Item['content'],
  place: { origin?: Y.ID | null; rightOrigin?: Y.ID | null; parent?: string | Y.ID | null; parentSub?: string | null },
): Y.Item {
  const hasNeighbour = (place.origin ?? null) !== null || (place.rightOrigin ?? null) !== null
  return new Y.Item(
    id,
    null,
    place.origin ?? null,
    null,
    place.rightOrigin ?? null,
    // biome-ignore lint/suspicious/noExplicitAny: an update carries a root's name or an item's id here
    (hasNeighbour ? null : (place.parent ?? null)) as any,
    hasNeighbour ? null : (place.parentSub ?? null),
    content,
  )
}

/** The update a client holding a copy of `doc` sends after `change` (its own client id unless given). */
export function changeOf(doc: Y.Doc, change: (replica: Y.Doc) => void, clientID?: number): Uint8Array {
  const replica = new Y.Doc()
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc))
  // Set after loading: Yjs picks a new id when an update it receives holds its own.
  if (clientID !== undefined) replica.clientID = clientID
  const before = Y.encodeStateVector(replica)
  change(replica)
  const update = Y.encodeStateAsUpdate(replica, before)
  replica.destroy()
  return update
}
