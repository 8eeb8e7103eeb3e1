import { sleep } from '../clock.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import { DRIVERS } from '../servers/drivers.ts'
import { makeDataDir, removeDir, repeatPerServer, type WorkloadContext } from './context.ts'

/**
 * Crash: the scenario of tests/integration/durability.test.ts against every server. Two clients
 * write as fast as they can, each receiving the other's edits; at a random moment the server is
 * killed with SIGKILL and restarted on the same data; a new client counts the edits the two had
 * received from each other that the server no longer has.
 */
export async function crash(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  const worker = context.pool.at(0)
  const values = await repeatPerServer(context, 'crash', async (kind) => {
    const driver = DRIVERS[kind]
    const dataDir = makeDataDir(kind)
    let server = await driver.start({ dataDir })
    try {
      const [docName] = await server.createDocs(1)
      if (!docName) throw new Error('no document created')
      await worker.call('crashEdit', { target: server.target, docName, minReceived: config.crashMinReceived })
      await sleep(config.crashEditSeconds * 1000 * (1 + Math.random() / 2))
      await server.kill()
      await worker.call('crashStop')
      server = await driver.start({ dataDir })
      const verdict = await worker.call('crashVerify', { target: server.target, docName })
      return {
        received: verdict.received,
        missing: verdict.missing,
        lostPercent: (100 * verdict.missing) / Math.max(1, verdict.received),
      }
    } finally {
      await server.stop()
      removeDir(dataDir)
    }
  })
  const figures: FigureSpec[] = [
    { id: 'missing', label: 'received edits missing after kill -9 + restart', unit: '', better: 'lower', decimals: 0 },
    { id: 'lostPercent', label: 'share of received edits lost', unit: '%', better: 'lower', decimals: 1 },
    {
      id: 'received',
      label: 'edits received by the other client before the kill',
      unit: '',
      better: 'higher',
      decimals: 0,
    },
  ]
  return {
    workload: 'crash',
    title: 'Crash (kill -9)',
    description:
      `Two clients write as fast as they can (as tests/integration/durability.test.ts does); once each has ` +
      `received ${config.crashMinReceived} edits from the other, editing goes on for ${config.crashEditSeconds} s ` +
      'plus a random 0-50% more, then the server gets SIGKILL and restarts on the same data directory. Counted: edits ' +
      'a client had received from the other that a new client does not find after the restart.',
    figures,
    values,
    notes: [
      'Lever must lose 0: it appends every update to SQLite (synchronous=FULL, as shipped) before forwarding it. ' +
        'In-memory peers lose every document on restart. Hocuspocus with its SQLite extension stores a document ' +
        'through a debounce (2 s after the last change, at least every 10 s while changes keep coming, its defaults), ' +
        'so a crash loses what arrived since its last store.',
    ],
  }
}
