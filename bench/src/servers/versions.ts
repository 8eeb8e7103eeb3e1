import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { BENCH_ROOT } from '../paths.ts'

const PACKAGES = [
  '@y/websocket-server',
  '@hocuspocus/server',
  '@hocuspocus/extension-sqlite',
  '@hocuspocus/provider',
  'y-websocket',
  'yjs',
  'better-sqlite3',
] as const

/** Installed versions of the peers and client libraries, as resolved from the benchmark package. */
export function installedVersions(): Record<string, string> {
  const require = createRequire(path.join(BENCH_ROOT, 'package.json'))
  const versions: Record<string, string> = {}
  for (const name of PACKAGES) {
    try {
      const file = require.resolve(`${name}/package.json`)
      versions[name] = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version
    } catch {
      versions[name] = findInNodeModules(name) ?? 'unknown'
    }
  }
  return versions
}

/** For packages whose `exports` hide package.json: read it from node_modules directly. */
function findInNodeModules(name: string): string | null {
  const file = path.join(BENCH_ROOT, 'node_modules', name, 'package.json')
  if (!fs.existsSync(file)) return null
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version
}
