import type { ClientSpec } from '../clients/workerApi.ts'
import { sleep } from '../clock.ts'
import { rssBytes } from '../procStats.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import type { ServerUnderTest } from '../servers/types.ts'
import { median } from '../stats.ts'
import { closeClients, openSpread, repeatPerServer, type WorkloadContext, withServer } from './context.ts'

const KiB = 1024

/**
 * Memory: the server's resident set size (RSS, from /proc) as idle connections and loaded
 * documents are added. Per connection: C idle connections (synced, no presence, not editing) to
 * one already-loaded document. Per document: D documents, each given typed content and held
 * open by one connection, less the cost of that connection.
 */
export async function memory(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  const docSizes: number[] = []
  // Time for the server's memory to settle after a change, then a full collection: RSS is read
  // for what the server holds, not for when its collector last ran (that differed by a third of
  // the per-document figure from one run to the next, and between servers by their allocation
  // rates rather than by what they keep).
  const settle = async (server: ServerUnderTest) => {
    await sleep(config.memorySettleSeconds * 1000)
    await server.collectGarbage()
  }
  const values = await repeatPerServer(context, 'memory', (kind) =>
    withServer(kind, async (server) => {
      try {
        // Every document is created first (on Lever a REST call and a database row each), so the
        // readings below count what loading a document into memory costs, not creating it.
        const [idleDoc, ...docs] = await server.createDocs(1 + config.memoryDocs)
        if (!idleDoc) throw new Error('no document created')
        const idle = (seed: boolean): ClientSpec => ({ docName: idleDoc, role: 'observer', presence: false, seed })
        // One connection first: the document is loaded and lazily created structures exist.
        await openSpread(context, server, [idle(true)], () => 0)
        await settle(server)
        const base = rssBytes(server.pid)

        await openSpread(
          context,
          server,
          Array.from({ length: config.memoryConnections }, () => idle(false)),
          (i) => i,
        )
        await settle(server)
        const withConnections = rssBytes(server.pid)
        const perConnection = (withConnections - base) / config.memoryConnections

        await openSpread(
          context,
          server,
          docs.map((docName) => ({ docName, role: 'editor' as const, presence: false, seed: true })),
          (i) => i,
        )
        const filled = await context.pool.all('fill', () => [{ editsPerEditor: config.memoryDocEdits }])
        docSizes.push(...filled.flatMap((f) => f.docBytes))
        await settle(server)
        const withDocs = rssBytes(server.pid)
        const perDoc = (withDocs - withConnections) / config.memoryDocs - perConnection
        return { baseMiB: base / KiB / KiB, perConnectionKiB: perConnection / KiB, perDocKiB: perDoc / KiB }
      } finally {
        await closeClients(context)
      }
    }),
  )
  const docKiB = median(docSizes) / KiB
  const figures: FigureSpec[] = [
    { id: 'perConnectionKiB', label: 'RSS per idle connection', unit: 'KiB', better: 'lower', decimals: 1 },
    {
      id: 'perDocKiB',
      label: `RSS per loaded document (${docKiB.toFixed(1)} KiB encoded)`,
      unit: 'KiB',
      better: 'lower',
      decimals: 1,
    },
    { id: 'baseMiB', label: 'RSS with one document and one connection', unit: 'MiB', better: 'lower', decimals: 1 },
  ]
  return {
    workload: 'memory',
    title: 'Memory',
    description:
      `RSS of the server process after ${config.memorySettleSeconds} s of settling and a full garbage collection ` +
      "(requested through Node's inspector; every server here runs on Node). Per idle connection: " +
      `${config.memoryConnections} connections (synced, no presence) added to one loaded document. Per loaded ` +
      `document: ${config.memoryDocs} plan documents, each given the content of ${config.memoryDocEdits} keystrokes ` +
      `in one update (median size ${docKiB.toFixed(1)} KiB encoded) and held open by one connection, whose own ` +
      'cost is subtracted.',
    figures,
    values,
    notes: [
      'Each reading follows a full garbage collection, so it counts what the server keeps; small per-item figures still move with how the allocator returns pages, and the spread shows how much.',
    ],
  }
}
