import type { ClientSpec } from '../clients/workerApi.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import { closeClients, openSpread, repeatPerServer, type WorkloadContext, withServer } from './context.ts'
import { latencyFigures, measuredRun } from './measuredRun.ts'

/** Fan-out: one writer, many passive observers of the same document. */
export async function fanOut(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  // A diagnostic: the writer without a presence, so its edits come without their cursor frames.
  const writerPresence = process.env.FANOUT_NO_PRESENCE !== '1'
  const observers = config.fanoutObservers
  const values = await repeatPerServer(context, 'fan-out', (kind) =>
    withServer(kind, async (server) => {
      const [docName] = await server.createDocs(1)
      if (!docName) throw new Error('no document created')
      const writer: ClientSpec = {
        docName,
        role: 'editor',
        presence: writerPresence,
        seed: true,
      }
      const observer: ClientSpec = { docName, role: 'observer', presence: false, seed: false }
      try {
        // The writer first (process 0), so the document is seeded before the observers arrive.
        await openSpread(context, server, [writer], () => 0)
        await openSpread(
          context,
          server,
          Array.from({ length: observers }, () => observer),
          (i) => i,
        )
        const run = await measuredRun(context, server, {
          ratePerEditor: config.fanoutRate,
          warmupMs: config.warmupSeconds * 1000,
          measureMs: config.fanoutSeconds * 1000,
          drainMs: config.drainSeconds * 1000,
        })
        return {
          ...latencyFigures(run, run.sent * observers),
          serverCpu: run.serverCpuPercent,
          clientCpu: run.clientCpuPercent,
          delivered: (100 * run.received) / Math.max(1, run.sent * observers),
          backgroundCpu: run.backgroundCpuPercent,
        }
      } finally {
        await closeClients(context)
      }
    }),
  )
  const figures: FigureSpec[] = [
    { id: 'p50', label: 'p50 delivery latency', unit: 'ms', better: 'lower', decimals: 1 },
    { id: 'p95', label: 'p95 delivery latency', unit: 'ms', better: 'lower', decimals: 1 },
    { id: 'p99', label: 'p99 delivery latency', unit: 'ms', better: 'lower', decimals: 1 },
    { id: 'serverCpu', label: 'server CPU', unit: '% core', better: 'lower', decimals: 0 },
    { id: 'clientCpu', label: "client processes' CPU", unit: '% core', better: 'lower', decimals: 0 },
    { id: 'delivered', label: 'deliveries received', unit: '%', better: 'higher', decimals: 1 },
    { id: 'backgroundCpu', label: "other programs' CPU on the machine", unit: '% core', better: 'lower', decimals: 0 },
  ]
  return {
    workload: 'fanout',
    title: 'Fan-out',
    description:
      `1 writer (${writerPresence ? 'with' : 'without'} a presence, typing at ${config.fanoutRate} edits/s) and ${observers} passive observers ` +
      `(no presence) of one document; latency from the writer's stamp to each observer, ` +
      `${config.fanoutSeconds} s window.`,
    figures,
    values,
    notes: [],
  }
}
