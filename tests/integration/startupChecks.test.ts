import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createPlan, signIn, startServer, tempDir } from '../support/server.ts'
import { spawnServer } from '../support/spawnServer.ts'

const servers: Array<{ close(): Promise<void> }> = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

async function start(dataDir: string) {
  const server = await startServer({ dataDir })
  servers.push(server)
  return server
}

/** A data folder whose lever.db holds people, plans and their update logs. */
async function populatedDataDir(): Promise<string> {
  const dataDir = tempDir()
  const server = await startServer({ dataDir })
  const token = await signIn(server)
  for (let i = 0; i < 30; i++) await createPlan(server, { token, title: `Plan number ${i}` })
  await server.close()
  return dataDir
}

describe('startup checks of the data folder', () => {
  it('refuses to start on a database with damaged pages in the middle, naming the file and how to restore it', async () => {
    const dataDir = await populatedDataDir()
    const file = path.join(dataDir, 'lever.db')
    const pageSize = 4096
    const pages = Math.floor(fs.statSync(file).size / pageSize)
    expect(pages).toBeGreaterThan(10)
    // Overwrite three pages in the middle of the file with garbage, as a failing disk would.
    const fd = fs.openSync(file, 'r+')
    const garbage = Buffer.alloc(pageSize * 3, 0xa5)
    fs.writeSync(fd, garbage, 0, garbage.length, Math.floor(pages / 2) * pageSize)
    fs.closeSync(fd)
    const failure = startServer({ dataDir }).then((s) => {
      servers.push(s)
      return 'started'
    })
    await expect(failure).rejects.toThrow(file)
    await expect(failure).rejects.toThrow(/damaged.*backup/s)
  })

  it('says so on the console and exits when the real server finds a damaged database', async () => {
    const dataDir = await populatedDataDir()
    const file = path.join(dataDir, 'lever.db')
    fs.writeFileSync(file, Buffer.alloc(fs.statSync(file).size, 0x42))
    await expect(spawnServer({ DATA_DIR: dataDir })).rejects.toThrow(/damaged[\s\S]*restore from a backup/)
  })

  it('starts an empty lever.db as a new installation only when the data folder holds nothing else', async () => {
    const alone = tempDir()
    fs.writeFileSync(path.join(alone, 'lever.db'), '')
    const fresh = await start(alone)
    expect(await fresh.auth.users.count()).toBeGreaterThan(0)

    const withOthers = await populatedDataDir()
    fs.truncateSync(path.join(withOthers, 'lever.db'), 0)
    fs.writeFileSync(path.join(withOthers, 'lever.db-wal'), 'left behind')
    await expect(startServer({ dataDir: withOthers })).rejects.toThrow(/lever\.db is empty, but .* holds other files/)
  })

  it('refuses a missing lever.db when the data folder holds other files', async () => {
    const dataDir = tempDir()
    fs.mkdirSync(path.join(dataDir, 'backups'))
    await expect(startServer({ dataDir })).rejects.toThrow(/lever\.db is missing, but .* holds other files \(backups\)/)
    // An empty folder is a new installation.
    await start(tempDir())
  })
})
