import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { REPO_ROOT } from '@lever/server'

/** The browser suite runs against the built client, as `pnpm start` serves it. */
export default function setup(): void {
  execFileSync(
    process.execPath,
    [path.join(REPO_ROOT, 'client', 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: path.join(REPO_ROOT, 'client'),
      stdio: 'inherit',
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build (with
      // StrictMode's double effects); build what `pnpm start` serves instead.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  )
}
