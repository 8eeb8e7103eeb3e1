import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import { REPO_ROOT } from '@lever/server'

export interface SpawnedServer {
  url: string
  child: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>
  /** Lines the server printed, for diagnosing failures. */
  output: string[]
}

/**
 * Starts the real server entry point in its own process: `server/src/main.ts` through tsx, or
 * with `built` the bundle `pnpm start` runs (`server/dist/main.js`, built beforehand).
 */
export async function spawnServer(env: Record<string, string>, { built = false } = {}): Promise<SpawnedServer> {
  const args = built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts']
  const child = spawn(process.execPath, args, {
    cwd: path.join(REPO_ROOT, 'server'),
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', INIT_CWD: '', DEMO: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const output: string[] = []
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'))
  })
  readline.createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => output.push(line))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('\n')}`)), 30_000)
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      output.push(line)
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string }
        if (entry.msg === 'Lever is listening' && entry.url) {
          clearTimeout(timer)
          resolve(entry.url)
        }
      } catch {
        // not a log line
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before listening:\n${output.join('\n')}`))
    })
  })
  return { url, child, exited, output }
}
