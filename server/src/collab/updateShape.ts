import { CloseCode } from '@lever/shared'
import type * as Y from 'yjs'
import { crowdedMapKey, MAX_KEY_HISTORY } from './mapKeyHistory.ts'
import { ProtocolError } from './ProtocolError.ts'
import { MAX_PLACEMENT_WORK, placementWork } from './placementWork.ts'
import type { Splits } from './splitGrowth.ts'
import type { DecodedUpdate } from './updateEffect.ts'

/**
 * The most structs one client update may hold. A paste of a hundred pages is a few thousand;
 * Yjs's time for some shapes of update grows faster than their size.
 */
export const MAX_UPDATE_STRUCTS = 100_000

/**
 * Refuses, before the write rules read it, an update whose shape would cost the server far more
 * than its size: too many structs, a map key crowded with entries that do not name the value
 * they replace, or deleted ranges out of order or overlapping. Yjs writes each client's ranges
 * sorted and joined; the same range repeated tens of thousands of times would be walked once per
 * copy, by the write rules and by Yjs, for nothing, and `collectionWork` relies on the order.
 * The number of ranges is not bounded: a stock client's sync answer carries the document's whole
 * delete set, which a long-edited plan can grow large.
 */
/**
 * Refuses an update that would add more than `MAX_UPDATE_STRUCTS` structs to the document: its
 * own and the items its deletions and insertions cut in two (`countSplits`). A deletion is a few
 * bytes a range; a million ranges cutting text in the same message took Yjs five seconds.
 */
export function checkStructCount(decoded: DecodedUpdate, splits: Splits): void {
  const total = decoded.structs.length + splits.count
  if (total <= MAX_UPDATE_STRUCTS) return
  throw new ProtocolError(
    CloseCode.ChangeTooLarge,
    `update makes ${total} structs, its own and the items it cuts (at most ${MAX_UPDATE_STRUCTS})`,
  )
}

export function checkUpdateShape(doc: Y.Doc, decoded: DecodedUpdate): void {
  if (decoded.structs.length > MAX_UPDATE_STRUCTS) {
    throw new ProtocolError(
      CloseCode.ChangeTooLarge,
      `update holds ${decoded.structs.length} structs (at most ${MAX_UPDATE_STRUCTS})`,
    )
  }
  const crowded = decoded.structs.length > 0 ? crowdedMapKey(doc, decoded) : null
  if (crowded !== null) {
    throw new ProtocolError(
      CloseCode.ChangeTooLarge,
      `update writes key ${JSON.stringify(crowded.slice(0, 64))} without naming the value it replaces, past ${MAX_KEY_HISTORY} entries`,
    )
  }
  if (decoded.structs.length > 1 && placementWork(doc, decoded) > MAX_PLACEMENT_WORK) {
    throw new ProtocolError(
      CloseCode.ChangeTooLarge,
      'update places more items where others already sit than the server places in one go; send it in smaller parts',
    )
  }
  for (const [client, ranges] of decoded.ds.clients) {
    for (let i = 1; i < ranges.length; i++) {
      const previous = ranges[i - 1] as { clock: number; len: number }
      if ((ranges[i] as { clock: number }).clock < previous.clock + previous.len) {
        throw new ProtocolError(
          CloseCode.MalformedMessage,
          `deleted ranges of client ${client} overlap or are out of order`,
        )
      }
    }
  }
}
