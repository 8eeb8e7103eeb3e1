import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import WebSocket from 'ws'

export interface SpawnOptions {
  /** Arguments after `node` (e.g. `['--import', 'tsx', 'src/main.ts']`). */
  args: string[]
  cwd: string
  env: Record<string, string>
  /** Reads one output line; returns the server's URL once the line says it is listening. */
  readyWhen(line: string): string | null
  /** What to call the process in error messages. */
  label: string
  startTimeoutMs?: number
}

export interface SpawnedProcess {
  readonly child: ChildProcess
  readonly pid: number
  /** What `readyWhen` returned. */
  readonly url: string
  /** Resolves with the exit code or the signal's name once the process has ended. */
  readonly exited: Promise<number | string>
  /** The last lines the process printed, for error messages. */
  recentOutput(): string
  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<number | string>
  /** SIGKILL (kill -9): no chance to flush anything. */
  kill(): Promise<number | string>
  /**
   * Has the process run a full garbage collection, through Node's inspector (opened on the
   * first call with SIGUSR1, on a port of the kernel's choosing): memory readings that follow
   * count what the process holds, not what its collector has not got round to yet.
   */
  collectGarbage(): Promise<void>
}

const KEPT_LINES = 40

/**
 * Set to a directory to have every server process write a V8 CPU profile there when it stops
 * (in a subdirectory named after the server), for finding where a server spends its time under a workload.
 */
export const PROFILE_DIR_ENV = 'BENCH_PROFILE_DIR'

/** Set to a directory to have every server process's output written there (`<label>-<pid>.log`). */
export const LOG_DIR_ENV = 'BENCH_SERVER_LOG_DIR'

/** Extra Node or V8 flags for every server process (e.g. `--trace-deopt`), separated by spaces. */
export const NODE_ARGS_ENV = 'BENCH_NODE_ARGS'

function profileArgs(label: string): string[] {
  const extra = (process.env[NODE_ARGS_ENV] ?? '').split(' ').filter(Boolean)
  const dir = process.env[PROFILE_DIR_ENV]
  if (!dir) return extra
  return [...extra, '--cpu-prof', `--cpu-prof-dir=${path.join(dir, label)}`]
}

/** Where the inspector listens once SIGUSR1 opens it: nowhere until then, any free local port after. */
const INSPECT_PORT_ARG = '--inspect-port=127.0.0.1:0'

/** How long a process may take to open its inspector or to finish a collection. */
const INSPECTOR_TIMEOUT_MS = 30_000

/** Sends one inspector command and waits for its answer. */
function inspectorCall(url: string, method: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url)
    const timer = setTimeout(() => {
      socket.terminate()
      reject(new Error(`the inspector did not answer ${method}`))
    }, INSPECTOR_TIMEOUT_MS)
    const done = (error?: Error) => {
      clearTimeout(timer)
      socket.close()
      if (error) reject(error)
      else resolve()
    }
    socket.on('open', () => socket.send(JSON.stringify({ id: 1, method })))
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data)) as { id?: number; error?: { message?: string } }
      if (reply.id !== 1) return
      done(reply.error ? new Error(`${method}: ${reply.error.message}`) : undefined)
    })
    socket.on('error', (error) => done(error))
  })
}

/** Starts a Node process and waits until it prints that it is listening. */
export async function spawnNodeProcess(options: SpawnOptions): Promise<SpawnedProcess> {
  const child = spawn(process.execPath, [INSPECT_PORT_ARG, ...profileArgs(options.label), ...options.args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let inspectorOpened: ((url: string) => void) | null = null
  const logDir = process.env[LOG_DIR_ENV]
  const logFile = logDir ? path.join(logDir, `${options.label}-${child.pid}.log`) : null
  if (logDir) fs.mkdirSync(logDir, { recursive: true })
  const keep = (line: string) => {
    if (logFile) fs.appendFileSync(logFile, `${line}\n`)
    lines.push(line)
    if (lines.length > KEPT_LINES) lines.shift()
    const inspector = /^Debugger listening on (ws:\/\/\S+)/.exec(line)
    if (inspector?.[1]) inspectorOpened?.(inspector[1])
  }
  let inspectorUrl: Promise<string> | null = null
  const openInspector = () => {
    inspectorUrl ??= new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${options.label} did not open its inspector:\n${recentOutput()}`)),
        INSPECTOR_TIMEOUT_MS,
      )
      inspectorOpened = (url) => {
        clearTimeout(timer)
        resolve(url)
      }
      child.kill('SIGUSR1')
    })
    return inspectorUrl
  }
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))
  })
  const recentOutput = () => lines.join('\n')
  // Both pipes are always read, so a chatty server never blocks on a full pipe.
  readline.createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', keep)
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${options.label} did not start:\n${recentOutput()}`))
    }, options.startTimeoutMs ?? 30_000)
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      keep(line)
      const ready = options.readyWhen(line)
      if (ready) {
        clearTimeout(timer)
        resolve(ready)
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${options.label} exited (${code}) before listening:\n${recentOutput()}`))
    })
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`${options.label} has no process id`)

  const hasExited = () => child.exitCode !== null || child.signalCode !== null
  return {
    child,
    pid,
    url,
    exited,
    recentOutput,
    async stop(graceMs = 15_000) {
      if (hasExited()) return exited
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
    async kill() {
      if (!hasExited()) child.kill('SIGKILL')
      return exited
    },
    async collectGarbage() {
      const url = await openInspector()
      // Twice: what the first pass left to finalizers and weak references goes in the second.
      await inspectorCall(url, 'HeapProfiler.collectGarbage')
      await inspectorCall(url, 'HeapProfiler.collectGarbage')
    },
  }
}

/** Reads a JSON log line; returns its `url` when its `msg` is `message`. */
export function jsonLineUrl(line: string, message: string): string | null {
  if (!line.startsWith('{')) return null
  try {
    const entry = JSON.parse(line) as { msg?: unknown; url?: unknown }
    return entry.msg === message && typeof entry.url === 'string' ? entry.url : null
  } catch {
    return null
  }
}
