import type * as Y from 'yjs'
import { monotonicMicros } from '../clock.ts'
import type { BenchClient } from './openClient.ts'
import { STAMPS_KEY } from './typing.ts'

/**
 * Records, at the receiving client, how long stamped edits took to arrive: receipt time minus the
 * sender's stamp, both on the shared monotonic clock. Only edits sent inside the measurement
 * window count, so warm-up, the initial sync and the drain do not.
 */
export class LatencyRecorder {
  private samples: number[] = []
  private windowStart = Number.POSITIVE_INFINITY
  private windowEnd = Number.NEGATIVE_INFINITY

  /** Listens to a client's document; its own edits are not deliveries. */
  attach(client: BenchClient): void {
    client.doc.getArray<number>(STAMPS_KEY).observe((event: Y.YArrayEvent<number>) => {
      if (event.transaction.local) return
      const now = monotonicMicros()
      for (const change of event.changes.delta) {
        if (!Array.isArray(change.insert)) continue
        for (const sentAt of change.insert as number[]) {
          if (sentAt >= this.windowStart && sentAt < this.windowEnd) this.samples.push((now - sentAt) / 1000)
        }
      }
    })
  }

  /** Starts counting edits sent in [startMicros, endMicros); forgets earlier samples. */
  setWindow(startMicros: number, endMicros: number): void {
    this.samples = []
    this.windowStart = startMicros
    this.windowEnd = endMicros
  }

  /** Latencies in ms recorded so far, and stops recording. */
  take(): Float64Array {
    const taken = Float64Array.from(this.samples)
    this.samples = []
    this.windowStart = Number.POSITIVE_INFINITY
    this.windowEnd = Number.NEGATIVE_INFINITY
    return taken
  }
}
