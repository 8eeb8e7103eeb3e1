import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type CreateServerOptions, createServer, type LeverServer, quietLogger } from '@lever/server'
import type { PlanSummary } from '@lever/shared'

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

/** Creates a plan through the REST API and returns its summary (docName included). */
export async function createPlan(
  server: { url: string },
  {
    jurisdictionId = 'boulder-co',
    title = 'Test plan',
    headers = {},
  }: { jurisdictionId?: string; title?: string; headers?: Record<string, string> } = {},
): Promise<PlanSummary> {
  const res = await fetch(`${server.url}/api/jurisdictions/${jurisdictionId}/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title }),
  })
  if (res.status !== 201) throw new Error(`creating a plan failed: ${res.status} ${await res.text()}`)
  return (await res.json()) as PlanSummary
}
