import { sleep, waitUntil } from '../clock.ts'
import { withTimeout } from './EditingSession.ts'
import { type BenchClient, openClient } from './openClient.ts'
import type { CrashEditArgs, CrashObservation, CrashVerdict, TimeSyncArgs } from './workerApi.ts'

const LIST_KEY = 'crashList'
const SYNC_TIMEOUT_MS = 60_000

interface Writer {
  client: BenchClient
  tag: string
  written: number
}

/**
 * The crash test of tests/integration/durability.test.ts, for any server: two clients write as
 * fast as the event loop lets them, each receiving the other's edits; the orchestrator kills the
 * server with SIGKILL; the edits each client had received are remembered; after the restart a new
 * client counts how many of them the server lost.
 */
export class CrashScenario {
  private writers: Writer[] = []
  private writing = false
  private loops: Promise<void>[] = []
  private seen: string[] = []

  /** Starts both writers; resolves once each has received `minReceived` edits from the other. */
  async edit({ target, docName, minReceived }: CrashEditArgs): Promise<void> {
    this.writers = ['a', 'b'].map((tag) => ({
      client: openClient(target, docName, { presence: true }),
      tag,
      written: 0,
    }))
    await withTimeout(Promise.all(this.writers.map((w) => w.client.synced)), SYNC_TIMEOUT_MS, 'crash clients to sync')
    this.writing = true
    this.loops = this.writers.map((w) => this.write(w))
    await waitUntil(
      () => this.writers.every((w) => this.receivedBy(w).length >= minReceived),
      'both clients to receive edits',
      { timeoutMs: 60_000 },
    )
  }

  /** Stops writing (the server is dead by now) and remembers what each client had received. */
  async stop(): Promise<CrashObservation> {
    this.writing = false
    await Promise.all(this.loops)
    this.seen = this.writers.flatMap((w) => this.receivedBy(w))
    // Neither may reconnect: what the restarted server has must come from its disk alone.
    for (const w of this.writers) w.client.destroy()
    this.writers = []
    return { received: this.seen.length }
  }

  /** Opens a new client on the restarted server and counts the remembered edits it lacks. */
  async verify({ target, docName }: TimeSyncArgs): Promise<CrashVerdict> {
    const reader = openClient(target, docName, { presence: false })
    try {
      await withTimeout(reader.synced, SYNC_TIMEOUT_MS, 'the reader to sync after the restart')
      const stored = new Set(reader.doc.getArray<string>(LIST_KEY).toArray())
      return { received: this.seen.length, missing: this.seen.filter((item) => !stored.has(item)).length }
    } finally {
      reader.destroy()
    }
  }

  private async write(writer: Writer): Promise<void> {
    const doc = writer.client.doc
    while (this.writing) {
      doc.transact(() => {
        doc.getArray<string>(LIST_KEY).push([`${writer.tag}-${writer.written}`])
        doc.getText('text').insert(0, writer.tag)
      })
      writer.written++
      if (writer.written % 5 === 0) await sleep(1)
    }
  }

  /** Edits a writer has received from the other one. */
  private receivedBy(writer: Writer): string[] {
    return writer.client.doc
      .getArray<string>(LIST_KEY)
      .toArray()
      .filter((item) => !item.startsWith(`${writer.tag}-`))
  }
}
