import * as Y from 'yjs'

/** An update as Yjs decodes it: its structs and its delete set. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** The items of a decoded update, findable by id. */
export class UpdateItems {
  private readonly byClient = new Map<number, Y.Item[]>()

  constructor(structs: DecodedUpdate['structs']) {
    for (const s of structs) {
      if (!(s instanceof Y.Item)) continue
      const list = this.byClient.get(s.id.client) ?? []
      list.push(s)
      this.byClient.set(s.id.client, list)
    }
  }

  find(id: Y.ID): Y.Item | null {
    for (const item of this.byClient.get(id.client) ?? []) {
      if (id.clock >= item.id.clock && id.clock < item.id.clock + item.length) return item
    }
    return null
  }
}

/**
 * Calls `visit` for every item the delete set `ds` deletes that `doc` has not deleted yet: items of
 * the document and items of the update alike. Stops at the first reason to refuse the update: one
 * `visit` returns, or the delete set naming something neither has (an update the server cannot check).
 */
export function forEachNewDeletion(
  doc: Y.Doc,
  known: Map<number, number>,
  local: UpdateItems,
  ds: DecodedUpdate['ds'],
  visit: (item: Y.Item, inDoc: boolean) => string | null,
): string | null {
  for (const [client, ranges] of ds.clients) {
    for (const range of ranges) {
      for (let clock = range.clock; clock < range.clock + range.len; ) {
        const id = Y.createID(client, clock)
        const inDoc = clock < (known.get(client) ?? 0)
        const struct = inDoc ? Y.getItem(doc.store, id) : local.find(id)
        if (!struct) return 'deletes something the server does not have'
        clock = struct.id.clock + struct.length
        if (!(struct instanceof Y.Item)) continue // already garbage-collected: nothing to delete
        if (inDoc && struct.deleted) continue
        const refusal = visit(struct, inDoc)
        if (refusal !== null) return refusal
      }
    }
  }
  return null
}
