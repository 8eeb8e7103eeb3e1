import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CreateServerOptions, createServer, type LeverServer, quietLogger } from '@lever/server'

export function tempDir(prefix = 'lever-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/** Starts a real server on a free port with its own data directory (unless one is given). */
export async function startServer(options: CreateServerOptions = {}): Promise<LeverServer> {
  return createServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: options.dataDir ?? tempDir(),
    staticDir: undefined,
    logger: quietLogger(),
    ...options,
    collab: { heartbeatMs: 60_000, unloadGraceMs: 200, ...options.collab },
  })
}

export function wsUrl(server: { url: string }): string {
  return `${server.url.replace(/^http/, 'ws')}/collab`
}
