import { spawn } from 'node:child_process'
import readline from 'node:readline'
import { it } from 'vitest'
import { connectClient, synced } from '../support/clients.ts'
import { createPlan, signIn, tempDir } from '../support/server.ts'
import { sleep } from '../support/wait.ts'

it('probe fanout', async () => {
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--import', 'tsx', 'src/main.ts'], {
    cwd: '/work/main/server',
    env: { ...process.env, PORT: '0', DATA_DIR: tempDir(), DEMO: '1', INIT_CWD: '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = new Promise((r) => child.on('exit', r))
  const port = await new Promise<string>((resolve) => {
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      const m = /"url":"(http[^"]+)"/.exec(l)
      if (m) resolve(m[1]!)
    })
  })
  const server = { url: port }
  const token = await signIn(server)
  const { docName } = await createPlan(server, { token })
  const url = `${server.url.replace(/^http/, 'ws')}/collab`
  const writer = connectClient(url, docName, { params: { token } })
  const observers = Array.from({ length: 300 }, () => connectClient(url, docName, { params: { token } }))
  await Promise.all([writer, ...observers].map((c) => synced(c, 60000)))
  await sleep(1000)
  let received = 0
  observers[0]?.doc.on('update', () => received++)
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  for (let i = 0; i < 100; i++) {
    writer.doc.getText('text').insert(0, 'x')
    await sleep(100)
  }
  console.log(
    'elapsed',
    performance.now() - t0,
    'received by one observer',
    received,
    'client cpu',
    process.cpuUsage(c0),
  )
  for (const c of [writer, ...observers]) c.destroy()
  child.kill('SIGTERM')
  await exited
}, 120000)
