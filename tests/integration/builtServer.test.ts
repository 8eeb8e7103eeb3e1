import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT } from '@lever/server'
import { afterEach, describe, expect, it } from 'vitest'
import { connectClient, synced, type TestClient } from '../support/clients.ts'
import { getExport } from '../support/exports.ts'
import { createPlan, signIn, tempDir } from '../support/server.ts'
import { type SpawnedServer, spawnServer } from '../support/spawnServer.ts'
import { waitFor } from '../support/wait.ts'

const serverDir = path.join(REPO_ROOT, 'server')
const collabUrl = (url: string) => `${url.replace(/^http/, 'ws')}/collab`

/**
 * `pnpm start` runs the server bundled into `server/dist/` (no TypeScript loader at runtime).
 * This starts that bundle as an operator would and uses what the bundle must still find: the
 * data files beside the sources (jurisdictions, evidence), the client's build, and the chunks
 * that load only when first used (Word export).
 */
describe('the server as pnpm start runs it (server/dist)', () => {
  const clients: TestClient[] = []
  let server: SpawnedServer | null = null
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy()
    if (server && server.child.exitCode === null) {
      server.child.kill('SIGKILL')
      await server.exited
    }
    server = null
  })

  it('builds, serves the API, the seed data and live editing, loads an export chunk on demand, and stops cleanly', async () => {
    await promisify(execFile)(process.execPath, [path.join(serverDir, 'scripts', 'build.mjs')], { cwd: serverDir })
    expect(fs.existsSync(path.join(serverDir, 'dist', 'main.js'))).toBe(true)

    server = await spawnServer({ DATA_DIR: tempDir() }, { built: true })
    const health = await fetch(`${server.url}/api/health`)
    expect(health.status).toBe(200)

    const token = await signIn(server)
    // The cohort's jurisdictions come from a data file found relative to the server's sources.
    const jurisdictions = await fetch(`${server.url}/api/jurisdictions`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(jurisdictions.status).toBe(200)
    expect(JSON.stringify(await jurisdictions.json())).toContain('boulder-co')

    const plan = await createPlan(server, { token, title: 'Built server plan' })
    const writer = connectClient(collabUrl(server.url), plan.docName, { params: { token } })
    const reader = connectClient(collabUrl(server.url), plan.docName, { params: { token } })
    clients.push(writer, reader)
    await Promise.all([synced(writer), synced(reader)])
    writer.doc.getArray('list').push(['typed in the built server'])
    await waitFor(() => reader.doc.getArray('list').length === 1, { message: 'the edit to reach the other client' })

    // The Word writer is a chunk of its own, loaded by this first export.
    const docx = await getExport(server, `/plans/${plan.id}/export?format=docx`, token)
    expect(docx.status).toBe(200)
    expect(docx.bytes.subarray(0, 2).toString('latin1')).toBe('PK')

    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
  })
})
