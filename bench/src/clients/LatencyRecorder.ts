import type * as Y from 'yjs'
import { monotonicMicros } from '../clock.ts'
import type { BenchClient } from './openClient.ts'
import { STAMPS_KEY, stampsKeyOf } from './typing.ts'
import type { StampGroup } from './workerApi.ts'

/**
 * Records, at the receiving client, how long stamped edits took to arrive: receipt time minus the
 * sender's stamp, both on the shared monotonic clock. Only edits sent inside the measurement
 * window count, so warm-up, the initial sync and the drain do not.
 */
export class LatencyRecorder {
  private samples: number[] = []
  private otherGroupSamples: number[] = []
  private windowStart = Number.POSITIVE_INFINITY
  private windowEnd = Number.NEGATIVE_INFINITY

  /**
   * Listens to a client's document; its own edits are not deliveries. A client of a group hears
   * every group's stamps, and keeps those of other groups apart as well.
   */
  attach(client: BenchClient, group?: StampGroup): void {
    if (!group) {
      this.listen(client, STAMPS_KEY, false)
      return
    }
    for (let g = 0; g < group.of; g++) this.listen(client, stampsKeyOf(g), g !== group.index)
  }

  private listen(client: BenchClient, key: string, otherGroup: boolean): void {
    client.doc.getArray<number>(key).observe((event: Y.YArrayEvent<number>) => {
      if (event.transaction.local) return
      const now = monotonicMicros()
      for (const change of event.changes.delta) {
        if (!Array.isArray(change.insert)) continue
        for (const sentAt of change.insert as number[]) {
          if (sentAt < this.windowStart || sentAt >= this.windowEnd) continue
          const ms = (now - sentAt) / 1000
          this.samples.push(ms)
          if (otherGroup) this.otherGroupSamples.push(ms)
        }
      }
    })
  }

  /** Starts counting edits sent in [startMicros, endMicros); forgets earlier samples. */
  setWindow(startMicros: number, endMicros: number): void {
    this.samples = []
    this.otherGroupSamples = []
    this.windowStart = startMicros
    this.windowEnd = endMicros
  }

  /** Latencies in ms recorded so far (all, and those from other groups), and stops recording. */
  take(): { all: Float64Array; otherGroups: Float64Array } {
    const taken = { all: Float64Array.from(this.samples), otherGroups: Float64Array.from(this.otherGroupSamples) }
    this.samples = []
    this.otherGroupSamples = []
    this.windowStart = Number.POSITIVE_INFINITY
    this.windowEnd = Number.NEGATIVE_INFINITY
    return taken
  }
}
