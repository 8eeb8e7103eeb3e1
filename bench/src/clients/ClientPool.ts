import { type ChildProcess, fork } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BENCH_ROOT } from '../paths.ts'
import type { WorkerApi, WorkerMethod, WorkerReply, WorkerRequest } from './workerApi.ts'

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker.ts')

type Args<M extends WorkerMethod> = Parameters<WorkerApi[M]>
type Result<M extends WorkerMethod> = Awaited<ReturnType<WorkerApi[M]>>

interface Pending {
  resolve(value: unknown): void
  reject(error: Error): void
}

/** One client process, called like an object. */
class ClientProcess {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private exitError: Error | null = null

  constructor(
    readonly index: number,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: WorkerReply) => {
      const waiting = this.pending.get(message.id)
      if (!waiting) return
      this.pending.delete(message.id)
      if (message.ok) waiting.resolve(message.result)
      else waiting.reject(new Error(`client process ${index}: ${message.error}`))
    })
    child.on('exit', (code, signal) => {
      this.exitError = new Error(`client process ${index} exited (${code ?? signal})`)
      for (const waiting of this.pending.values()) waiting.reject(this.exitError)
      this.pending.clear()
    })
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  call<M extends WorkerMethod>(method: M, ...args: Args<M>): Promise<Result<M>> {
    if (this.exitError) return Promise.reject(this.exitError)
    const id = this.nextId++
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      const request: WorkerRequest = { id, method, args: args[0] }
      this.child.send(request)
    })
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.disconnect()
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
}

/** The client processes of a workload: forked with tsx, talking over IPC. */
export class ClientPool {
  private constructor(readonly processes: ClientProcess[]) {}

  static async start(count: number): Promise<ClientPool> {
    const processes = Array.from({ length: count }, (_, index) => {
      const child = fork(WORKER, [], {
        // `--import tsx` resolves from the working directory: the benchmark package has tsx.
        cwd: BENCH_ROOT,
        execArgv: [
          '--import',
          'tsx',
          ...(process.env.BENCH_CLIENT_PROFILE_DIR
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CLIENT_PROFILE_DIR}`]
            : []),
        ],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      return new ClientProcess(index, child)
    })
    return new ClientPool(processes)
  }

  get size(): number {
    return this.processes.length
  }

  get pids(): number[] {
    return this.processes.map((p) => p.pid)
  }

  /** The process at `index`, wrapping around. */
  at(index: number): ClientProcess {
    return this.processes[index % this.processes.length] as ClientProcess
  }

  /** Calls every process, with arguments chosen per process. */
  all<M extends WorkerMethod>(method: M, argsFor: (index: number) => Args<M>): Promise<Result<M>[]> {
    return Promise.all(this.processes.map((p) => p.call(method, ...argsFor(p.index))))
  }

  async close(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.close()))
  }
}

export type { ClientProcess }
