import * as Y from 'yjs'
import { monotonicMicros, waitUntil } from '../clock.ts'
import type { ClientTarget } from '../servers/types.ts'
import { withTimeout } from './EditingSession.ts'
import { openClient, type SyncTiming } from './openClient.ts'
import { seedPlan, Typist } from './typing.ts'
import type { BuildArgs, BuildResult, TimeSyncArgs, TimeSyncResult } from './workerApi.ts'

const SYNC_TIMEOUT_MS = 120_000
/** Edits sent between yields to the event loop, so the socket drains while a document is built. */
const BUILD_CHUNK = 500

/**
 * Builds a document of `updates` updates (one typed character each, as a person types), sent
 * `updatesPerMessage` to a message, then waits until a fresh client receives all of them.
 */
export async function buildDocument({ target, docName, updates, updatesPerMessage }: BuildArgs): Promise<BuildResult> {
  const writer = openClient(target, docName, { presence: false })
  // The keystrokes are typed into a detached document and passed on to the connected one.
  const scratch = new Y.Doc()
  try {
    await withTimeout(writer.synced, SYNC_TIMEOUT_MS, `${docName} to sync`)
    if (target.seedPlans) seedPlan(writer.doc, 'Cold load plan')
    let pending: Uint8Array[] = []
    scratch.on('update', (update: Uint8Array) => pending.push(update))
    const send = () => {
      if (pending.length === 0) return
      Y.applyUpdate(writer.doc, pending.length === 1 ? (pending[0] as Uint8Array) : Y.mergeUpdates(pending))
      pending = []
    }
    const typist = new Typist(scratch, null, 'builder')
    for (let i = 0; i < updates; i++) {
      typist.type()
      if (pending.length >= updatesPerMessage) send()
      if (i % BUILD_CHUNK === BUILD_CHUNK - 1) await new Promise((resolve) => setImmediate(resolve))
    }
    send()
    await waitUntil(() => serverHolds(target, docName, writer.doc), `the server to hold all ${updates} updates`, {
      timeoutMs: 600_000,
      intervalMs: 250,
    })
    return { mergedBytes: Y.encodeStateAsUpdate(writer.doc).byteLength }
  } finally {
    scratch.destroy()
    writer.destroy()
  }
}

/** True when a new client syncing `docName` receives everything `expected` holds. */
async function serverHolds(target: ClientTarget, docName: string, expected: Y.Doc): Promise<boolean> {
  const checker = openClient(target, docName, { presence: false })
  try {
    await withTimeout(checker.synced, SYNC_TIMEOUT_MS, `${docName} to sync`)
    const have = Y.decodeStateVector(Y.encodeStateVector(checker.doc))
    for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVector(expected))) {
      if ((have.get(client) ?? 0) < clock) return false
    }
    return true
  } finally {
    checker.destroy()
  }
}

/** Times a new client from opening its connection to its first complete sync. */
export async function timeSync({ target, docName }: TimeSyncArgs): Promise<TimeSyncResult> {
  const started = monotonicMicros()
  const timing: SyncTiming = { requestedAt: null, answeredAt: null }
  const client = openClient(target, docName, { presence: false, timing })
  try {
    await withTimeout(client.synced, SYNC_TIMEOUT_MS, `${docName} to sync`)
    const ms = (monotonicMicros() - started) / 1000
    if (timing.requestedAt === null || timing.answeredAt === null) {
      throw new Error(`${docName}: synced without a sync request and answer on the socket`)
    }
    const answerMs = (timing.answeredAt - timing.requestedAt) / 1000
    return { ms, answerMs, docBytes: Y.encodeStateAsUpdate(client.doc).byteLength }
  } finally {
    client.destroy()
  }
}
