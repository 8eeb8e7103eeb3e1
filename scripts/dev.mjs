// `pnpm dev`: the server (restarting on change) on :8787 and Vite's dev server on :5173, which
// proxies /api and /collab to it. Ctrl-C stops both.
import { spawn } from 'node:child_process'

// The page comes from Vite's origin: the server accepts it (it compares Origin with PUBLIC_URL and
// PUBLIC_ORIGINS, never with the Host header).
const serverEnv = {
  ...process.env,
  PUBLIC_ORIGINS: process.env.PUBLIC_ORIGINS ?? 'http://localhost:5173,http://127.0.0.1:5173',
}
const children = [
  spawn('pnpm', ['--filter', '@lever/server', 'dev'], { stdio: 'inherit', env: serverEnv }),
  spawn('pnpm', ['--filter', '@lever/client', 'dev'], { stdio: 'inherit' }),
]
const stop = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) {
  child.on('exit', (code) => {
    stop()
    process.exitCode = code ?? 0
  })
}
