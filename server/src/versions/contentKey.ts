import { createHash } from 'node:crypto'
import type * as Y from 'yjs'

/**
 * A short key of a plan's content: a hash of its snapshot (state vector and delete set) written
 * in a canonical order. Two documents have the same key exactly when `Y.equalSnapshots` says they
 * hold the same content, whatever order their updates arrived in: the encoded snapshot lists the
 * clients in the order a document first met them, which differs between two servers that applied
 * the same updates, so its bytes cannot serve as the key themselves.
 */
export function contentKey(snapshot: Y.Snapshot): string {
  const parts: string[] = []
  for (const [client, clock] of [...snapshot.sv].sort((a, b) => a[0] - b[0])) parts.push(`${client}:${clock}`)
  parts.push('|')
  for (const [client, items] of [...snapshot.ds.clients].sort((a, b) => a[0] - b[0])) {
    // Deleted ranges in clock order, adjacent ones merged.
    const ranges: Array<[number, number]> = []
    for (const item of [...items].sort((a, b) => a.clock - b.clock)) {
      const last = ranges.at(-1)
      if (last && last[0] + last[1] >= item.clock) last[1] = Math.max(last[1], item.clock + item.len - last[0])
      else if (item.len > 0) ranges.push([item.clock, item.len])
    }
    if (ranges.length > 0) parts.push(`${client}:${ranges.map(([clock, len]) => `${clock}+${len}`).join(',')}`)
  }
  return createHash('sha256').update(parts.join(';')).digest('base64url')
}
