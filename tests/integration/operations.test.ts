import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { backupDatabase, listBackups, openDatabase, REPO_ROOT, restoreDatabase } from '@lever/server'
import { PlanModel, sectionField } from '@lever/shared'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { connectClient, synced } from '../support/clients.ts'
import {
  bearer,
  createPlan,
  FACILITATOR,
  lead,
  signIn,
  sqliteOf,
  startServer,
  tempDir,
  wsUrl,
} from '../support/server.ts'
import { spawnServer } from '../support/spawnServer.ts'
import { waitFor } from '../support/wait.ts'

const run = promisify(execFile)

/** Every plan's content as plain values, by plan id, read through a fresh server on `dataDir`. */
async function plansIn(dataDir: string): Promise<Record<string, unknown>> {
  const server = await startServer({ dataDir })
  try {
    const out: Record<string, unknown> = {}
    for (const plan of await server.plans.listAll()) {
      out[plan.id] = await server.rooms.withRoom(plan.docName, (room) => new PlanModel(room.doc).snapshot())
    }
    return out
  } finally {
    await server.close()
  }
}

function problemText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment(sectionField('problem'))
  if (fragment.length === 0) {
    const p = new Y.XmlElement('paragraph')
    p.insert(0, [new Y.XmlText('')])
    fragment.insert(0, [p])
  }
  return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
}

