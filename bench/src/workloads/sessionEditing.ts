import type { ClientSpec } from '../clients/workerApi.ts'
import type { FigureSpec, WorkloadResult } from '../results.ts'
import { closeClients, openSpread, repeatPerServer, type WorkloadContext, withServer } from './context.ts'
import { latencyFigures, measuredRun } from './measuredRun.ts'

/**
 * Session editing: D documents × E editors, each editor typing at a steady rate and publishing its
 * cursor (awareness) with every keystroke. Latency is from an edit's sender to each other editor of
 * the document. Every rate runs on the same connections, one after the other.
 */
export async function sessionEditing(context: WorkloadContext): Promise<WorkloadResult> {
  const { config } = context
  const editors = config.sessionEditors
  const values = await repeatPerServer(context, 'session editing', (kind) =>
    withServer(kind, async (server) => {
      const docs = await server.createDocs(config.sessionDocs)
      const specs: ClientSpec[] = docs.flatMap((docName) =>
        Array.from({ length: editors }, (_, e) => ({
          docName,
          role: 'editor' as const,
          presence: true,
          seed: e === 0,
        })),
      )
      try {
        await openSpread(context, server, specs, (i) => i)
        const figures: Record<string, number> = {}
        for (const rate of config.sessionRates) {
          const run = await measuredRun(context, server, {
            ratePerEditor: rate,
            warmupMs: config.warmupSeconds * 1000,
            measureMs: config.sessionSeconds * 1000,
            drainMs: config.drainSeconds * 1000,
          })
          Object.assign(figures, latencyFigures(run, run.sent * (editors - 1), `@${rate}`), {
            [`serverCpu@${rate}`]: run.serverCpuPercent,
            [`clientCpu@${rate}`]: run.clientCpuPercent,
            [`clientLag@${rate}`]: run.clientLagP99Ms,
            [`delivered@${rate}`]: (100 * run.received) / Math.max(1, run.sent * (editors - 1)),
            [`backgroundCpu@${rate}`]: run.backgroundCpuPercent,
          })
        }
        return figures
      } finally {
        await closeClients(context)
      }
    }),
  )
  const figures: FigureSpec[] = config.sessionRates.flatMap((rate) => [
    { id: `p50@${rate}`, label: `p50 latency, ${rate} edit/s`, unit: 'ms', better: 'lower', decimals: 1 },
    { id: `p95@${rate}`, label: `p95 latency, ${rate} edit/s`, unit: 'ms', better: 'lower', decimals: 1 },
    { id: `p99@${rate}`, label: `p99 latency, ${rate} edit/s`, unit: 'ms', better: 'lower', decimals: 1 },
    { id: `serverCpu@${rate}`, label: `server CPU, ${rate} edit/s`, unit: '% core', better: 'lower', decimals: 0 },
    {
      id: `clientCpu@${rate}`,
      label: `client processes' CPU, ${rate} edit/s`,
      unit: '% core',
      better: 'lower',
      decimals: 0,
    },
    {
      id: `clientLag@${rate}`,
      label: `client event-loop delay p99, ${rate} edit/s`,
      unit: 'ms',
      better: 'lower',
      decimals: 1,
    },
    { id: `delivered@${rate}`, label: `edits delivered, ${rate} edit/s`, unit: '%', better: 'higher', decimals: 1 },
    {
      id: `backgroundCpu@${rate}`,
      label: `other programs' CPU on the machine, ${rate} edit/s`,
      unit: '% core',
      better: 'lower',
      decimals: 0,
    },
  ])
  return {
    workload: 'session',
    title: 'Session editing',
    description:
      `${config.sessionDocs} documents × ${editors} editors, every editor typing one character per transaction ` +
      `into its own paragraph of a plan section and publishing its cursor (awareness) with each keystroke, at ` +
      `${config.sessionRates.join(' and ')} edits/s per editor. Latency: from the sender's stamp to each other ` +
      `editor of the document, ${config.sessionSeconds} s window after ${config.warmupSeconds} s of warm-up. ` +
      `${config.clientProcesses} client processes.`,
    figures,
    values,
    notes: [
      'CPU is in percent of one core over the measurement window (200 = both cores of a 2-core machine). ' +
        'When the client processes and the server together approach the machine’s cores, latency measures the ' +
        'clients’ event loops as much as the server; the client event-loop delay shows how much.',
    ],
  }
}
