import { createRequire } from 'node:module'
import net from 'node:net'
import path from 'node:path'
import { BENCH_ROOT } from '../paths.ts'
import { spawnNodeProcess } from './spawnProcess.ts'
import type { ServerDriver, ServerUnderTest } from './types.ts'

/**
 * The stock y-websocket server (`@y/websocket-server`), started exactly as its README says: its own
 * `server.js`, unmodified, documents in memory (no `YPERSISTENCE`).
 */
export const yWebsocketDriver: ServerDriver = {
  kind: 'y-websocket',
  persistent: false,
  storesUpdateLog: false,
  async start(): Promise<ServerUnderTest> {
    const require = createRequire(path.join(BENCH_ROOT, 'package.json'))
    const script = path.join(path.dirname(require.resolve('@y/websocket-server/package.json')), 'src', 'server.js')
    // The stock script prints the port it was given, so it gets a free one rather than 0.
    const port = await freePort()
    const proc = await spawnNodeProcess({
      label: 'y-websocket-server',
      args: [script],
      cwd: BENCH_ROOT,
      env: { HOST: '127.0.0.1', PORT: String(port) },
      readyWhen: (line) => (/^running at .* on port \d+/.test(line) ? `ws://127.0.0.1:${port}` : null),
    })
    let created = 0
    return {
      kind: 'y-websocket',
      pid: proc.pid,
      recentOutput: proc.recentOutput,
      target: { protocol: 'y-websocket', url: proc.url, params: {}, seedPlans: true, presenceName: null },
      async createDocs(count) {
        return Array.from({ length: count }, () => `bench-${process.pid}-${Date.now().toString(36)}-${++created}`)
      },
      async stop() {
        await proc.stop()
      },
      async kill() {
        await proc.kill()
      },
      collectGarbage: () => proc.collectGarbage(),
    }
  },
}

/** A port nobody listens on right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}