describe('operations: readiness, backups and restores', () => {
  it('answers ready once serving, and not ready (503) while draining, while still serving', async () => {
    const server = await startServer()
    try {
      expect((await fetch(`${server.url}/api/ready`)).status).toBe(200)
      server.drain()
      const res = await fetch(`${server.url}/api/ready`)
      expect(res.status).toBe(503)
      expect(await res.json()).toEqual({ ready: false, state: 'draining' })
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
    } finally {
      await server.close()
    }
  })

  it('on SIGTERM answers not ready for the drain time while still serving, then stops cleanly', async () => {
    const spawned = await spawnServer({ DATA_DIR: tempDir(), SHUTDOWN_DRAIN_MS: '1500' })
    expect((await fetch(`${spawned.url}/api/ready`)).status).toBe(200)
    spawned.child.kill('SIGTERM')
    await waitFor(async () => (await fetch(`${spawned.url}/api/ready`)).status === 503, { message: 'not ready' })
    expect((await fetch(`${spawned.url}/api/health`)).status).toBe(200)
    expect(await spawned.exited).toBe(0)
  })

  it('takes a backup while a client writes; restored into a new data folder, every plan is as it was at the backup', async () => {
    const dataDir = tempDir()
    const server = await startServer({
      dataDir,
      backup: { dir: path.join(dataDir, 'backups'), keep: 2, intervalMs: null },
    })
    const token = await signIn(server, lead('boulder-co'))
    const quiet = await createPlan(server, { jurisdictionId: 'boulder-co', title: 'Quiet plan', token })
    const busy = await createPlan(server, { jurisdictionId: 'boulder-co', title: 'Busy plan', token })
    const q = connectClient(wsUrl(server), quiet.docName, { params: { token } })
    const b = connectClient(wsUrl(server), busy.docName, { params: { token } })
    await Promise.all([synced(q), synced(b)])
    problemText(q.doc).insert(0, 'Contract janitors earn too little. 😀 é 中文')
    const serverProblem = (docName: string) => {
      const doc = server.rooms.peek(docName)?.doc
      return doc ? (new PlanModel(doc).snapshot().sections.problem ?? '') : ''
    }
    await waitFor(() => serverProblem(quiet.docName).length > 10, { message: 'the quiet plan to reach the server' })

    // Keep typing into the busy plan while the backup is taken.
    let typing = true
    let typed = 0
    const typist = (async () => {
      while (typing && typed < 2000) {
        problemText(b.doc).insert(problemText(b.doc).length, `${typed % 10}`)
        typed++
        await new Promise((r) => setImmediate(r))
      }
    })()
    await waitFor(() => typed > 50, { message: 'typing to start' })
    const file = await server.backup()
    typing = false
    await typist
    await waitFor(() => serverProblem(busy.docName).length === typed, { message: 'all typing to reach the server' })
    await server.rooms.peek(busy.docName)?.whenDurable()
    const finalBusy = serverProblem(busy.docName)
    const quietAtBackup = new PlanModel(server.rooms.peek(quiet.docName)?.doc as Y.Doc).snapshot()
    q.destroy()
    b.destroy()
    await server.close()

    expect(path.basename(file)).toMatch(/^lever-\d{8}T\d{6}Z\.db$/)
    const restoredDir = tempDir()
    restoreDatabase(file, restoredDir)
    const restored = await plansIn(restoredDir)
    expect(Object.keys(restored).sort()).toEqual([busy.id, quiet.id].sort())
    expect(restored[quiet.id]).toEqual(quietAtBackup)
    // The busy plan is one consistent state: what had been typed up to some moment, nothing torn.
    const busyText = (restored[busy.id] as { sections: Record<string, string> }).sections.problem ?? ''
    expect(busyText.length).toBeGreaterThan(0)
    expect(finalBusy.startsWith(busyText)).toBe(true)
  })

  it('backs up the library’s uploaded files with the database, restores them, and drops them with the last backup that used them', async () => {
    const dataDir = tempDir()
    const backupDir = path.join(tempDir(), 'backups')
    const server = await startServer({ dataDir, backup: { dir: backupDir, keep: 1, intervalMs: null } })
    const facilitator = await signIn(server, FACILITATOR)
    const upload = async (name: string, text: string) => {
      const form = new FormData()
      form.set('title', name)
      form.set('file', new Blob([text], { type: 'text/plain' }), name)
      const res = await fetch(`${server.url}/api/library/resources`, {
        method: 'POST',
        headers: bearer(facilitator),
        body: form,
      })
      expect(res.status).toBe(201)
      return ((await res.json()) as { resource: { id: string; file: { href: string } } }).resource
    }
    const kept = await upload('Wage survey notes.txt', 'Janitors in the county earn $14.20 an hour.')
    const dropped = await upload('Old draft.txt', 'An early draft, deleted later.')
    const first = await server.backup()
    const pool = path.join(backupDir, 'uploads')
    expect(fs.readdirSync(pool)).toHaveLength(2)
    // Deleted from the library, then a newer backup: the old one (keep: 1) and its file go.
    expect(
      (
        await fetch(`${server.url}/api/library/resources/${dropped.id}`, {
          method: 'DELETE',
          headers: bearer(facilitator),
        })
      ).status,
    ).toBe(204)
    // A later backup (named by its time: a date ahead of now makes it the newest without waiting).
    const { file: second } = await backupDatabase(
      sqliteOf(server),
      backupDir,
      1,
      new Date(Date.UTC(2099, 0, 1)),
      path.join(dataDir, 'uploads'),
    )
    expect(listBackups(backupDir)).toEqual([second])
    expect(fs.existsSync(first)).toBe(false)
    expect(fs.readdirSync(pool)).toHaveLength(1)
    await server.close()

    // Restored into a new data folder, the file downloads as it was.
    const restoredDir = tempDir()
    expect(restoreDatabase(second, restoredDir).uploads).toBe(1)
    const restored = await startServer({ dataDir: restoredDir })
    try {
      const token = await signIn(restored, FACILITATOR)
      const res = await fetch(`${restored.url}${kept.file.href}`, { headers: bearer(token) })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe('Janitors in the county earn $14.20 an hour.')
    } finally {
      await restored.close()
    }

    // Without the backup folder's uploads, a restore refuses and changes nothing.
    const alone = path.join(tempDir(), path.basename(second))
    fs.copyFileSync(second, alone)
    const untouched = tempDir()
    expect(() => restoreDatabase(alone, untouched)).toThrow(/refers to 1 uploaded file\(s\) found neither/)
    expect(fs.existsSync(path.join(untouched, 'lever.db'))).toBe(false)
  })

  it('keeps the newest backups only, and the pnpm backup command backs up a data folder', async () => {
    const dataDir = tempDir()
    const backupDir = path.join(dataDir, 'kept')
    const server = await startServer({ dataDir, backup: { dir: backupDir, keep: 2, intervalMs: null } })
    for (let i = 0; i < 4; i++)
      await backupDatabase(sqliteOf(server), backupDir, 2, new Date(Date.UTC(2026, 0, 1, 0, 0, i)))
    expect(listBackups(backupDir).map((f) => path.basename(f))).toEqual([
      'lever-20260101T000003Z.db',
      'lever-20260101T000002Z.db',
    ])
    await server.close()

    const { stdout } = await run('node', ['--import', 'tsx', 'src/ops/backupCli.ts'], {
      cwd: path.join(REPO_ROOT, 'server'),
      env: { ...process.env, DATA_DIR: dataDir, BACKUP_DIR: backupDir, BACKUP_KEEP: '5', LOG_LEVEL: 'silent' },
    })
    expect(stdout).toMatch(/Backup written: .*lever-\d{8}T\d{6}Z\.db/)
    expect(listBackups(backupDir)).toHaveLength(3)
  })

  it('refuses to restore a damaged backup, one newer than the code, or into a folder a server is running on', async () => {
    const dir = tempDir()
    const garbage = path.join(dir, 'garbage.db')
    fs.writeFileSync(garbage, 'this is not a database'.repeat(100))
    expect(() => restoreDatabase(garbage, tempDir())).toThrow(/garbage\.db is not a usable Lever database/)

    const newerDir = tempDir()
    const db = openDatabase({ dataDir: newerDir })
    db.pragma('user_version = 9999')
    db.close()
    const newer = path.join(newerDir, 'lever.db')
    expect(() => restoreDatabase(newer, tempDir())).toThrow(/schema version 9999, newer than this Lever knows/)

    const live = tempDir()
    const server = await startServer({
      dataDir: live,
      backup: { dir: path.join(live, 'b'), keep: 3, intervalMs: null },
    })
    const file = await server.backup()
    try {
      expect(() => restoreDatabase(file, live)).toThrow(/A Lever server is running/)
    } finally {
      await server.close()
    }
    // Stopped: the restore goes through and keeps what it replaced.
    const { kept } = restoreDatabase(file, live)
    expect(kept && fs.existsSync(kept)).toBe(true)
  })
})
