/**
 * Entry point of a client process: it serves the orchestrator's requests (`WorkerApi`) over Node
 * IPC, so that clients burn CPU in processes of their own, measured apart from the servers'.
 */
import { CrashScenario } from './CrashScenario.ts'
import { buildDocument, timeSync } from './documentTasks.ts'
import { EditingSession } from './EditingSession.ts'
import { RawIngestSession } from './RawIngest.ts'
import type { WorkerApi, WorkerReply, WorkerRequest } from './workerApi.ts'

// Every y-websocket provider adds a process 'exit' listener; hundreds of clients are expected here.
process.setMaxListeners(0)

const session = new EditingSession()
const crash = new CrashScenario()
const raw = new RawIngestSession()

const api: WorkerApi = {
  open: (args) => session.open(args),
  run: (args) => session.run(args),
  fill: (args) => session.fill(args),
  closeAll: async () => {
    session.closeAll()
    raw.closeAll()
  },
  build: buildDocument,
  timeSync,
  crashEdit: (args) => crash.edit(args),
  crashStop: () => crash.stop(),
  crashVerify: (args) => crash.verify(args),
  rawOpenWriters: (args) => raw.openWriters(args),
  rawOpenObservers: (args) => raw.openObservers(args),
  rawRun: (args) => raw.run(args),
}

function reply(message: WorkerReply): void {
  process.send?.(message)
}

process.on('message', (request: WorkerRequest) => {
  const handler = api[request.method] as (args: unknown) => Promise<unknown>
  handler(request.args).then(
    (result) => reply({ id: request.id, ok: true, result }),
    (error: unknown) =>
      reply({
        id: request.id,
        ok: false,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  )
})

// The orchestrator going away (even killed) closes the IPC channel: leave with it.
process.on('disconnect', () => process.exit(0))
