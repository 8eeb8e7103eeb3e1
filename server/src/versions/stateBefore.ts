import * as Y from 'yjs'

type Range = { clock: number; len: number }
type DeleteSet = ReturnType<typeof Y.createDeleteSet>

/** `all` without the ranges of `minus` (both per client, sorted by clock). */
function subtract(all: DeleteSet, minus: DeleteSet): DeleteSet {
  const out = Y.createDeleteSet()
  for (const [client, ranges] of all.clients as Map<number, Range[]>) {
    const cuts = [...((minus.clients as Map<number, Range[]>).get(client) ?? [])].sort((a, b) => a.clock - b.clock)
    const kept: Range[] = []
    for (const range of ranges) {
      let start = range.clock
      const end = range.clock + range.len
      for (const cut of cuts) {
        const cutEnd = cut.clock + cut.len
        if (cutEnd <= start || cut.clock >= end) continue
        if (cut.clock > start) kept.push({ clock: start, len: cut.clock - start })
        start = Math.max(start, cutEnd)
      }
      if (start < end) kept.push({ clock: start, len: end - start })
    }
    if (kept.length > 0) (out.clients as Map<number, Range[]>).set(client, kept)
  }
  return out
}

/**
 * The document as it was just before `transaction`, as a new document. Call it from an
 * `afterTransaction` listener: until the transaction is cleaned up, what it deleted still holds
 * its content, so the earlier state can be rebuilt although the live document is
 * garbage-collected.
 */
export function docBeforeTransaction(doc: Y.Doc, transaction: Y.Transaction): Y.Doc {
  const shadow = new Y.Doc({ gc: false })
  Y.applyUpdate(shadow, Y.encodeStateAsUpdate(doc))
  const deleted = subtract(Y.snapshot(shadow).ds, transaction.deleteSet)
  const before = Y.createDocFromSnapshot(shadow, Y.createSnapshot(deleted, transaction.beforeState))
  shadow.destroy()
  return before
}
